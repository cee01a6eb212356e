import type Database from 'better-sqlite3';
import type { WorldMeta, WorldSeed } from '../engine/world.js';
import { CALL_LOG_RESCHEDULED_DDL, DDL, MY_CALLBACKS_DDL, SCHEMA_VERSION, TEAM_DDL } from './schema.js';
import { writeSeed } from './seed.js';
import { fromOcsSeconds } from '../engine/time/iso-time.js';

/**
 * Schema 1 (every entity a JSON row of one `entity` table, the calling list a view over it) to
 * schema 2 (real tables). Runs inside the caller's IMMEDIATE transaction: it either completes
 * or leaves the file as it was. Schema-1 files held the whole world in memory anyway, so it is
 * read whole here.
 */
export function migrateFromV1(db: Database.Database): void {
  const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const world = meta.get('world');
  if (!world) throw new Error('it has no world (incomplete file?)');
  const m = JSON.parse(world) as WorldMeta;
  const seed: WorldSeed = {
    ...m,
    schema: SCHEMA_VERSION,
    dialer: m.dialer ?? { inFlight: [], nextCallId: 1, turn: 0, logout: null },
    // Callbacks and bookings are armed by the hoppers from the tables now, not one timer each.
    queue: { ...m.queue, items: m.queue.items.filter((i) => i.event.type !== 'CallbackDue' && i.event.type !== 'GmsDue') },
    agents: {},
    campaigns: {},
    services: {},
    interactions: {},
    contacts: {},
    records: {},
    messages: {},
    gcallbacks: {},
  };
  const collections: Record<string, keyof WorldSeed> = {
    agent: 'agents',
    campaign: 'campaigns',
    service: 'services',
    interaction: 'interactions',
    contact: 'contacts',
    record: 'records',
    message: 'messages',
    gcallback: 'gcallbacks',
  };
  for (const r of db.prepare('SELECT kind, id, body FROM entity').iterate() as Iterable<{ kind: string; id: string; body: string }>) {
    const key = collections[r.kind];
    if (!key) continue;
    let body = JSON.parse(r.body) as Record<string, unknown>;
    if (r.kind === 'record') {
      // Schema 1 kept the OCS seconds in the record; the engine now counts in ms.
      const { dial_sched_time, call_time, ...rest } = body as { dial_sched_time: number | null; call_time: number | null };
      body = { ...rest, dialSchedAt: fromOcsSeconds(dial_sched_time ?? null), callAt: fromOcsSeconds(call_time ?? null) };
    }
    (seed[key] as Record<string, unknown>)[r.id] = body;
  }
  for (const r of db.prepare('SELECT kind, next FROM counter').all() as { kind: string; next: number }[]) seed.nextIds[r.kind] = Math.max(seed.nextIds[r.kind] ?? 1, r.next);
  db.exec('DROP VIEW IF EXISTS calling_list; DROP TABLE entity; DROP TABLE counter; DROP TABLE meta;');
  db.exec(DDL);
  writeSeed(db, seed);
  const lock = meta.get('desktop');
  if (lock) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('desktop', ?)").run(lock);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * A schema-2 file made before My Callbacks: the calling list gains `booked_by` (who booked a
 * callback) and the two indexes of an agent's own callbacks. Files made before that index was
 * given up lose `calling_list_contact_info` (by contact_info): no query asked it (Team
 * Communicator's number search matches inside numbers, which no index answers), and every import
 * paid for it. Idempotent and cheap when done: it only reads the schema unless something is to
 * do. Runs inside the caller's transaction.
 */
export function upgradeSchema2(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(calling_list)').all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('booked_by')) db.exec('ALTER TABLE calling_list ADD COLUMN booked_by TEXT');
  db.exec(MY_CALLBACKS_DDL);
  db.exec('DROP INDEX IF EXISTS calling_list_contact_info');
}

/** Whether upgradeSchema2 has anything to do (read-only: no write lock is taken for nothing). */
export function needsSchema2Upgrade(db: Database.Database): boolean {
  const columns = (db.prepare('PRAGMA table_info(calling_list)').all() as { name: string }[]).map((c) => c.name);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('calling_list_booked_callback', 'gms_callback_booked_by', 'calling_list_contact_info')").pluck().all();
  return !columns.includes('booked_by') || !indexes.includes('calling_list_booked_callback') || !indexes.includes('gms_callback_booked_by') || indexes.includes('calling_list_contact_info');
}

/**
 * Whether a schema-3 file's call log lacks `rescheduled_at` (it was made before the column was):
 * read-only, so no write lock is taken for nothing.
 */
export function needsCallLogUpgrade(db: Database.Database): boolean {
  const columns = (db.prepare('PRAGMA table_info(call_log)').all() as { name: string }[]).map((c) => c.name);
  return columns.length > 0 && !columns.includes('rescheduled_at');
}

/** Gives the call log `rescheduled_at` (idempotent; inside the caller's transaction). */
export function upgradeCallLog(db: Database.Database): void {
  if (needsCallLogUpgrade(db)) db.exec(CALL_LOG_RESCHEDULED_DDL);
}

/** A numbered change of the state file's schema, from the version before it to `version`. */
export interface SqliteMigration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * The state file's migrations, oldest first; numbered as PostgreSQL's (src/store/pg/schema.ts).
 * Each runs inside the transaction that opens the file; user_version says which have run.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  // Schema 1 held every entity as a JSON row; it becomes the tables, at the newest schema at once.
  { version: 2, name: 'tables', up: migrateFromV1 },
  { version: 3, name: 'team: host lease, desktop heartbeats, call log', up: (db) => db.exec(TEAM_DDL) },
];

/** Applies the migrations past `from`, in order, and records the version reached. */
export function migrateSqlite(db: Database.Database, from: number): void {
  let at = from;
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= at) continue;
    m.up(db);
    at = Math.max(at, m.version, (db.pragma('user_version', { simple: true }) as number) || 0);
  }
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
