/** The pgpass module's helpers (it ships no types): the ~/.pgpass lookup libpq does. */
declare module 'pgpass/lib/helper.js' {
  import type fs from 'node:fs';
  const helper: {
    getFileName(env?: NodeJS.ProcessEnv): string;
    usePgPass(stat: fs.Stats, file: string): boolean;
    getPassword(connInfo: { host: string; port: string; database: string; user: string }, stream: NodeJS.ReadableStream, cb: (password: string | undefined) => void): void;
  };
  export default helper;
}
