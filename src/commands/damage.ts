import { isPostgresUrl, openStoreToInspect } from '../store/open-store.js';
import { timeZones } from '../runtime/world-host.js';

/**
 * An error no command expected (a SyntaxError out of a row's JSON, a TypeError, an unknown
 * zone in a row): the damaged row it came from, named by table and id, or at least that the
 * state has one. Null when the error does not look like damage; the state is only read.
 */
export async function describeDamage(state: string, e: unknown): Promise<string | null> {
  if (!(e instanceof Error)) return null;
  const sqlite = e.name === 'SqliteError' ? (e as Error & { code?: string }).code : undefined;
  // A page of the file itself: no row to name.
  if (sqlite === 'SQLITE_CORRUPT' || sqlite === 'SQLITE_NOTADB') return `${state} is damaged (${e.message}); it was left as it was: restore a backup`;
  const jsonInSql = sqlite !== undefined && /JSON/i.test(e.message);
  if (!jsonInSql && ![Error, SyntaxError, TypeError, RangeError].includes(e.constructor as ErrorConstructor)) return null;
  let found: string | null = null;
  const url = isPostgresUrl(state);
  try {
    const store = await openStoreToInspect(state);
    try {
      const zones = timeZones();
      found = await store.bulk.findDamagedRow(e.message, (tz) => zones.has(tz));
    } finally {
      await store.close();
    }
  } catch {
    found = null;
  }
  const where = url ? 'the database' : 'the state file';
  const advice = `${state} was left as it was: correct or delete the row with ${url ? 'psql' : 'sqlite3'}, or restore a backup`;
  if (found) return `${found}; ${advice}`;
  if (e instanceof SyntaxError || e instanceof TypeError || jsonInSql) return `${where} has a damaged row (${e.message}); ${advice}`;
  return null;
}
