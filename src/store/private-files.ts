import fs from 'node:fs';
import path from 'node:path';

/**
 * Files with customer data (the state file, its journal, write-ahead log and shared memory, the
 * temporary file a new state is built in, demo recordings and frames, the attempts log) are
 * the user's alone: 0600 in a 0700 directory, as ssh and gpg keep theirs, whatever the umask
 * (the usual 022 would make them readable by every user of a shared machine).
 *
 * SQLite creates a database's -journal, -wal and -shm with the mode of the database file, so
 * a state file created 0600 before SQLite opens it keeps all of them private.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes `dir` and the directories above it that are missing, each 0700 whatever the umask.
 * Directories that exist are left as they are (the user chose their mode).
 */
export function makePrivateDir(dir: string): void {
  const target = path.resolve(dir);
  const first = fs.mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir's mode passes through the umask: set it exactly, from the first one made down to dir.
  for (let d = target; ; d = path.dirname(d)) {
    fs.chmodSync(d, PRIVATE_DIR_MODE);
    if (d === path.resolve(first) || d === path.dirname(d)) break;
  }
}

/**
 * Opens `file` for writing, truncated: created 0600 whatever the umask when it is new (an
 * existing file keeps the mode its owner gave it). `exclusive`: a file that exists is an
 * error (EEXIST). Returns the descriptor.
 */
export function openPrivateFile(file: string, exclusive = false): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || exclusive) throw e;
    return fs.openSync(file, 'w');
  }
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return fd;
}

/** Creates a new, empty `file` 0600 (EEXIST when there is one): for SQLite to open. */
export function createPrivateFile(file: string): void {
  fs.closeSync(openPrivateFile(file, true));
}

/** Writes `data` to `file` as openPrivateFile opens it. */
export function writePrivateFile(file: string, data: string): void {
  const fd = openPrivateFile(file);
  try {
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}
