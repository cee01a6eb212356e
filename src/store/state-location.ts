/** Whether a --state value names a PostgreSQL database rather than a file. */
export function isPostgresUrl(state: string): boolean {
  return /^postgres(ql)?:\/\//i.test(state);
}
