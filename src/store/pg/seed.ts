import type { WorldSeed } from '../../engine/world.js';
import { SCHEMA_VERSION } from '../schema.js';
import { holdsCapacity, recordParams } from '../tables.js';
import { STORED_COLUMNS, contactParams, gcallbackParams, interactionParams, messageParams, type PgConn } from './tables.js';

/**
 * The rows of a seed world, as src/store/seed.ts writes them into a new SQLite file: the same
 * meta rows, counters, configuration rows (rowid in the order written), contacts (rowid in
 * order), records with their campaign zones, interactions at revision 1, messages, bookings
 * and the places they hold. Written a table at a time (arrays unnested in one INSERT), not a
 * row at a time: a demo world is thousands of rows, and each statement is a round trip.
 */
export async function writeSeed(c: PgConn, w: WorldSeed): Promise<void> {
  const world = { schema: SCHEMA_VERSION, seed: w.seed, now: w.now, rng: w.rng, queue: w.queue, nextIds: w.nextIds, session: w.session, dialer: w.dialer };
  await insertRows(c, 'meta', { key: 'text', value: 'text' }, [
    ['world', JSON.stringify(world)],
    ['revision', '1'],
  ]);
  await insertRows(c, 'counter', { kind: 'text', next: 'bigint' }, Object.entries(w.nextIds));
  const entities: unknown[][] = [];
  for (const [kind, rows] of [
    ['agent', w.agents],
    ['campaign', w.campaigns],
    ['service', w.services],
  ] as const) {
    for (const [id, body] of Object.entries(rows)) entities.push([kind, id, JSON.stringify(body), 1, entities.length + 1]);
  }
  await insertRows(c, 'entity', { kind: 'text', id: 'text', body: 'text', rev: 'bigint', rowid: 'bigint' }, entities);
  await insertRows(
    c,
    'contact',
    { id: 'text', first_name: 'text', last_name: 'text', tz: 'text', email: 'text', fields: 'text', rowid: 'bigint' },
    Object.values(w.contacts).map((ct, i) => [...contactParams(ct), i + 1]),
  );
  await insertRows(c, 'calling_list', RECORD_TYPES, Object.values(w.records).map(recordParams));
  await c.run('INSERT INTO campaign_zone (campaign_id, tz, min_from, max_till) SELECT campaign_id, tz, min(daily_from), max(daily_till) FROM calling_list GROUP BY campaign_id, tz');
  await insertRows(
    c,
    'interaction',
    { id: 'text', state: 'text', kind: 'text', contact_id: 'text', created_at: 'bigint', body: 'text', rev: 'bigint' },
    Object.values(w.interactions).map((it) => interactionParams(it, 1)),
  );
  await insertRows(
    c,
    'message',
    { id: 'text', agent_id: 'text', kind: 'text', subject: 'text', created_at: 'bigint', seq: 'bigint', read: 'integer', body: 'text' },
    Object.values(w.messages).map(messageParams),
  );
  const bookings = Object.values(w.gcallbacks);
  await insertRows(
    c,
    'gms_callback',
    { id: 'text', seq: 'bigint', service: 'text', contact_id: 'text', customer_number: 'text', state: 'text', reason: 'text', slot: 'bigint', desired_time: 'bigint', body: 'text' },
    bookings.map(gcallbackParams),
  );
  const places = new Map<string, { service: string; slot: number; booked: number }>();
  for (const cb of bookings) {
    if (!holdsCapacity(cb)) continue;
    const key = `${cb.slot} ${cb.service}`;
    const p = places.get(key) ?? { service: cb.service, slot: cb.slot, booked: 0 };
    p.booked++;
    places.set(key, p);
  }
  await insertRows(c, 'gms_slot', { service: 'text', slot: 'bigint', booked: 'integer' }, [...places.values()].map((p) => [p.service, p.slot, p.booked]));
}

const BIGINT_COLUMNS = new Set(['record_id', 'dial_sched_time', 'call_time', 'chain_id']);
const TEXT_COLUMNS = new Set(['contact_info', 'tz', 'campaign_id', 'agent_id', 'group_id', 'contact_id', 'treatments', 'callback_local', 'disposition', 'booked_by']);
const RECORD_TYPES = Object.fromEntries(STORED_COLUMNS.map((col) => [col, BIGINT_COLUMNS.has(col) ? 'bigint' : TEXT_COLUMNS.has(col) ? 'text' : 'integer'])) as Record<
  string,
  'bigint' | 'text' | 'integer'
>;

/** Rows (values in the columns' order) into a table, one statement per few thousand rows. */
export async function insertRows(c: PgConn, table: string, columns: Record<string, 'text' | 'bigint' | 'integer'>, rows: unknown[][]): Promise<void> {
  const names = Object.keys(columns);
  const types = Object.values(columns);
  for (let start = 0; start < rows.length; start += 5000) {
    const batch = rows.slice(start, start + 5000);
    const arrays = names.map((_, i) => batch.map((r) => r[i] ?? null));
    await c.run(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`, arrays);
  }
}
