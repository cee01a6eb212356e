import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin, tmpDir } from '../helpers/bin.js';

// On a SQLite file only, for now: `records import` and `records export` do not run on a
// PostgreSQL database yet (they move into src/store, through COPY and a cursor, next). `records
// list` on a database: tests/cli/postgres-state.test.ts.
const dir = tmpDir('cbd-records-io-');
const NOW = '2026-11-24T15:00:00Z';
const WORLD = ['--now', NOW, '--seed', '1'];

/** The world every new state starts as, made by the bin once (the first newState) and then copied. */
let template: string | undefined;

/** A new state file, with a campaign of its own (so its calling list holds only what we import). */
function newState(name: string): string {
  if (template === undefined) {
    const file = path.join(dir, 'template.db');
    const r = runBin(['records', 'list', '--state', file, ...WORLD, '--limit', '1']);
    expect(r.status).toBe(0);
    const db = new Database(file);
    const base = JSON.parse(db.prepare("SELECT body FROM entity WHERE kind = 'campaign' AND id = 'collections-q4'").pluck().get() as string);
    const bulk = { ...base, id: 'bulk-test', name: 'Bulk Test', status: 'Loaded', startedAt: null, customFields: ['Account', 'Note'] };
    db.prepare("INSERT INTO entity (kind, id, body, rev) VALUES ('campaign', 'bulk-test', ?, 1)").run(JSON.stringify(bulk));
    // The last connection closed: its write-ahead log is in the file.
    db.close();
    template = file;
  }
  const file = path.join(dir, name);
  fs.copyFileSync(template, file);
  return file;
}

function query<T = Record<string, unknown>>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const count = (file: string, where = '1') => (query<{ n: number }>(file, `SELECT count(*) AS n FROM calling_list WHERE ${where}`)[0].n);

const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'Africa/Nairobi'];

/**
 * n rows in the calling-list field names: two numbers per chain, a few campaign and personal
 * callbacks, a zone the demo world does not have, custom fields with commas and quotes.
 */
function generatedCsv(n: number): string {
  const lines = ['contact_info,contact_info_type,record_type,record_status,dial_sched_time,agent_id,daily_from,daily_till,tz,chain_id,first_name,last_name,Account,Note'];
  for (let i = 0; i < n; i++) {
    const type = i % 50 === 7 ? 6 : i % 50 === 9 ? 5 : 2;
    const sched = type === 2 ? '' : String(Date.UTC(2026, 10, 25, 15) / 1000 + i * 60);
    const agent = type === 5 ? 'a.lopez' : '';
    const note = i % 3 === 0 ? '"owes, ""a lot"""' : `note ${i}`;
    lines.push(
      // The two rows of a chain are one contact in one zone (records import refuses a chain whose rows disagree on it).
      [`+1212${String(5550000 + i).padStart(7, '0')}`, i % 2 ? 4 : 1, type, 1, sched, agent, 9 * 3600 + (i % 4) * 1800, 20 * 3600, ZONES[Math.floor(i / 2) % ZONES.length], 900000 + Math.floor(i / 2), `First${i}`, `Last${i}`, `AC-${i}`, note].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function writeCsv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The calling-list fields of a campaign's records, without the campaign, in record_id order. */
function fieldsOf(file: string, campaign: string) {
  return query(
    file,
    `SELECT r.record_id, r.contact_info, r.contact_info_type, r.record_type, r.record_status, r.call_result, r.attempt, r.dial_sched_time,
            r.call_time, r.daily_from, r.daily_till, r.tz_dbid, r.tz, r.agent_id, r.chain_id, r.chain_n, r.group_id, r.contact_id, r.treatments,
            r.callback_local, r.disposition, c.first_name, c.last_name, c.tz AS contact_tz, c.fields
     FROM calling_list r JOIN contact c ON c.id = r.contact_id WHERE r.campaign_id = ? ORDER BY r.record_id`,
    campaign,
  );
}

describe('records import, export and list at volume (the built bin)', () => {
  let state: string;
  let csv: string;
  beforeAll(() => {
    state = newState('a.db');
    csv = writeCsv('list.csv', generatedCsv(2000));
  });

  it('imports 2,000 rows in one go; records list --jsonl --limit shows them with their fields', () => {
    const r = runBin(['records', 'import', csv, '--campaign', 'Bulk Test', '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('imported 2000 records into Bulk Test (0 skipped)\n');
    expect(count(state, "campaign_id = 'bulk-test'")).toBe(2000);

    const list = runBin(['records', 'list', '--state', state, '--campaign', 'bulk-test', '--jsonl', '--limit', '5']);
    expect(list.status).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const recs = lines.map((l) => JSON.parse(l));
    const first = recs[0].record_id;
    expect(first).toBe(1561); // the counter's next record id in the seed-1 world
    expect(recs.map((x) => x.record_id)).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
    expect(recs[0]).toMatchObject({
      contact_info: '+12125550000',
      contact_info_type: 1,
      record_type: 2,
      record_status: 1,
      call_result: 28,
      attempt: 0,
      dial_sched_time: null,
      daily_from: 32400,
      daily_till: 72000,
      campaign_id: 'bulk-test',
      agent_id: null,
      chain_id: 900000,
      chain_n: 1,
      tz: 'America/New_York',
      local_time: null,
    });
    expect(recs[1]).toMatchObject({ contact_info: '+12125550001', contact_info_type: 4, chain_id: 900000, chain_n: 2, tz: 'America/New_York', daily_from: 34200 });
    expect(recs[2].tz).toBe('Europe/London');
    expect(recs[4].tz).toBe('Asia/Kolkata');

    // A campaign callback keeps its time; a personal one its agent.
    const cb = query(state, "SELECT * FROM calling_list WHERE campaign_id = 'bulk-test' AND contact_info = '+12125550007'")[0];
    expect(cb).toMatchObject({ record_type: 6, dial_sched_time: Date.UTC(2026, 10, 25, 15) / 1000 + 7 * 60 });
    expect(query(state, "SELECT agent_id FROM calling_list WHERE contact_info = '+12125550009'")[0]).toEqual({ agent_id: 'a.lopez' });

    // One contact per chain, named, with the other columns as custom fields.
    const contact = query<{ first_name: string; tz: string; fields: string }>(state, "SELECT * FROM contact WHERE id = 'C900000'")[0];
    expect(contact).toMatchObject({ first_name: 'First0', last_name: 'Last0', tz: 'America/New_York' });
    expect(JSON.parse(contact.fields)).toEqual({ Account: 'AC-0', Note: 'owes, "a lot"' });
    expect(query(state, "SELECT count(DISTINCT contact_id) AS n FROM calling_list WHERE campaign_id = 'bulk-test'")[0]).toEqual({ n: 1000 });

    // Every row: the campaign's group, no treatments; every zone in campaign_zone with its hours;
    // the counters past the ids used; a zone new to the file got a tz_dbid of its own.
    expect(query(state, "SELECT DISTINCT group_id, treatments FROM calling_list WHERE campaign_id = 'bulk-test'")).toEqual([{ group_id: 'Outbound Team A', treatments: '[]' }]);
    expect(query(state, "SELECT tz, min_from, max_till FROM campaign_zone WHERE campaign_id = 'bulk-test' ORDER BY tz")).toEqual(
      [...ZONES].sort().map((tz) => ({ tz, min_from: 32400, max_till: 72000 })),
    );
    const counters = Object.fromEntries(query<{ kind: string; next: number }>(state, 'SELECT kind, next FROM counter').map((c) => [c.kind, c.next]));
    expect(counters.record).toBe(1561 + 2000);
    expect(counters.chain).toBe(900000 + 1000);
    const dbids = query<{ tz: string; n: number }>(state, "SELECT tz, count(DISTINCT tz_dbid) AS n FROM calling_list GROUP BY tz");
    expect(dbids.every((d) => d.n === 1)).toBe(true);
    const nairobi = query<{ tz_dbid: number }>(state, "SELECT DISTINCT tz_dbid FROM calling_list WHERE tz = 'Africa/Nairobi'");
    expect(query(state, "SELECT count(*) AS n FROM calling_list WHERE tz_dbid = ? AND tz <> 'Africa/Nairobi'", nairobi[0].tz_dbid)[0]).toEqual({ n: 0 });
  });

  it.each([
    ['a zone that does not exist', 'Mars/Olympus_Mons', 'unknown time zone "Mars/Olympus_Mons"'],
    ['a number with letters', 'tz', 'contact_info "+1212CALLME" is not a phone number'],
    ['a country code alone', 'code', 'contact_info "+1" is not a phone number (7 to 15 digits, with an optional leading +)'],
    ['hours the wrong way round', 'hours', 'daily_till (32400) must be after daily_from (72000)'],
    ['hours past midnight', 'range', 'daily_till "90000" must be a whole number from 0 to 86400'],
    ['a missing field', 'short', '3 fields, the header has 4'],
    ['a record_id already in the table', 'dup', 'record_id 1001 is already in the calling list'],
  ])('a bad row (%s) on line 7: exit 2, the line named, nothing imported', (_what, kind, message) => {
    const header = kind === 'dup' ? 'record_id,contact_info,daily_from,daily_till,tz' : 'contact_info,daily_from,daily_till,tz';
    const rows: string[] = [];
    for (let i = 0; i < 10; i++) rows.push(`${kind === 'dup' ? `${50000 + i},` : ''}+1646555${String(1000 + i)},32400,72000,Europe/Paris`);
    const bad: Record<string, string> = {
      'Mars/Olympus_Mons': '+16465559999,32400,72000,Mars/Olympus_Mons',
      tz: '+1212CALLME,32400,72000,Europe/Paris',
      code: '+1,32400,72000,Europe/Paris',
      hours: '+16465559999,72000,32400,Europe/Paris',
      range: '+16465559999,32400,90000,Europe/Paris',
      short: '+16465559999,32400,72000',
      dup: '1001,+16465559999,32400,72000,Europe/Paris',
    };
    rows[5] = bad[kind];
    const file = writeCsv(`bad-${kind.replace(/\W/g, '')}.csv`, `${header}\n${rows.join('\n')}\n`);
    const before = count(state);
    const contacts = query(state, 'SELECT count(*) AS n FROM contact')[0];
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`line 7: ${message}`);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(count(state)).toBe(before);
    expect(query(state, 'SELECT count(*) AS n FROM contact')[0]).toEqual(contacts);
  });

  it.each([
    ['contact_info,daily_from,daily_till,tz,tz', 'line 1: column "tz" appears twice'],
    ['contact_info,daily_from,tz', 'line 1: missing column "daily_till"'],
  ])('a bad header (%s): exit 2, nothing imported', (header, message) => {
    const file = writeCsv('bad-header.csv', `${header}\n+16465550000,32400,72000,Europe/Paris,Europe/Paris\n`);
    const before = count(state);
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(count(state)).toBe(before);
  });

  it.each([
    [
      'a personal callback for an agent who does not exist',
      'contact_info,daily_from,daily_till,tz,record_type,dial_sched_time,agent_id',
      (i: number) => `+1646555${2000 + i},32400,72000,Europe/Paris,5,1795600000,${i === 5 ? 'a.lopz' : 'a.lopez'}`,
      'line 7: agent_id: no agent "a.lopz" (nearest: a.lopez)',
    ],
    [
      'a chain whose rows disagree on the zone',
      'contact_info,daily_from,daily_till,tz,chain_id',
      (i: number) => `+1646555${3000 + i},32400,72000,${i === 5 ? 'America/New_York' : 'Europe/Paris'},${i < 6 ? 880001 : 880002}`,
      "line 7: tz America/New_York differs from Europe/Paris, the zone of chain 880001's contact",
    ],
  ])('%s: exit 2, the line named, nothing imported', (_what, header, row, message) => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i));
    const file = writeCsv(`bad-${_what.length}.csv`, `${header}\n${rows.join('\n')}\n`);
    const before = count(state);
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(count(state)).toBe(before);
  });

  it('--skip-bad imports the good lines and lists the bad ones with a count', () => {
    const rows = ['contact_info,daily_from,daily_till,tz,record_type'];
    for (let i = 0; i < 10; i++) rows.push(`+1718555${String(1000 + i)},32400,72000,America/Chicago,2`);
    rows[3] = '+17185551002,32400,72000,Nowhere/Land,2'; // line 4
    rows[6] = 'twelve,32400,72000,America/Chicago,2'; // line 7
    rows[9] = '+17185551008,32400,72000,America/Chicago,9'; // line 10
    const file = writeCsv('skip.csv', `${rows.join('\n')}\n`);
    const before = count(state, "campaign_id = 'bulk-test'");
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--skip-bad', '--state', state]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('imported 7 records into Bulk Test (3 skipped)\n');
    const err = r.stderr.trimEnd().split('\n');
    expect(err).toHaveLength(4);
    expect(err[0]).toContain('line 4: unknown time zone "Nowhere/Land"');
    expect(err[1]).toContain('line 7: contact_info "twelve" is not a phone number');
    expect(err[2]).toContain('line 10: record_type "9" must be a whole number from 0 to 7');
    expect(err[3]).toContain('3 bad lines skipped');
    expect(count(state, "campaign_id = 'bulk-test'")).toBe(before + 7);
  });

  it('--skip-bad: a record_id taken twice in one file is found where it is written, and a chain whose first line was skipped starts at its next line', () => {
    const lines = ['record_id,contact_info,daily_from,daily_till,tz,chain_id'];
    for (let i = 0; i < 100; i++) lines.push(`${60000 + i},+1305555${String(2000 + i)},32400,72000,America/New_York,${70000 + Math.floor(i / 2)}`);
    lines[9] = '60003,+13055559999,32400,72000,America/New_York,70004'; // line 10: the id of line 5, the first line of chain 70004
    lines[79] = '1001,+13055559998,32400,72000,America/New_York,70039'; // line 80: an id the list had before
    const file = writeCsv('dup-ids.csv', `${lines.join('\n')}\n`);
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--skip-bad', '--state', state]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('imported 98 records into Bulk Test (2 skipped)\n');
    const err = r.stderr.trimEnd().split('\n');
    expect(err[0]).toContain('line 10: record_id 60003 is already in the calling list');
    expect(err[1]).toContain('line 80: record_id 1001 is already in the calling list');
    const chains = query<{ chain_id: number; ids: string; ns: string }>(
      state,
      'SELECT chain_id, group_concat(record_id) AS ids, group_concat(chain_n) AS ns FROM (SELECT * FROM calling_list WHERE record_id BETWEEN 60000 AND 60099 ORDER BY record_id) GROUP BY chain_id ORDER BY chain_id',
    );
    expect(chains).toHaveLength(50);
    expect(chains.find((c) => c.chain_id === 70004)).toEqual({ chain_id: 70004, ids: '60009', ns: '1' });
    expect(chains.find((c) => c.chain_id === 70039)).toEqual({ chain_id: 70039, ids: '60079', ns: '1' });
    expect(chains.filter((c) => c.ns === '1,2')).toHaveLength(48);
  });

  it('says on stderr when --state named a file that did not exist (a typo would look like an answer)', () => {
    const file = path.join(dir, 'typo.db');
    const first = runBin(['records', 'list', '--limit', '1', '--state', file, ...WORLD]);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe(`callback-desk: note: ${file} did not exist; created it with a new demo world (seed 1)\n`);
    const again = runBin(['records', 'list', '--limit', '1', '--state', file]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
  });

  it('says "1 record" for one', () => {
    const file = writeCsv('one.csv', 'contact_info,daily_from,daily_till,tz\n+13055550001,32400,72000,America/New_York\n');
    const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--state', state]);
    expect(r.stdout).toBe('imported 1 record into Bulk Test (0 skipped)\n');
  });

  it('refuses an unknown campaign with the list of campaigns, and a file it cannot read', () => {
    const r = runBin(['records', 'import', csv, '--campaign', 'Nope', '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no campaign "Nope" (campaigns: ');
    expect(r.stderr).toContain('Bulk Test');
    const missing = runBin(['records', 'import', path.join(dir, 'missing.csv'), '--campaign', 'bulk-test', '--state', state]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });

  it('export → import into a second state file gives back the same calling list', () => {
    const exp = runBin(['records', 'export', '--campaign', 'Bulk Test', '--state', state]);
    expect(exp.status).toBe(0);
    expect(exp.stderr).toBe('');
    const header = exp.stdout.split('\n')[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['record_id', 'contact_info', 'daily_from', 'daily_till', 'tz', 'record_type', 'record_status', 'chain_id', 'chain_n', 'first_name', 'Account', 'Note']));
    const file = writeCsv('export.csv', exp.stdout);

    const second = newState('b.db');
    const imp = runBin(['records', 'import', file, '--campaign', 'winter-appeal', '--state', second]);
    expect(imp.stderr).toBe('');
    expect(imp.status).toBe(0);
    const a = fieldsOf(state, 'bulk-test');
    const b = fieldsOf(second, 'winter-appeal').filter((r) => (r.record_id as number) >= 1561);
    expect(b).toHaveLength(a.length);
    expect(b).toEqual(a);

    // The same ids twice are refused; --new-ids makes a copy beside the original.
    const twice = runBin(['records', 'import', file, '--campaign', 'winter-appeal', '--state', second]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('line 2: record_id 1561 is already in the calling list');
    const copy = runBin(['records', 'import', file, '--campaign', 'care-follow-up', '--new-ids', '--state', second]);
    expect(copy.status).toBe(0);
    const c = fieldsOf(second, 'care-follow-up').filter((r) => (r.record_id as number) >= 1561);
    const strip = (r: Record<string, unknown>) => ({ ...r, record_id: 0, chain_id: 0, contact_id: '' });
    expect(c.map(strip)).toEqual(a.map(strip));
    expect(new Set(c.map((r) => r.chain_id)).size).toBe(new Set(a.map((r) => r.chain_id)).size);
    const original = new Set(a.map((r) => r.chain_id));
    expect(c.some((r) => original.has(r.chain_id))).toBe(false);
  });

  it('export --format jsonl: one record per line in the calling-list field names', () => {
    const r = runBin(['records', 'export', '--campaign', 'bulk-test', '--format', 'jsonl', '--state', state]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(count(state, "campaign_id = 'bulk-test'"));
    const first = JSON.parse(lines[0]);
    expect(Object.keys(first)).toEqual(
      ['record_id', 'contact_info', 'contact_info_type', 'record_type', 'record_status', 'call_result', 'attempt', 'dial_sched_time', 'call_time', 'daily_from', 'daily_till', 'tz_dbid', 'campaign_id', 'agent_id', 'chain_id', 'chain_n', 'tz', 'local_time'],
    );
    const bad = runBin(['records', 'export', '--campaign', 'bulk-test', '--format', 'xml', '--state', state]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are csv, jsonl');
  });

  it('records list --status by name or number, --limit; both validated (exit 2)', () => {
    const ready = runBin(['records', 'list', '--state', state, '--status', 'ready', '--limit', '3', '--jsonl']);
    expect(ready.status).toBe(0);
    expect(ready.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).record_status)).toEqual([1, 1, 1]);
    expect(runBin(['records', 'list', '--state', state, '--status', '1', '--limit', '3', '--jsonl']).stdout).toBe(ready.stdout);
    expect(runBin(['records', 'list', '--state', state, '--status', 'Chain Ready', '--jsonl']).status).toBe(0);

    const unknown = runBin(['records', 'list', '--state', state, '--status', 'Finished']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Ready (1), Retrieved (2), Updated (3), Stale (4), Cancelled (5), AgentError (6), ChainUpdated (7), MissedCallback (8), ChainReady (9)');
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    for (const n of ['0', '-3', 'ten', '1.5']) {
      const r = runBin(['records', 'list', '--state', state, '--limit', n]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('expected a whole number from 1 to 1000000000');
    }
  });

  it('records list --json streams one JSON array; the table has its header', () => {
    const json = runBin(['records', 'list', '--state', state, '--campaign', 'bulk-test', '--json']);
    expect(json.status).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(list).toHaveLength(count(state, "campaign_id = 'bulk-test'"));
    expect(json.stdout).toBe(`${JSON.stringify(list, null, 2)}\n`);
    expect(JSON.parse(runBin(['records', 'list', '--state', state, '--zone', 'Pacific/Chatham', '--json']).stdout)).toEqual([]);
    const table = runBin(['records', 'list', '--state', state, '--limit', '2']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+contact_info/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('records list --jsonl and records export end quietly (exit 0) when the reader goes away', async () => {
    const early = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        let stderr = '';
        let first = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.stdout.once('data', (d) => {
          first = String(d).split('\n')[0];
          child.stdout.destroy();
        });
        child.on('close', (code) => resolve({ code, stderr, first }));
      });
    for (const args of [
      ['records', 'list', '--state', state, '--jsonl'],
      ['records', 'export', '--campaign', 'bulk-test', '--state', state],
      ['records', 'export', '--campaign', 'bulk-test', '--format', 'jsonl', '--state', state],
    ]) {
      const r = await early(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.first.length).toBeGreaterThan(0);
    }
    const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" records list --state "${state}" --jsonl | head -1`], { encoding: 'utf8' });
    expect(sh.stderr).toBe('');
    expect(sh.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(sh.stdout).record_id).toBe(1001);
  });
});

describe('a large records import (its indexes set aside and built again, sorted)', () => {
  const indexes = (file: string) => query<{ name: string; sql: string }>(file, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calling_list' ORDER BY name");
  const rows = (n: number, from: number, withChain: boolean) => {
    const lines = [`contact_info,daily_from,daily_till,tz${withChain ? ',chain_id' : ''}`];
    // A chain's two rows in one zone (a chain is one contact in one zone).
    for (let i = 0; i < n; i++) lines.push(`+1${3000000000 + ((from + i) * 7919) % 6999999999},32400,72000,${ZONES[(withChain ? Math.floor(i / 2) : i) % ZONES.length]}${withChain ? `,${5_000_000 + Math.floor((from + i) / 2)}` : ''}`);
    return lines;
  };

  it('draws a progress bar on a terminal (records/s, time left, then each step of the writing), and nothing without one', () => {
    const state = newState('progress.db');
    const file = writeCsv('progress.csv', `${rows(150_000, 400_000, false).join('\n')}\n`);
    const cmd = [process.execPath, BIN, 'records', 'import', file, '--campaign', 'bulk-test', '--state', state].map((a) => `'${a}'`).join(' ');
    // util-linux script(1): the import's stdout and stderr on a pseudo-terminal of 100 columns.
    const tty = spawnSync('script', ['-qec', `stty cols 100; ${cmd}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/importing \[#*-*\] +\d+%  [\d,]+ records\/s  \d+s left/);
    expect(tty.stdout).toContain('building index 1 of 3');
    expect(tty.stdout).toContain('committing');
    expect(tty.stdout).toContain('imported 150000 records into Bulk Test (0 skipped)');
    const piped = runBin(['records', 'import', writeCsv('progress-2.csv', `${rows(150_000, 600_000, false).join('\n')}\n`), '--campaign', 'bulk-test', '--state', state]);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('120,000 rows: every index is back as it was and answers; a bad last line leaves list and indexes as they were', () => {
    const state = newState('large.db');
    const before = indexes(state);
    expect(before.map((i) => i.name)).toEqual(expect.arrayContaining(['calling_list_dialable', 'calling_list_chain', 'calling_list_contact']));

    const bad = rows(120_000, 0, false);
    bad.push('+1212555,32400,72000,Nowhere/Land');
    const badFile = writeCsv('large-bad.csv', `${bad.join('\n')}\n`);
    const n0 = count(state);
    const refused = runBin(['records', 'import', badFile, '--campaign', 'bulk-test', '--state', state]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('line 120002: unknown time zone "Nowhere/Land"');
    expect(count(state)).toBe(n0);
    expect(indexes(state)).toEqual(before);

    for (const [name, withChain] of [['large-a.csv', false], ['large-b.csv', true]] as const) {
      const file = writeCsv(name, `${rows(120_000, withChain ? 200_000 : 0, withChain).join('\n')}\n`);
      const r = runBin(['records', 'import', file, '--campaign', 'bulk-test', '--state', state]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(indexes(state)).toEqual(before);
    }
    expect(count(state, "campaign_id = 'bulk-test'")).toBe(240_000);
    // Pairs of rows with one chain_id share a chain, looked up through the chain index.
    expect(query(state, "SELECT count(DISTINCT chain_id) AS n FROM calling_list WHERE campaign_id = 'bulk-test' AND chain_n = 2")[0]).toEqual({ n: 60_000 });
    // The rebuilt indexes hold every row: each query reads its index only, and counts them all.
    const by = (sql: string) => {
      const db = new Database(state, { readonly: true });
      try {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
        return { plan, n: db.prepare(sql).pluck().get() };
      } finally {
        db.close();
      }
    };
    expect(by("SELECT count(*) FROM calling_list WHERE campaign_id = 'bulk-test' AND record_status = 1 AND record_type = 2")).toEqual({ plan: expect.stringContaining('calling_list_dialable'), n: 240_000 });
    expect(by('SELECT count(*) FROM calling_list WHERE chain_id > 0')).toMatchObject({ plan: expect.stringContaining('calling_list_chain'), n: count(state) });
    expect(by("SELECT count(*) FROM calling_list WHERE contact_id >= 'C'")).toMatchObject({ plan: expect.stringContaining('calling_list_contact'), n: count(state) });
  });
});

describe('the CSV reader of records import', () => {
  type Rec = [string[], number, string | null];
  const read = async (text: string, chunk: number): Promise<Rec[]> => {
    const { CheckedCsvReader: CsvReader } = await import('../../src/commands/records/csv-records.js');
    const out: Rec[] = [];
    const r = new CsvReader((f, line, error) => {
      out.push([f, line, error]);
      // The import names the fields by the header's names, as here.
      if (line === 1) r.names = f;
    });
    for (let i = 0; i < text.length; i += chunk) r.feed(text.slice(i, i + chunk));
    r.end();
    return out;
  };

  it('reads quotes, line breaks in quotes (refused, naming their column), CRLF, a BOM and blank lines, in chunks of any size, with the line each record starts on', async () => {
    const text = '\uFEFFa,b,c\r\n1, two ,"3,4"\r\n\r\n"multi\nline ""x""",y,\n  \nlast," q " ,z';
    const want: Rec[] = [
      [['a', 'b', 'c'], 1, null],
      [['1', 'two', '3,4'], 2, null],
      [['multi\nline "x"', 'y', ''], 4, 'column 7 (a): control character LF (U+000A); data may not hold control characters (a tab aside) or invalid UTF-8'],
      [['last', ' q ', 'z'], 7, null],
    ];
    for (const chunk of [1, 2, 3, 5, 7, 1000]) expect(await read(text, chunk)).toEqual(want);
  });

  it('names a bad character after a closing quote, and an unclosed quote', async () => {
    expect(await read('a,b\n"x"y,2\n3,4\n', 4)).toEqual([
      [['a', 'b'], 1, null],
      [['x', '2'], 2, 'unexpected "y" after a closing quote'],
      [['3', '4'], 3, null],
    ]);
    const { CsvSyntaxError } = await import('../../src/csv/csv-reader.js');
    await expect(read('a,b\n1,2\n"open,3\n4,5\n', 3)).rejects.toThrow(CsvSyntaxError);
  });
});
