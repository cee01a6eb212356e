// Long on purpose: one backend's file, transactions, locks and upgrades in one class, the way they
// depend on each other.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Interaction } from '../engine/domain.js';
import { StoreError, type BulkPort, type ConfigKind, type StorePort, type StoreReader, type StoreTx, type TeamPort, type HostClock, type Changes } from '../engine/store-port.js';
import type { WorldMeta, WorldSeed } from '../engine/world.js';
import { DDL, SCHEMA_VERSION } from './schema.js';
import { migrateSqlite, needsCallLogUpgrade, needsSchema2Upgrade, upgradeCallLog, upgradeSchema2 } from './migrate.js';
import { writeSeed } from './seed.js';
import { createPrivateFile, makePrivateDir } from './private-files.js';
import { processAlive, processStarted } from './processes.js';
import { SqliteCallLog, SqliteCallingList, SqliteContacts, SqliteGenesysCallbacks, SqliteInteractions, SqliteMessages } from './tables.js';
import { SqliteBulk } from './sqlite-bulk.js';
import { sqliteStoreError } from './sqlite-errors.js';
import { SqliteTeam, sqliteHostEpoch } from './sqlite-team.js';

export { SCHEMA_VERSION };

/** "CBDS": marks a SQLite file as a callback-desk state file (PRAGMA application_id). */
export const APPLICATION_ID = 0x43424453;

const QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024;

/** A state-file problem the user must fix; the CLI prints it and exits 2. */
export class StateFileError extends StoreError {
  constructor(message: string, kind: StoreError['kind'] = 'damaged') {
    super(kind, message);
  }
}

export interface OpenedStore {
  store: SqliteStore;
  created: boolean;
}

/**
 * The embedded store: one SQLite file (WAL, so readers never block the writer). The engine
 * works on it through StorePort: every change is one IMMEDIATE transaction, so two processes
 * on one file serialise and each reads, under the lock, what the other wrote.
 */
export class SqliteStore implements StorePort {
  readonly persistent: boolean;
  readonly backend = 'sqlite' as const;
  readonly bulk: BulkPort;
  readonly team: TeamPort;
  /** The tables of this connection: in a transaction they write; outside it only their queries are used. */
  private readonly tables: StoreTx;
  private readonly s;
  /** Transactions of this process, one at a time (the connection has one). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.persistent = file !== ':memory:';
    this.s = {
      revision: db.prepare("SELECT value FROM meta WHERE key = 'revision'").pluck(),
      putMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      entities: db.prepare('SELECT id, body FROM entity WHERE kind = ? ORDER BY rowid'),
      putEntity: db.prepare('INSERT INTO entity (kind, id, body, rev) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, rev = excluded.rev'),
      delEntity: db.prepare('DELETE FROM entity WHERE kind = ? AND id = ?'),
      changedEntities: db.prepare('SELECT kind, id, body FROM entity WHERE rev > ?'),
      changedInteractions: db.prepare('SELECT body FROM interaction WHERE rev > ?'),
      nextId: db.prepare('UPDATE counter SET next = next + 1 WHERE kind = ? RETURNING next - 1 AS id'),
      newCounter: db.prepare('INSERT INTO counter (kind, next) VALUES (?, ?)'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
    };
    const revision = async () => this.revisionNow();
    this.tables = {
      records: new SqliteCallingList(db),
      contacts: new SqliteContacts(db),
      interactions: new SqliteInteractions(db),
      messages: new SqliteMessages(db),
      gcallbacks: new SqliteGenesysCallbacks(db),
      calls: new SqliteCallLog(db),
      revision,
      bumpRevision: async () => this.bumpRevisionNow(),
      loadMeta: async () => this.loadMeta(),
      clock: async () => {
        const v = this.s.getMeta.get('clock') as string | undefined;
        return v ? (JSON.parse(v) as HostClock) : null;
      },
      saveClock: async (clock) => void this.s.putMeta.run('clock', JSON.stringify(clock)),
      hostEpoch: async () => sqliteHostEpoch(db),
      saveMeta: async (meta) => void this.s.putMeta.run('world', JSON.stringify(meta)),
      loadEntities: async (kind) => {
        const out: Record<string, unknown> = {};
        for (const r of this.s.entities.all(kind) as { id: string; body: string }[]) out[r.id] = JSON.parse(r.body);
        return out;
      },
      putEntity: async (kind, id, body, rev) => {
        if (body === null || body === undefined) this.s.delEntity.run(kind, id);
        else this.s.putEntity.run(kind, id, JSON.stringify(body), rev);
      },
      changedSince: async (rev) => this.changedSince(rev),
      catchUp: async (since) => {
        const revision = this.revisionNow();
        const clock = this.s.getMeta.get('clock') as string | undefined;
        return { revision, changes: revision === since ? null : this.changedSince(since), clock: clock ? (JSON.parse(clock) as HostClock) : null };
      },
      // Deterministic for one process: the counter continues across restarts exactly as the
      // in-memory one would have.
      allocateId: async (kind, initial = 1) => {
        const row = this.s.nextId.get(kind) as { id: number } | undefined;
        if (row) return row.id;
        this.s.newCounter.run(kind, initial + 1);
        return initial;
      },
    };
    this.team = new SqliteTeam(db, (fn) => this.transaction(fn));
    this.bulk = new SqliteBulk(db, file, () => void this.bumpRevisionNow());
  }

  get location(): string {
    return this.file;
  }

  private changedSince(rev: number): Changes {
    const entities = (this.s.changedEntities.all(rev) as { kind: ConfigKind; id: string; body: string }[]).map((r) => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body) as unknown }));
    const interactions = (this.s.changedInteractions.all(rev) as { body: string }[]).map((r) => JSON.parse(r.body) as Interaction);
    return { entities, interactions };
  }

  /**
   * Opens `file` (":memory:" for --ephemeral), creating it from `create()` when new. A new file
   * is written whole under a temporary name beside it and renamed into place, so an interrupted
   * first start leaves either no state file or a complete one.
   */
  static async open(file: string, create: () => WorldSeed): Promise<OpenedStore> {
    return SqliteStore.openSync(file, create);
  }

  /**
   * A state file opened only to be read after a failure (to name a damaged row): none of the
   * checks of open, nothing written. Read-write but query-only: a read-only connection to a WAL
   * file would leave its -wal and -shm behind; this one, the last to close, removes them.
   */
  static openToInspect(file: string): SqliteStore {
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma('query_only = 1');
    } catch {
      db = new Database(file, { readonly: true, fileMustExist: true });
    }
    try {
      return new SqliteStore(db, file);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private static openSync(file: string, create: () => WorldSeed): OpenedStore {
    // Asked first: a bad value refuses the start before anything is opened or made.
    const sync = sqliteSyncMode();
    if (file === ':memory:') {
      const db = new Database(':memory:');
      initialise(db, create());
      return { store: new SqliteStore(db, file), created: true };
    }
    // A symbolic link is followed: the state is made, read and written where it points, and the
    // link itself is never replaced by a file.
    file = followLinks(file);
    // SQLite keeps NAME-journal, NAME-wal and NAME-shm beside the file: they must fit the 255
    // bytes a file system allows a name, or the file could be made but never opened.
    if (Buffer.byteLength(`${path.basename(file)}-journal`) > 255) {
      throw new StateFileError(`${file}: the file name is too long (at most 247 bytes: SQLite keeps ${path.basename(file).length > 20 ? 'NAME' : path.basename(file)}-journal, -wal and -shm beside it)`, 'readonly');
    }
    removeLeftovers(file);
    let created = false;
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
      created = createAtomically(file, create);
    }
    checkStateFile(file);
    checkWritable(file);
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: true });
    } catch (e) {
      throw new StateFileError(`cannot open state file ${file}: ${(e as Error).message}`);
    }
    db.pragma('busy_timeout = 10000');
    // Read before anything is written (even the journal mode), so a damaged file is refused untouched.
    let version: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      // A whole-file check costs a read of every page: done for files of everyday size; a
      // large calling list is checked page by page as it is read (SQLITE_CORRUPT, reported).
      // A file this process has just built and synced is not checked again (4 ms of a first start).
      if (!created && fs.statSync(file).size < QUICK_CHECK_MAX_BYTES) {
        const ok = db.pragma('quick_check', { simple: true });
        if (ok !== 'ok') throw new Error(String(ok));
      }
      if (version >= 2) {
        if (!db.prepare("SELECT value FROM meta WHERE key = 'world'").pluck().get()) throw new Error('it has no world (incomplete file?)');
        JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'world'").pluck().get() as string);
      }
    } catch (e) {
      db.close();
      // A full disk is not damage: the file is fine once there is room (even reading a WAL file
      // needs its -shm file made).
      const known = sqliteStoreError(e, file);
      if (known instanceof StoreError && known.kind === 'full') throw known;
      throw new StateFileError(`${file} is damaged (${(e as Error).message}); it was left untouched: restore a backup or use --state for another file`);
    }
    // The upgrades run in the file's own journal mode, before anything else writes to it: one
    // that fails is rolled back and the file is left byte for byte as it was (switching to WAL
    // first would already have rewritten its header).
    if (version < SCHEMA_VERSION) {
      try {
        db.transaction(() => {
          // Another process may have migrated it meanwhile: the lock decides who does.
          const at = db.pragma('user_version', { simple: true }) as number;
          if (at < SCHEMA_VERSION) migrateSqlite(db, at);
        }).immediate();
      } catch (e) {
        db.close();
        throw new StateFileError(`${file} could not be upgraded to state schema ${SCHEMA_VERSION} (${(e as Error).message}); it was left as it was`);
      }
    }
    if (needsSchema2Upgrade(db)) {
      try {
        db.transaction(() => upgradeSchema2(db)).immediate();
      } catch (e) {
        db.close();
        throw new StateFileError(`${file} could not be given the My Callbacks column and indexes (${(e as Error).message}); it was left as it was`);
      }
    }
    if (needsCallLogUpgrade(db)) {
      try {
        db.transaction(() => upgradeCallLog(db)).immediate();
      } catch (e) {
        db.close();
        throw new StateFileError(`${file} could not be given the call log's rescheduled_at column (${(e as Error).message}); it was left as it was`);
      }
    }
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL: a commit is not synced to the disk; the log is at checkpoints. A transaction
    // that returned survives any crash of the process (a SIGKILL included): it is in the log, in
    // the kernel's hands. A power loss or a crash of the machine may lose the last commits, never
    // the file. A synced commit costs 2 ms at the median and 15 at p95 here, under the write lock
    // every desktop of a team waits for (issue 20: 30 agents' p95 of 50 ms). FULL, synced on
    // every commit, is CALLBACK_DESK_SQLITE_SYNC=full (README, State).
    db.pragma(`synchronous = ${sync}`);
    // The write-ahead log is folded back into the file every 256 pages (4 MiB of 16 KiB pages)
    // and cut back to 4 MiB after, so a desktop saving its clock every 2 s cannot grow it
    // without bound (it filled a small disk within seconds before).
    db.pragma('wal_autocheckpoint = 256');
    db.pragma('journal_size_limit = 4194304');
    return { store: new SqliteStore(db, file), created };
  }

  /**
   * How long a write waits for another process's lock before giving up. SQLite waits by
   * blocking the thread, so the desktop waits briefly and tries again on its next tick rather
   * than freezing while a script imports a million records.
   */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (e) {
        throw sqliteStoreError(e, this.file);
      }
      try {
        const out = await fn(this.tables);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw sqliteStoreError(e, this.file);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Reads share the connection with the transactions, so a read waits for the transaction under
   * way to end: it sees what was committed, never a transaction's writes before its COMMIT (or
   * ones a ROLLBACK then undoes). Never called from inside a transaction (it would wait for it).
   */
  read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.reading++;
      try {
        return await fn(this.tables);
      } catch (e) {
        throw sqliteStoreError(e, this.file);
      } finally {
        this.reading--;
      }
    };
    // A read asked for while another read runs joins it (no transaction can be under way then,
    // and one read inside another must not wait for itself).
    if (this.reading > 0) return run();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reads running now (see read). */
  private reading = 0;

  async revision(): Promise<number> {
    try {
      return this.revisionNow();
    } catch (e) {
      throw sqliteStoreError(e, this.file);
    }
  }

  /** Bumps the revision inside a transaction this process opened itself (a bulk import's). */
  bumpRevisionNow(): number {
    const rev = this.revisionNow() + 1;
    this.s.putMeta.run('revision', String(rev));
    return rev;
  }

  private revisionNow(): number {
    return Number(this.s.revision.get() ?? 0);
  }

  /**
   * Another connection's commit changes PRAGMA data_version (a few microseconds to ask), so a
   * poll costs next to nothing; the revision is read only when it moved. Every 100 ms: another
   * process's change reaches the desktop within the 300 ms PostgreSQL's notifications keep.
   *
   * fn is called once as the watch starts (as the PostgreSQL store calls it once it listens):
   * what was committed before that was not seen, and the caller re-reads. An in-memory store has
   * no other connection, so that first call is the only one.
   */
  watch(fn: () => void, everyMs = 100): () => void {
    let stopped = false;
    const first = setImmediate(() => {
      if (!stopped) fn();
    });
    if (!this.persistent) {
      return () => {
        stopped = true;
        clearImmediate(first);
      };
    }
    let seen = this.dataVersion();
    const timer = setInterval(() => {
      const v = this.dataVersion();
      if (v !== seen) {
        seen = v;
        fn();
      }
    }, everyMs);
    timer.unref();
    return () => {
      stopped = true;
      clearImmediate(first);
      clearInterval(timer);
    };
  }

  private dataVersion(): number {
    try {
      return this.db.open ? (this.s.dataVersion.get() as number) : -1;
    } catch {
      return -1;
    }
  }

  private loadMeta(): WorldMeta {
    const v = this.s.getMeta.get('world') as string | undefined;
    if (!v) throw new StateFileError(`${this.file}: state file has no world (incomplete file?)`);
    try {
      return JSON.parse(v) as WorldMeta;
    } catch (e) {
      throw new StateFileError(`${this.file} is damaged (its world cannot be read: ${(e as Error).message}); it was left untouched`);
    }
  }

  /**
   * One desktop per state file (the desktop and `demo --state` own the clock, the timers and
   * the session). A lock left by a process that is gone is taken over.
   */
  async acquireDesktopLock(pid: number): Promise<void> {
    await this.transaction(async () => {
      const v = this.s.getMeta.get('desktop') as string | undefined;
      if (v) {
        const lock = JSON.parse(v) as { pid: number; started?: string | null };
        // A pid is reused after its process ends: the lock names the process by its start time too.
        const same = lock.started === undefined || lock.started === null || processStarted(lock.pid) === lock.started;
        if (lock.pid !== pid && processAlive(lock.pid) && same) {
          throw new StateFileError(`${this.file} is open in another callback-desk desktop (pid ${lock.pid}); quit it or use --state for another file`, 'busy');
        }
      }
      this.s.putMeta.run('desktop', JSON.stringify({ pid, started: processStarted(pid) }));
    });
  }

  /**
   * Best effort: a lock that cannot be removed (a full disk) is taken over by the next desktop
   * anyway, since its process is gone; quitting must not fail for it.
   */
  async releaseDesktopLock(pid: number): Promise<void> {
    if (!this.db.open) return;
    try {
      this.db.prepare("DELETE FROM meta WHERE key = 'desktop' AND json_extract(value, '$.pid') = ?").run(pid);
    } catch {
      // See above.
    }
  }

  async close(): Promise<void> {
    await this.queue;
    try {
      if (this.db.open) this.db.close();
    } catch {
      // Closing checkpoints the write-ahead log: on a full disk that fails, and the log stays
      // beside the file for the next open to fold in; nothing committed is lost.
    }
  }
}

/** Writes a whole new world into an empty database. */
export function initialise(db: Database.Database, w: WorldSeed): void {
  // 16 KiB pages (SQLite's default is 4): a calling list of a million rows and its indexes are
  // a quarter as many pages, so an import writes and sorts less and the dialer's index walks are
  // shallower. Only a new file takes it; older files keep their page size.
  db.pragma('page_size = 16384');
  db.exec(DDL);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  db.transaction(() => writeSeed(db, w))();
}

/**
 * A new state file: built whole under a temporary name in the same directory, then renamed
 * into place (rename is atomic within a file system). Returns false when another process
 * created the file first; its file is kept and ours dropped.
 */
function createAtomically(file: string, create: () => WorldSeed): boolean {
  const dir = path.dirname(path.resolve(file));
  try {
    makePrivateDir(dir);
  } catch (e) {
    throw new StateFileError(`cannot create the directory of state file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const tmp = temporaryName(file, process.pid);
  try {
    fs.rmSync(tmp, { force: true });
    // 0600 before SQLite opens it: its journal, and the -wal and -shm of the file it becomes, take its mode.
    createPrivateFile(tmp);
    const db = new Database(tmp);
    try {
      // Built under a name no other process opens, and synced whole below before the rename:
      // SQLite's journal file and its syncs, one per statement of the schema, would only slow
      // the very first start (30 of them, 66 ms of it, measured). The rollback journal stays,
      // in memory, so a failing write still rolls back before the file is thrown away.
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      initialise(db, create());
    } finally {
      db.close();
    }
    // The new file's bytes reach the disk before its name does.
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    if (fs.existsSync(file) && fs.statSync(file).size > 0) {
      fs.rmSync(tmp, { force: true });
      return false;
    }
    fs.renameSync(tmp, file);
    return true;
  } catch (e) {
    removeQuietly(tmp);
    removeQuietly(`${tmp}-journal`);
    if (e instanceof StateFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new StateFileError(`cannot create state file ${file}: the directory ${dir} is not writable (${code})`, 'readonly');
    }
    if (code === 'ENAMETOOLONG') throw new StateFileError(`cannot create state file ${file}: the name is too long for the file system (ENAMETOOLONG)`, 'readonly');
    if (code === 'ENOSPC') throw new StoreError('full', `cannot create state file ${file}: the disk is full (ENOSPC)`);
    throw new StateFileError(`cannot create state file ${file}: ${code ?? (e as Error).message}`, 'readonly');
  }
}

/**
 * A new state file filled by `fill` (`state copy`): the tables of a new file, no world of its
 * own; built whole under a temporary name beside it and renamed into place, so an interrupted
 * copy leaves no state file. Refused when the file exists by then (another process made it).
 */
export async function buildStateFile(file: string, fill: (db: Database.Database) => Promise<void>): Promise<void> {
  file = followLinks(file);
  const dir = path.dirname(path.resolve(file));
  try {
    makePrivateDir(dir);
  } catch (e) {
    throw new StateFileError(`cannot create the directory of state file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'readonly');
  }
  const tmp = temporaryName(file, process.pid);
  let db: Database.Database | undefined;
  try {
    fs.rmSync(tmp, { force: true });
    createPrivateFile(tmp);
    db = new Database(tmp);
    db.pragma('journal_mode = DELETE');
    db.pragma('page_size = 16384');
    db.exec(DDL);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('BEGIN');
    await fill(db);
    db.exec('COMMIT');
    db.close();
    db = undefined;
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    if (fs.existsSync(file) && fs.statSync(file).size > 0) throw new StateFileError(`${file} was created by another process meanwhile; nothing was written to it`, 'busy');
    fs.renameSync(tmp, file);
  } catch (e) {
    if (db?.open) db.close();
    removeQuietly(tmp);
    removeQuietly(`${tmp}-journal`);
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new StoreError('full', `cannot create state file ${file}: the disk is full; nothing was written`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new StateFileError(`cannot create state file ${file}: the directory ${dir} is not writable (${code})`, 'readonly');
    throw e;
  }
}

/**
 * What is at a path `state copy` would write to: nothing (or an empty file), a callback-desk
 * state file (which holds a world), or another file.
 */
export function stateFileAt(file: string): 'none' | 'state' | 'other' {
  file = followLinks(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return 'none';
  }
  if (st.isFile() && st.size === 0) return 'none';
  try {
    checkStateFile(file);
    return 'state';
  } catch {
    return 'other';
  }
}

/**
 * The temporary name a new state file is built under, beside it: `.NAME.PID.tmp`, the name
 * shortened so the whole stays within the 255 bytes a file system allows a name.
 */
function temporaryName(file: string, pid: number): string {
  const suffix = `.${pid}.tmp`;
  let base = path.basename(file);
  while (Buffer.byteLength(`.${base}${suffix}-journal`) > 255) base = base.slice(0, -1);
  return path.join(path.dirname(path.resolve(file)), `.${base}${suffix}`);
}

/**
 * What an interrupted first start left beside the state file (a process killed while it built
 * the file): its temporary file and that file's journal, removed once their process is gone.
 */
function removeLeftovers(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\.(.*)\.(\d+)\.tmp(-journal)?$/.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (path.join(dir, name.replace(/-journal$/, '')) !== temporaryName(file, pid) || processAlive(pid)) continue;
    removeQuietly(path.join(dir, name));
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next start's removeLeftovers.
  }
}

/**
 * The file a path names, through any symbolic links (a link to a file not made yet names that
 * file: relative targets are read from the link's directory). Loops end after 40 links, as the
 * kernel's do.
 */
function followLinks(file: string): string {
  let at = path.resolve(file);
  for (let i = 0; i < 40; i++) {
    let target: string;
    try {
      if (!fs.lstatSync(at).isSymbolicLink()) return at === path.resolve(file) ? file : at;
      target = fs.readlinkSync(at);
    } catch {
      return at === path.resolve(file) ? file : at;
    }
    at = path.resolve(path.dirname(at), target);
  }
  throw new StateFileError(`${file}: too many symbolic links (a loop?)`, 'readonly');
}

/**
 * Refuses, without writing to it, a file that is not ours or is from a newer schema (StoreError
 * 'foreign', as the PostgreSQL store says of a database that is not ours): read from the SQLite
 * header itself (user_version at byte 60, application_id at byte 68), which costs nothing at
 * start-up. A damaged body is caught when the file is opened, before any write.
 */
function checkStateFile(file: string): void {
  const head = Buffer.alloc(100);
  let read = 0;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      read = fs.readSync(fd, head, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new StateFileError(`cannot read state file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (read < 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new StateFileError(`${file} is not a callback-desk state file (not an SQLite database); it was left untouched`, 'foreign');
  }
  let version = head.readUInt32BE(60);
  let appId = head.readUInt32BE(68);
  if ((appId !== APPLICATION_ID || version > SCHEMA_VERSION) && fs.existsSync(`${file}-wal`)) {
    // The newest header may still sit in the write-ahead log of a process using the file: ask
    // SQLite, read-only.
    let ro: Database.Database | undefined;
    try {
      ro = new Database(file, { readonly: true, fileMustExist: true });
      appId = ro.pragma('application_id', { simple: true }) as number;
      version = ro.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      throw new StateFileError(`${file} is not a readable callback-desk state file (${(e as Error).message}); it was left untouched`);
    } finally {
      ro?.close();
    }
  }
  if (appId !== APPLICATION_ID) {
    throw new StateFileError(`${file} is not a callback-desk state file (an SQLite database of another application); it was left untouched`, 'foreign');
  }
  if (version > SCHEMA_VERSION) {
    throw new StateFileError(
      `${file} was written by a newer callback-desk (state schema ${version}; this version reads up to ${SCHEMA_VERSION}); upgrade callback-desk, the file was left untouched`,
      'foreign',
    );
  }
}

/** The store writes the file and, beside it, its -wal and -shm files. */
function checkWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch (e) {
    throw new StateFileError(`${file} is not writable (${(e as NodeJS.ErrnoException).code}); callback-desk saves every change to it`);
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new StateFileError(`the directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code}); SQLite keeps the state file's -wal and -shm files beside it`);
  }
}

export function defaultStatePath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'callback-desk', 'state.db');
}

/** `synchronous` of a state file: NORMAL unless CALLBACK_DESK_SQLITE_SYNC=full (see open). */
function sqliteSyncMode(): 'NORMAL' | 'FULL' {
  const asked = (process.env.CALLBACK_DESK_SQLITE_SYNC ?? '').trim().toLowerCase();
  if (asked === '' || asked === 'normal') return 'NORMAL';
  if (asked === 'full') return 'FULL';
  throw new StateFileError('CALLBACK_DESK_SQLITE_SYNC must be normal or full; the state was not opened');
}
