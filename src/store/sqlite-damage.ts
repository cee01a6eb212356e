import type Database from 'better-sqlite3';
import { shown } from '../commands/names.js';

/**
 * What is wrong with one row of a state file, looked for with plain SQL (read only), after an
 * error no command expected: the row named by table and id. `hint` is the error's message (the
 * zone it names is looked for first: that is the row the command tripped on).
 */
export function findDamagedSqliteRow(db: Database.Database, isZone: (tz: string) => boolean, hint: string): string | null {
  type Row = Record<string, unknown>;
  const one = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Row | undefined;
  const badJson = (col: string, type: 'array' | 'object') => `CASE WHEN json_valid(${col}) THEN json_type(${col}) <> '${type}' ELSE 1 END`;
  const what = (r: Row, col: string, want: string) => `${col} is ${r[col] === null ? 'NULL' : shown(String(r[col]))}, not ${want}`;

  // The calling list: the column types, treatments (a JSON array), the zone, the campaign and agent.
  const ints = ['contact_info_type', 'record_type', 'record_status', 'call_result', 'attempt', 'daily_from', 'daily_till', 'tz_dbid', 'chain_id', 'chain_n'];
  const nullableInts = ['dial_sched_time', 'call_time'];
  const texts = ['contact_info', 'tz', 'campaign_id', 'group_id', 'contact_id'];
  const clRow = (where: string, ...params: unknown[]) => one(`SELECT * FROM calling_list WHERE ${where} ORDER BY record_id LIMIT 1`, ...params);
  const rowName = (r: Row) => `calling_list row record_id ${String(r.record_id)}`;
  const named = /unknown time zone "([^"]*)"/.exec(hint)?.[1];
  if (named !== undefined) {
    const r = clRow('tz = ?', named) ?? undefined;
    if (r) return `${rowName(r)} is damaged (tz ${shown(named)} is not a time zone)`;
    const c = one('SELECT id FROM contact WHERE tz = ? ORDER BY id LIMIT 1', named);
    if (c) return `contact row id ${String(c.id)} is damaged (tz ${shown(named)} is not a time zone)`;
  }
  let r = clRow(
    [
      ...ints.map((c) => `typeof(${c}) <> 'integer'`),
      ...nullableInts.map((c) => `typeof(${c}) NOT IN ('integer', 'null')`),
      ...texts.map((c) => `typeof(${c}) <> 'text'`),
      badJson('treatments', 'array'),
    ].join(' OR '),
  );
  if (r) {
    const row = r;
    const col =
      ints.find((c) => typeof row[c] !== 'number' || !Number.isInteger(row[c])) ??
      nullableInts.find((c) => row[c] !== null && (typeof row[c] !== 'number' || !Number.isInteger(row[c])));
    if (col) return `${rowName(row)} is damaged (${what(row, col, 'a whole number')})`;
    const t = texts.find((c) => typeof row[c] !== 'string');
    if (t) return `${rowName(row)} is damaged (${what(row, t, 'text')})`;
    return `${rowName(row)} is damaged (${what(row, 'treatments', 'a JSON array')})`;
  }
  for (const z of db.prepare('SELECT DISTINCT tz FROM calling_list').pluck().all() as string[]) {
    if (!isZone(z)) {
      r = clRow('tz = ?', z);
      if (r) return `${rowName(r)} is damaged (tz ${shown(z)} is not a time zone)`;
    }
  }
  r = clRow("campaign_id NOT IN (SELECT id FROM entity WHERE kind = 'campaign')");
  if (r) return `${rowName(r)} is damaged (campaign_id ${shown(String(r.campaign_id))} is not a campaign)`;
  r = clRow("agent_id IS NOT NULL AND agent_id NOT IN (SELECT id FROM entity WHERE kind = 'agent')");
  if (r) return `${rowName(r)} is damaged (agent_id ${shown(String(r.agent_id))} is not an agent)`;

  // Contacts: names and zone as text, the zone known, fields a JSON object.
  const c = one(`SELECT * FROM contact WHERE typeof(first_name) <> 'text' OR typeof(last_name) <> 'text' OR typeof(tz) <> 'text' OR typeof(email) <> 'text' OR ${badJson('fields', 'object')} ORDER BY id LIMIT 1`);
  if (c) {
    const col = ['first_name', 'last_name', 'tz', 'email'].find((k) => typeof c[k] !== 'string');
    return `contact row id ${String(c.id)} is damaged (${col ? what(c, col, 'text') : what(c, 'fields', 'a JSON object')})`;
  }
  for (const z of db.prepare('SELECT DISTINCT tz FROM contact').pluck().all() as string[]) {
    if (!isZone(z)) {
      const row = one('SELECT id FROM contact WHERE tz = ? ORDER BY id LIMIT 1', z);
      if (row) return `contact row id ${String(row.id)} is damaged (tz ${shown(z)} is not a time zone)`;
    }
  }
  // The JSON rows: configuration, bookings, interactions, messages.
  const e = one(`SELECT kind, id, body FROM entity WHERE ${badJson('body', 'object')} ORDER BY kind, id LIMIT 1`);
  if (e) return `entity row ${String(e.kind)} id ${String(e.id)} is damaged (${what(e, 'body', 'a JSON object')})`;
  for (const table of ['gms_callback', 'interaction', 'message']) {
    const b = one(`SELECT id, body FROM ${table} WHERE ${badJson('body', 'object')} ORDER BY id LIMIT 1`);
    if (b) return `${table} row id ${String(b.id)} is damaged (${what(b, 'body', 'a JSON object')})`;
  }
  return null;
}
