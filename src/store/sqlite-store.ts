import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PersistBatch } from '../engine/engine.js';
import {
  SCHEMA_VERSION,
  assembleWorld,
  worldEntities,
  worldMeta,
  type EntityKind,
  type EntityRow,
  type WorldMeta,
  type WorldState,
} from '../engine/world.js';

/** "CBDS": marks a SQLite file as a callback-desk state file (PRAGMA application_id). */
export const APPLICATION_ID = 0x43424453;

/** A state-file problem the user must fix; the CLI prints it and exits 2. */
export class StateFileError extends Error {}

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (
  kind TEXT NOT NULL,
  id   TEXT NOT NULL,
  body TEXT NOT NULL,
  rev  INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX entity_rev ON entity (rev);
-- Ids are handed out here, not in memory, so a script and the desktop on one file never
-- create two entities with the same id.
CREATE TABLE counter (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
-- The calling list in OCS field names, for anyone who opens the file with sqlite3.
CREATE VIEW calling_list AS
SELECT json_extract(body, '$.record_id') AS record_id,
       json_extract(body, '$.contact_info') AS contact_info,
       json_extract(body, '$.contact_info_type') AS contact_info_type,
       json_extract(body, '$.record_type') AS record_type,
       json_extract(body, '$.record_status') AS record_status,
       json_extract(body, '$.call_result') AS call_result,
       json_extract(body, '$.attempt') AS attempt,
       json_extract(body, '$.dial_sched_time') AS dial_sched_time,
       json_extract(body, '$.call_time') AS call_time,
       json_extract(body, '$.daily_from') AS daily_from,
       json_extract(body, '$.daily_till') AS daily_till,
       json_extract(body, '$.tz_dbid') AS tz_dbid,
       json_extract(body, '$.tz') AS tz,
       json_extract(body, '$.campaign_id') AS campaign_id,
       json_extract(body, '$.agent_id') AS agent_id,
       json_extract(body, '$.chain_id') AS chain_id,
       json_extract(body, '$.chain_n') AS chain_n
FROM entity WHERE kind = 'record';
`;

export interface OpenedStore {
  store: SqliteStore;
  world: WorldState;
  created: boolean;
}

/**
 * The embedded store: one SQLite file (WAL, so a reader never blocks the writer) holding the
 * world's entities as JSON rows and its meta. Every save is one IMMEDIATE transaction, so two
 * processes on one file serialise instead of corrupting it.
 */
export class SqliteStore {
  /** Highest revision this process has seen or written. */
  private seenRevision = 0;

  private constructor(private readonly db: Database.Database, readonly file: string) {}

  /** Opens `file` (":memory:" for --ephemeral), creating it with `create()` when new. */
  static open(file: string, create: () => WorldState): OpenedStore {
    const memory = file === ':memory:';
    let isNew = memory || !fs.existsSync(file) || fs.statSync(file).size === 0;
    if (!isNew) checkStateFile(file);
    if (!memory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (e) {
      throw new StateFileError(`cannot open state file ${file}: ${(e as Error).message}`);
    }
    db.pragma('busy_timeout = 10000');
    const store = new SqliteStore(db, file);
    // An existing file is read before anything is written to it (even the journal mode), so a
    // damaged one is refused untouched.
    let existing: WorldState | undefined;
    if (!isNew) {
      try {
        existing = store.load();
      } catch (e) {
        db.close();
        if (e instanceof StateFileError) throw e;
        throw new StateFileError(`${file} is damaged (${(e as Error).message}); it was left untouched: restore a backup or use --state for another file`);
      }
    }
    if (!memory) db.pragma('journal_mode = WAL');
    // FULL: a transaction that returned is on disk even if the machine loses power.
    db.pragma('synchronous = FULL');
    if (isNew) {
      // Another process may have created it meanwhile; the IMMEDIATE lock decides who does.
      const created = db
        .transaction(() => {
          const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get();
          if (has) return false;
          db.exec(DDL);
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
          const world = create();
          const seed = db.prepare('INSERT INTO counter (kind, next) VALUES (?, ?)');
          for (const [kind, next] of Object.entries(world.nextIds)) seed.run(kind, next);
          store.writeAll(world);
          return true;
        })
        .immediate();
      isNew = created;
    }
    return { store, world: existing ?? store.load(), created: isNew };
  }

  /** Reads the whole world. */
  load(): WorldState {
    const metaRows = this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    const m = new Map(metaRows.map((r) => [r.key, r.value]));
    const world = m.get('world');
    if (!world) throw new StateFileError(`${this.file}: state file has no world (incomplete file?)`);
    let meta: WorldMeta;
    try {
      meta = JSON.parse(world) as WorldMeta;
    } catch (e) {
      throw new StateFileError(`${this.file} is damaged (its world cannot be read: ${(e as Error).message}); it was left untouched`);
    }
    this.seenRevision = Number(m.get('revision') ?? 0);
    const rows = this.db.prepare('SELECT kind, id, body FROM entity').all() as { kind: EntityKind; id: string; body: string }[];
    return assembleWorld(
      meta,
      rows.map((r) => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body) })),
    );
  }

  private writeAll(w: WorldState): void {
    this.save({ meta: worldMeta(w), rows: [...worldEntities(w)] });
  }

  /**
   * The next id of a kind, shared by every process on the file. Deterministic for one process:
   * the counter continues across restarts exactly as the in-memory one would have.
   */
  allocateId(kind: string, initial = 1): number {
    const tx = this.db.transaction(() => {
      const row = this.db.prepare('UPDATE counter SET next = next + 1 WHERE kind = ? RETURNING next - 1 AS id').get(kind) as { id: number } | undefined;
      if (row) return row.id;
      this.db.prepare('INSERT INTO counter (kind, next) VALUES (?, ?)').run(kind, initial + 1);
      return initial;
    });
    return this.db.inTransaction ? tx() : tx.immediate();
  }

  /**
   * Writes one batch in one transaction (nested inside `atomically` it becomes a savepoint).
   * `meta: false` writes only entities: scripting commands leave the clock, timers and session
   * to the desktop that owns them.
   */
  save(batch: PersistBatch, opts: { meta?: boolean } = {}): void {
    const tx = this.db.transaction(() => {
      const rev = this.revision() + 1;
      const upsert = this.db.prepare(
        'INSERT INTO entity (kind, id, body, rev) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, rev = excluded.rev',
      );
      const del = this.db.prepare('DELETE FROM entity WHERE kind = ? AND id = ?');
      for (const r of batch.rows) {
        if (r.body === null || r.body === undefined) del.run(r.kind, r.id);
        else upsert.run(r.kind, r.id, JSON.stringify(r.body), rev);
      }
      const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      if (opts.meta !== false) put.run('world', JSON.stringify(batch.meta));
      put.run('revision', String(rev));
      this.seenRevision = rev;
    });
    if (this.db.inTransaction) tx();
    else tx.immediate();
  }

  revision(): number {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = 'revision'").get() as { value: string } | undefined;
    return Number(r?.value ?? 0);
  }

  /**
   * Rows another process wrote since this one last looked (the desktop polls this so a
   * `callbacks add` from a script shows up without a restart).
   */
  externalChanges(): EntityRow[] | null {
    const current = this.revision();
    if (current <= this.seenRevision) return null;
    const rows = this.db
      .prepare('SELECT kind, id, body FROM entity WHERE rev > ?')
      .all(this.seenRevision) as { kind: EntityKind; id: string; body: string }[];
    this.seenRevision = current;
    return rows.map((r) => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body) }));
  }

  /**
   * One desktop per state file: two would each run their own clock and overwrite each other's
   * timers. A lock left by a killed desktop (its process is gone) is taken over.
   */
  acquireDesktopLock(pid: number, isAlive: (pid: number) => boolean): void {
    this.atomically(() => {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'desktop'").get() as { value: string } | undefined;
      if (row) {
        const lock = JSON.parse(row.value) as { pid: number };
        if (lock.pid !== pid && isAlive(lock.pid)) {
          throw new StateFileError(`${this.file} is open in another callback-desk desktop (pid ${lock.pid}); quit it or use --state for another file`);
        }
      }
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('desktop', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ pid }));
    });
  }

  releaseDesktopLock(pid: number): void {
    this.db.prepare("DELETE FROM meta WHERE key = 'desktop' AND json_extract(value, '$.pid') = ?").run(pid);
  }

  /** Runs read-modify-write as one IMMEDIATE transaction (scripting commands use this). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Refuses, without writing to it, a file that is not ours or is from a newer schema: read from
 * the SQLite header itself (user_version at byte 60, application_id at byte 68), which costs
 * nothing at start-up. A damaged body is caught when the world is read, before any write.
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
    throw new StateFileError(`${file} is not a callback-desk state file (not an SQLite database); it was left untouched`);
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
    throw new StateFileError(`${file} is not a callback-desk state file (an SQLite database of another application); it was left untouched`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StateFileError(
      `${file} was written by a newer callback-desk (state schema ${version}; this version reads up to ${SCHEMA_VERSION}); upgrade callback-desk, the file was left untouched`,
    );
  }
}

export function defaultStatePath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'callback-desk', 'state.db');
}
