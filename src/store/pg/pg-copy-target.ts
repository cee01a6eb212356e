import pgCopy from 'pg-copy-streams';
import { StoreError, WORLD_TABLES, type WorldRows, type WorldTable } from '../../engine/store-port.js';
import { isConnectionFailure, toStoreError } from './errors.js';
import { MIGRATION_TABLE_DDL, PG_MIGRATIONS } from './schema.js';
import { connectOne } from './pg-store.js';

/** COPY text of a value: \N for NULL, backslash, tab and line breaks escaped. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/**
 * `state copy` into PostgreSQL: an empty database gets the tables (the migrations, as a new
 * database does) and the world's rows through one COPY a table, in one transaction under the
 * schema's advisory lock (two copies into one database do not both write). A database that
 * holds a world, or other tables, is refused untouched.
 */
export async function pgCopyTarget(url: string) {
  const { client, location } = await connectOne(url);
  let copy: ReturnType<typeof pgCopy.from> | null = null;
  let table: WorldTable | null = null;
  let failure: unknown;

  const endCopy = async () => {
    const c = copy;
    copy = null;
    table = null;
    if (!c) return;
    await new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      c.once('finish', resolve);
      c.once('error', reject);
      c.end();
    });
  };

  return {
    location,
    async write({ table: t, rows }: WorldRows): Promise<void> {
      if (t !== table) {
        await endCopy();
        table = t;
        copy = client.query(pgCopy.from(`COPY ${t} (${WORLD_TABLES[t].join(', ')}) FROM STDIN`));
        copy.on('error', (e: unknown) => {
          failure ??= e;
        });
      }
      let text = '';
      for (const r of rows) text += `${r.map(field).join('\t')}\n`;
      if (failure) throw failure;
      if (!copy!.write(text)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            copy?.off('drain', done);
            copy?.off('error', done);
            resolve();
          };
          copy!.on('drain', done);
          copy!.on('error', done);
        });
      }
      if (failure) throw failure;
    },
    async run(fill: () => Promise<void>): Promise<void> {
      let lost = false;
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('callback-desk schema ' || coalesce(current_schema(), ''), 0))");
        const schema = (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s ?? null;
        if (schema === null) throw new StoreError('refused', `${location}: no schema to create the tables in (search_path names none that exists); nothing was written`);
        const relations = (
          await client.query<{ relname: string }>(
            `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
          )
        ).rows.map((r) => r.relname);
        if (relations.includes('schema_migration') && relations.includes('meta')) {
          throw new StoreError('refused', `${location} already holds a world; state copy writes only to a new file or an empty database (nothing was written)`);
        }
        if (relations.length > 0) {
          throw new StoreError('foreign', `${location} is not empty: schema ${schema} holds other tables (${relations.slice(0, 5).join(', ')}${relations.length > 5 ? ', …' : ''}); state copy writes only to a new file or an empty database (nothing was written)`);
        }
        await client.query(MIGRATION_TABLE_DDL);
        for (const m of PG_MIGRATIONS) {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
        }
        await fill();
        await endCopy();
        await client.query('COMMIT');
        // Statistics for the dialer's queries on the rows just written.
        await client.query('ANALYZE').catch(() => {});
      } catch (e) {
        lost = isConnectionFailure(e);
        if (copy) {
          const c = copy;
          copy = null;
          c.destroy(new Error('copy aborted'));
        }
        if (!lost) await client.query('ROLLBACK').catch(() => {});
        throw toStoreError(e, location);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
