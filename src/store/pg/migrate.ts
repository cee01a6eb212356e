import type { WorldSeed } from '../../engine/world.js';
import { StoreError } from '../../engine/store-port.js';
import { MIGRATION_TABLE_DDL, PG_MIGRATIONS, type PgMigration } from './schema.js';
import { writeSeed } from './seed.js';
import type { PgConn } from './tables.js';

/**
 * What opening a database does to it, in one transaction under an advisory lock (so two
 * processes opening an empty database at once do not both create it, and two of a newer
 * build do not both migrate): an empty schema gets the tables and the world; a callback-desk
 * schema gets the migrations it lacks; anything else is refused untouched.
 */
export async function prepareDatabase(c: PgConn, location: string, create: () => WorldSeed, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<{ created: boolean }> {
  const newest = migrations[migrations.length - 1].version;
  await c.run("SELECT pg_advisory_xact_lock(hashtextextended('callback-desk schema ' || coalesce(current_schema(), ''), 0))");
  const schema = (await c.first<{ s: string | null }>('SELECT current_schema() AS s'))?.s ?? null;
  if (schema === null) {
    throw new StoreError('refused', `${location}: no schema to create the tables in (search_path names none that exists); nothing was written`);
  }
  const relations = (
    await c.rows<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    )
  ).map((r) => r.relname);

  if (relations.length === 0) {
    await c.run(MIGRATION_TABLE_DDL);
    for (const m of migrations) await apply(c, m);
    await writeSeed(c, create());
    return { created: true };
  }
  if (!relations.includes('schema_migration') || !relations.includes('meta')) {
    const shown = relations.slice(0, 5).join(', ') + (relations.length > 5 ? `, … (${relations.length} in all)` : '');
    throw new StoreError('foreign', `${location} is not a callback-desk database: schema ${schema} holds other tables (${shown}); it was left untouched (create an empty database for callback-desk)`);
  }
  const applied = (await c.first<{ v: number | null }>('SELECT max(version) AS v FROM schema_migration'))?.v ?? 0;
  if (applied > newest) {
    throw new StoreError(
      'foreign',
      `${location} was written by a newer callback-desk (state schema ${applied}; this version reads up to ${newest}); upgrade callback-desk, the database was left untouched`,
    );
  }
  for (const m of migrations) if (m.version > applied) await apply(c, m);
  // A call log made before it kept when a callback was booked on a call gains the nullable
  // column (no row changes; the schema stays 3). Asked first: ALTER would lock the table. Asked
  // of pg_attribute: information_schema's view took 14 ms of every start's first transaction.
  const rescheduledAt = "SELECT 1 AS one FROM pg_attribute WHERE attrelid = to_regclass(quote_ident(current_schema()) || '.call_log') AND attname = 'rescheduled_at' AND NOT attisdropped";
  if (applied >= 3 && !(await c.first(rescheduledAt))) {
    await c.run('ALTER TABLE call_log ADD COLUMN rescheduled_at BIGINT');
  }
  const world = await c.first<{ value: string }>("SELECT value FROM meta WHERE key = 'world'");
  const revision = await c.first<{ value: string }>("SELECT value FROM meta WHERE key = 'revision'");
  if (!world || !revision) throw new StoreError('damaged', `${location} has no world (an incomplete database?); it was left untouched`);
  try {
    JSON.parse(world.value);
  } catch (e) {
    throw new StoreError('damaged', `${location} is damaged (its world cannot be read: ${(e as Error).message}); it was left untouched`);
  }
  return { created: false };
}

async function apply(c: PgConn, m: PgMigration): Promise<void> {
  await c.run(m.sql);
  await c.run('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
}
