import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreError, WORLD_TABLES, type StorePort, type WorldRows, type WorldTable } from '../engine/store-port.js';
import { isPostgresUrl } from './state-location.js';
import { SqliteStore, buildStateFile, stateFileAt } from './sqlite-store.js';
import { loadPg } from './load-pg.js';

/**
 * `state copy FROM TO`: a whole world from one state to another, any backend to any: every row
 * of every table (rowids kept where SQLite has them and a query reads them: contacts and
 * configuration rows), the counters, the clock and meta; not the desktop lock. Streamed table by
 * table in batches (constant memory), written in one transaction (a file built under a
 * temporary name and renamed into place), so a copy that fails leaves nothing behind. The
 * target must hold no world: a path with no file (or an empty one), or an empty database.
 */

export type CopyCounts = Record<WorldTable, number> & { agents: number; campaigns: number; services: number };

/** Where a world is written: rows in, then commit (or abort). */
interface CopyTarget {
  readonly location: string;
  write(batch: WorldRows): Promise<void>;
  /** Writes everything through fill, in one transaction; nothing is left when fill throws. */
  run(fill: () => Promise<void>): Promise<void>;
}

/** A state that does not exist is not made by a copy from it. */
async function openSource(from: string): Promise<StorePort> {
  const noWorld = () => {
    throw new StoreError('refused', `${from} holds no world (an empty database): nothing to copy`);
  };
  if (isPostgresUrl(from)) {
    const { PgStore } = await loadPg(() => import('./pg/pg-store.js'));
    return (await PgStore.open(from, noWorld)).store;
  }
  let size: number;
  try {
    size = fs.statSync(from).size;
  } catch (e) {
    throw new StoreError('refused', `cannot read ${from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing to copy`);
  }
  if (size === 0) throw new StoreError('refused', `${from} is empty: nothing to copy`);
  return (await SqliteStore.open(from, noWorld)).store;
}

/** A SQLite file to be: refused when a file is there already. */
function sqliteTarget(to: string): CopyTarget {
  const there = stateFileAt(to);
  if (there === 'state') throw new StoreError('refused', `${to} already holds a world; state copy writes only to a new file or an empty database (nothing was written)`);
  if (there === 'other') throw new StoreError('foreign', `${to} exists and is not an empty file (not a callback-desk state file); state copy writes only to a new file or an empty database (nothing was written)`);
  let db: Database.Database | undefined;
  const inserts = new Map<WorldTable, Database.Statement>();
  return {
    location: to,
    async write({ table, rows }) {
      let st = inserts.get(table);
      if (!st) {
        const cols = WORLD_TABLES[table];
        st = db!.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        inserts.set(table, st);
      }
      for (const r of rows) st.run(r);
    },
    async run(fill) {
      await buildStateFile(to, async (d) => {
        db = d;
        // The new file's tables start empty: the world's rows replace none.
        await fill();
      });
    },
  };
}

export interface CopyResult {
  from: string;
  to: string;
  counts: CopyCounts;
}

export async function copyState(from: string, to: string): Promise<CopyResult> {
  const target: CopyTarget = isPostgresUrl(to) ? await (await loadPg(() => import('./pg/pg-copy-target.js'))).pgCopyTarget(to) : sqliteTarget(to);
  let source: StorePort | undefined;
  const counts = Object.fromEntries([...Object.keys(WORLD_TABLES), 'agents', 'campaigns', 'services'].map((k) => [k, 0])) as CopyCounts;
  try {
    await target.run(async () => {
      source = await openSource(from);
      for await (const batch of source.bulk.readWorld()) {
        await target.write(batch);
        counts[batch.table] += batch.rows.length;
        if (batch.table === 'entity') {
          for (const r of batch.rows) {
            if (r[0] === 'agent') counts.agents++;
            else if (r[0] === 'campaign') counts.campaigns++;
            else if (r[0] === 'service') counts.services++;
          }
        }
      }
      if (counts.meta === 0) throw new StoreError('damaged', `${source.location} has no world (no meta rows); nothing was written`);
    });
  } finally {
    await source?.close();
  }
  return { from: source?.location ?? from, to: target.location, counts };
}
