import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PG_TABLES } from '../../src/store/pg/schema.js';
import { copyDatabase, dropDatabases, freshDatabase, pgQuery } from './pg-db.js';

/**
 * The two places a state can be, for the tests that run a desktop, scripts and the bin on each:
 * a SQLite file, and a PostgreSQL database on the run's server (tests/helpers/pg-global-setup.ts),
 * a fresh one each time. What a test reads it reads through the store or the bin where it can;
 * what only a test does (a row damaged on purpose, every row compared) is here, once per backend.
 */
export interface StateBackend {
  readonly name: 'sqlite' | 'postgres';
  /** How the desktop names it in a message ("not saved: the state file is busy"). */
  readonly noun: 'the state file' | 'the database';
  /** A place for a new state, nothing there yet: a file path, or an empty database's URL. */
  fresh(label: string): Promise<string>;
  /** A copy of a state no process has open (a file copied; a database made from it as template). */
  copy(state: string, label: string): Promise<string>;
  /** One SQL statement run on the state from outside callback-desk (written for both dialects). */
  exec(state: string, sql: string): Promise<void>;
  /**
   * Every row of the given tables (all of callback-desk's by default) in a stable order, as the
   * driver reads them: equal before and after means nothing changed. `stable` leaves out what
   * every transaction or a desktop's start writes (the revision, the desktop lock, rev columns).
   */
  rows(state: string, opts?: { tables?: readonly string[]; stable?: boolean }): Promise<Record<string, unknown[]>>;
  /**
   * What "left untouched" means for the backend, as a digest: a SQLite file's bytes (and its
   * write-ahead log's), byte for byte; every row of every table of a database, the migrations'
   * included.
   */
  fingerprint(state: string): Promise<string>;
  /** Removes what fresh and copy made. */
  cleanup(): Promise<void>;
}

const ALL_TABLES = PG_TABLES.filter((t) => t !== 'schema_migration');

function stripVolatile(table: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.filter((r) => !(table === 'meta' && (r.key === 'revision' || r.key === 'desktop'))).map(({ rev: _rev, ...rest }) => rest);
}

export function sqliteStates(prefix = 'cbd-states-'): StateBackend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let n = 0;
  return {
    name: 'sqlite',
    noun: 'the state file',
    fresh: async (label) => path.join(dir, `${label}-${++n}.db`),
    async copy(state, label) {
      const to = path.join(dir, `${label}-${++n}.db`);
      fs.copyFileSync(state, to);
      return to;
    },
    async exec(state, sql) {
      const db = new Database(state);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    async rows(state, { tables = ALL_TABLES, stable = false } = {}) {
      const db = new Database(state, { readonly: true });
      try {
        const out: Record<string, unknown[]> = {};
        for (const t of tables) {
          const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all() as Record<string, unknown>[];
          out[t] = stable ? stripVolatile(t, rows) : rows;
        }
        return out;
      } finally {
        db.close();
      }
    },
    async fingerprint(state) {
      const h = crypto.createHash('sha256');
      for (const f of [state, `${state}-wal`]) {
        h.update(f.endsWith('-wal') ? '|wal|' : '|db|');
        if (fs.existsSync(f)) h.update(fs.readFileSync(f));
      }
      return h.digest('hex');
    },
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresStates(): StateBackend {
  return {
    name: 'postgres',
    noun: 'the database',
    fresh: async (label) => (await freshDatabase(label)).url,
    copy: async (state, label) => (await copyDatabase(state, label)).url,
    exec: async (state, sql) => void (await pgQuery(state, sql)),
    async rows(state, { tables = ALL_TABLES, stable = false } = {}) {
      // One statement on one connection: every table's rows as JSON, in a stable order.
      const [row] = await pgQuery<Record<string, Record<string, unknown>[] | null>>(
        state,
        `SELECT ${tables.map((t) => `(SELECT json_agg(x) FROM (SELECT * FROM ${t} ORDER BY 1, 2) x) AS ${t}`).join(', ')}`,
      );
      return Object.fromEntries(tables.map((t) => [t, stable ? stripVolatile(t, row[t] ?? []) : (row[t] ?? [])]));
    },
    async fingerprint(state) {
      return digest(await this.rows(state, { tables: PG_TABLES }));
    },
    cleanup: () => dropDatabases(),
  };
}

/** Both backends, SQLite first. */
export function stateBackends(prefix?: string): StateBackend[] {
  return [sqliteStates(prefix), postgresStates()];
}

/** A short digest of rows, for a message-sized "nothing changed". */
export function digest(rows: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}
