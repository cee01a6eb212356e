import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../engine/store-port.js';

/**
 * SQLite's errors in the engine's words (StoreError), in one place: the engine and the
 * commands never read a SQLite code. An error that is not the store's (a bug in a command, a
 * StoreError already) passes through as it is.
 */
export function sqliteStoreError(e: unknown, file: string): unknown {
  if (e instanceof StoreError || !(e instanceof Error)) return e;
  const code = (e as { code?: string }).code ?? '';
  if (e.name !== 'SqliteError' && !code.startsWith('SQLITE_')) return e;
  const base = code.replace(/_.*$/, '') === 'SQLITE' ? code.split('_').slice(0, 2).join('_') : code;
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError('busy', `the state file ${file} is busy (another process is writing); try again`, { cause: e });
    case 'SQLITE_FULL':
      return new StoreError('full', `the disk holding ${file} is full; nothing was saved (free some space and try again)`, { cause: e });
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new StoreError('damaged', `${file} is damaged (${e.message}); it was left as it was: restore a backup`, { cause: e });
    case 'SQLITE_CANTOPEN':
      if (diskFull(file)) return new StoreError('full', `the disk holding ${file} is full; nothing was saved (free some space and try again)`, { cause: e });
      return new StoreError('readonly', `${file} cannot be opened (${e.message})`, { cause: e });
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return new StoreError('readonly', `${file} cannot be written (${e.message})`, { cause: e });
    case 'SQLITE_IOERR':
      // A write that failed for want of space says so in its extended code or its message.
      // (creating the -shm file a WAL file needs even to be read fails the same way).
      if (/ENOSPC|disk (is )?full/i.test(e.message) || diskFull(file))
        return new StoreError('full', `the disk holding ${file} is full; nothing was saved (free some space and try again)`, { cause: e });
      return new StoreError('damaged', `${file} could not be read or written (${e.message})`, { cause: e });
    case 'SQLITE_CONSTRAINT':
      return new StoreError('refused', `the state file refused a write (${e.message})`, { cause: e });
    default:
      return e;
  }
}

/** Whether the file system of `file` has no room left (statfs), for an I/O error that does not say. */
function diskFull(file: string): boolean {
  try {
    const st = fs.statfsSync(path.dirname(path.resolve(file)));
    return st.bavail * st.bsize < 64 * 1024;
  } catch {
    return false;
  }
}
