import type { PoolClient } from 'pg';
import { shown } from '../../commands/names.js';

/**
 * What is wrong with one row of a callback-desk database, looked for after an error no command
 * expected, as src/store/sqlite-damage.ts looks in a file: the row named by table and id. The
 * columns are typed here, so what can be damaged is the text a command reads as JSON or as a
 * zone, and the names of a campaign or an agent. JSON is tried by a function of this session's
 * own (pg_temp: nothing is written to the database); PostgreSQL 15 has no test of its own.
 */
export async function findDamagedPgRow(client: PoolClient, isZone: (tz: string) => boolean, hint: string): Promise<string | null> {
  type Row = Record<string, unknown>;
  const one = async (sql: string, params: unknown[] = []) => (await client.query<Row>(sql, params)).rows[0];
  const all = async (sql: string, params: unknown[] = []) => (await client.query<Row>(sql, params)).rows;
  await client.query(
    `CREATE OR REPLACE FUNCTION pg_temp.cbd_json_type(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
     BEGIN RETURN json_typeof(t::json); EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  );
  const badJson = (col: string, type: 'array' | 'object') => `pg_temp.cbd_json_type(${col}) IS DISTINCT FROM '${type}'`;
  const what = (r: Row, col: string, want: string) => `${col} is ${r[col] === null ? 'NULL' : shown(String(r[col]))}, not ${want}`;
  const rowName = (r: Row) => `calling_list row record_id ${String(r.record_id)}`;
  const clRow = (where: string, params: unknown[] = []) => one(`SELECT * FROM calling_list WHERE ${where} ORDER BY record_id LIMIT 1`, params);

  const named = /unknown time zone "([^"]*)"/.exec(hint)?.[1];
  if (named !== undefined) {
    const r = await clRow('tz = $1', [named]);
    if (r) return `${rowName(r)} is damaged (tz ${shown(named)} is not a time zone)`;
    const c = await one('SELECT id FROM contact WHERE tz = $1 ORDER BY id LIMIT 1', [named]);
    if (c) return `contact row id ${String(c.id)} is damaged (tz ${shown(named)} is not a time zone)`;
  }
  let r = await clRow(badJson('treatments', 'array'));
  if (r) return `${rowName(r)} is damaged (${what(r, 'treatments', 'a JSON array')})`;
  for (const z of await all('SELECT DISTINCT tz FROM calling_list')) {
    if (!isZone(z.tz as string)) {
      r = await clRow('tz = $1', [z.tz]);
      if (r) return `${rowName(r)} is damaged (tz ${shown(z.tz as string)} is not a time zone)`;
    }
  }
  r = await clRow("campaign_id NOT IN (SELECT id FROM entity WHERE kind = 'campaign')");
  if (r) return `${rowName(r)} is damaged (campaign_id ${shown(String(r.campaign_id))} is not a campaign)`;
  r = await clRow("agent_id IS NOT NULL AND agent_id NOT IN (SELECT id FROM entity WHERE kind = 'agent')");
  if (r) return `${rowName(r)} is damaged (agent_id ${shown(String(r.agent_id))} is not an agent)`;

  const c = await one(`SELECT id, fields FROM contact WHERE ${badJson('fields', 'object')} ORDER BY id LIMIT 1`);
  if (c) return `contact row id ${String(c.id)} is damaged (${what(c, 'fields', 'a JSON object')})`;
  for (const z of await all('SELECT DISTINCT tz FROM contact')) {
    if (!isZone(z.tz as string)) {
      const row = await one('SELECT id FROM contact WHERE tz = $1 ORDER BY id LIMIT 1', [z.tz]);
      if (row) return `contact row id ${String(row.id)} is damaged (tz ${shown(z.tz as string)} is not a time zone)`;
    }
  }
  const e = await one(`SELECT kind, id, body FROM entity WHERE ${badJson('body', 'object')} ORDER BY kind, id LIMIT 1`);
  if (e) return `entity row ${String(e.kind)} id ${String(e.id)} is damaged (${what(e, 'body', 'a JSON object')})`;
  for (const table of ['gms_callback', 'interaction', 'message']) {
    const b = await one(`SELECT id, body FROM ${table} WHERE ${badJson('body', 'object')} ORDER BY id LIMIT 1`);
    if (b) return `${table} row id ${String(b.id)} is damaged (${what(b, 'body', 'a JSON object')})`;
  }
  return null;
}
