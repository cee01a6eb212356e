import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin, runBinAsync, tmpDir, type BinResult } from '../helpers/bin.js';
import { pgQuery } from '../helpers/pg-db.js';
import { postgresStates, sqliteStates } from '../helpers/pg-state-backends.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';

/**
 * `records import | export | list` on a PostgreSQL database (COPY into a staging table, a
 * cursor out), each beside the same command on a SQLite file: the same rows, the same
 * refusals word for word, the same lines skipped. And `state copy` between the two.
 */
const dir = tmpDir('cbd-records-pg-');
const WORLD = ['--now', '2026-11-24T15:00:00Z', '--seed', '1'];
const files = sqliteStates('cbd-records-pg-files-');
const dbs = postgresStates();

afterAll(async () => {
  await dbs.cleanup();
  await files.cleanup();
});

/** A new state of each kind, holding the demo world of seed 1. */
async function newPair(label: string): Promise<{ file: string; db: string }> {
  const file = await files.fresh(label);
  const db = await dbs.fresh(label);
  // Both made side by side.
  const made = await Promise.all([file, db].map((s) => runBinAsync(['records', 'list', '--limit', '1', '--state', s, ...WORLD])));
  for (const r of made) expect(r.status).toBe(0);
  return { file, db };
}

function csv(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'Africa/Nairobi'];

/** As tests/cli/records-io.test.ts: chains of two, callbacks, a new zone, custom fields with commas and quotes. */
function generated(n: number): string[] {
  const lines = ['contact_info,contact_info_type,record_type,record_status,dial_sched_time,agent_id,daily_from,daily_till,tz,chain_id,first_name,last_name,Account,Note'];
  for (let i = 0; i < n; i++) {
    const type = i % 50 === 7 ? 6 : i % 50 === 9 ? 5 : 2;
    const sched = type === 2 ? '' : String(Date.UTC(2026, 10, 25, 15) / 1000 + i * 60);
    const note = i % 3 === 0 ? '"owes, ""a lot"""' : `note ${i}`;
    lines.push(
      [`+1212${String(5550000 + i).padStart(7, '0')}`, i % 2 ? 4 : 1, type, 1, sched, type === 5 ? 'a.lopez' : '', 9 * 3600 + (i % 4) * 1800, 20 * 3600, ZONES[Math.floor(i / 2) % 5], 900000 + Math.floor(i / 2), `First${i}`, `Last${i}`, `AC-${i}`, note].join(','),
    );
  }
  return lines;
}

/**
 * Runs a command on both states, side by side (two states, nothing shared); expects the same
 * exit, stdout and stderr (the state's name aside).
 */
async function both(pair: { file: string; db: string }, args: string[]): Promise<BinResult> {
  const [a, b] = await Promise.all([runBinAsync([...args, '--state', pair.file]), runBinAsync([...args, '--state', pair.db])]);
  expect({ status: b.status, stdout: b.stdout, stderr: b.stderr.replaceAll(pair.db, 'STATE') }).toEqual({ status: a.status, stdout: a.stdout, stderr: a.stderr.replaceAll(pair.file, 'STATE') });
  return a;
}

/** The same rows in the same tables of a file and a database: compared table by table, row by row (a difference names its row). */
async function sameRows(pair: { file: string; db: string }, tables: string[]): Promise<void> {
  const a = await files.rows(pair.file, { tables, stable: true });
  const b = await dbs.rows(pair.db, { tables, stable: true });
  for (const t of tables) {
    expect(b[t].length, t).toBe(a[t].length);
    // The database's contact.rowid is SQLite's hidden one, which SELECT * of a file leaves out.
    a[t].forEach((row, i) => {
      const { rowid: _rowid, ...other } = b[t][i] as Record<string, unknown>;
      expect(other, `${t} row ${i}`).toEqual(row);
    });
  }
}

const pgCount = async (db: string, where = 'true') => Number((await pgQuery<{ n: string }>(db, `SELECT count(*) AS n FROM calling_list WHERE ${where}`))[0].n);

describe('records import, export and list on PostgreSQL, beside SQLite', () => {
  let pair: { file: string; db: string };
  beforeAll(async () => {
    pair = await newPair('records');
  });

  it('imports 2,000 rows through COPY: the same records, chains, contacts, zones and counters as on a file', { timeout: 120_000 }, async () => {
    const file = csv('list.csv', generated(2000));
    const r = await both(pair, ['records', 'import', file, '--campaign', 'winter-appeal']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('imported 2000 records into Winter Appeal (0 skipped)\n');
    expect(await pgCount(pair.db, "campaign_id = 'winter-appeal' AND record_id >= 1561")).toBe(2000);
    // Every field of every record and contact, and the custom fields, through export and list.
    const exp = await both(pair, ['records', 'export', '--campaign', 'winter-appeal']);
    expect(exp.stdout.split('\n')[0]).toContain(',first_name,last_name,email,');
    expect(exp.stdout.split('\n')[0]).toContain(',Account,Note');
    expect(exp.stdout.trimEnd().split('\n').length).toBeGreaterThan(2000);
    await both(pair, ['records', 'export', '--campaign', 'winter-appeal', '--format', 'jsonl']);
    const list = await both(pair, ['records', 'list', '--jsonl']);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(560 + 2000);
    expect((await both(pair, ['records', 'list', '--json', '--zone', 'Africa/Nairobi'])).stdout).not.toBe('[]\n');
    // The tables themselves, row for row (the revision and rev columns aside).
    await sameRows(pair, ['calling_list', 'contact', 'campaign_zone', 'counter']);
  });

  it.each([
    ['a record_id already in the table, after good rows', ['record_id,contact_info,daily_from,daily_till,tz', ...Array.from({ length: 9 }, (_, i) => `${70000 + i},+1646555${1000 + i},32400,72000,Europe/Paris`), '1001,+16465559999,32400,72000,Europe/Paris'], 'line 11: record_id 1001 is already in the calling list'],
    ['a record_id twice in the file, before a bad zone', ['record_id,contact_info,daily_from,daily_till,tz', '71000,+16465551000,32400,72000,Europe/Paris', '71000,+16465551001,32400,72000,Europe/Paris', '71002,+16465551002,32400,72000,Mars/Base'], 'line 3: record_id 71000 is already in the calling list'],
    ['a chain whose rows disagree on the zone', ['contact_info,daily_from,daily_till,tz,chain_id', '+16465553000,32400,72000,Europe/Paris,880001', '+16465553001,32400,72000,America/New_York,880001'], "line 3: tz America/New_York differs from Europe/Paris, the zone of chain 880001's contact"],
    ['a chain already in the table', ['contact_info,daily_from,daily_till,tz,chain_id', '+16465553000,32400,72000,Europe/Paris,501'], 'line 2: chain_id 501 is already in the calling list'],
    ['a contact already there', ['contact_info,daily_from,daily_till,tz,contact_id', '+16465553000,32400,72000,Europe/Paris,C0001'], 'line 2: contact_id C0001 is already a contact'],
    ['a bad zone', ['contact_info,daily_from,daily_till,tz', '+16465553000,32400,72000,Europe/Paris', '+16465553001,32400,72000,Nowhere/Land'], 'line 3: unknown time zone "Nowhere/Land"'],
  ])('%s: exit 2, the same first bad line named, nothing imported', async (_what, lines, message) => {
    const before = await pgCount(pair.db);
    const r = await both(pair, ['records', 'import', csv(`bad-${_what.length}.csv`, lines), '--campaign', 'winter-appeal']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await pgCount(pair.db)).toBe(before);
  });

  it('--skip-bad: the same lines skipped (a chain whose first line is skipped starts at its next) and the same rows imported', async () => {
    const lines = ['record_id,contact_info,daily_from,daily_till,tz,chain_id'];
    for (let i = 0; i < 100; i++) lines.push(`${60000 + i},+1305555${String(2000 + i)},32400,72000,America/New_York,${70000 + Math.floor(i / 2)}`);
    lines[9] = '60003,+13055559999,32400,72000,America/New_York,70004';
    lines[79] = '1001,+13055559998,32400,72000,America/New_York,70039';
    lines[50] = '60049,twelve,32400,72000,America/New_York,70024';
    const r = await both(pair, ['records', 'import', csv('skip.csv', lines), '--campaign', 'care-follow-up', '--skip-bad']);
    expect(r.stdout).toBe('imported 97 records into Care Follow-up (3 skipped)\n');
    expect(r.stderr).toContain('line 10: record_id 60003 is already in the calling list');
    expect(r.stderr).toContain('line 51: contact_info "twelve" is not a phone number');
    expect(r.stderr).toContain('line 80: record_id 1001 is already in the calling list');
    const chains = await pgQuery<{ ids: string }>(pair.db, 'SELECT string_agg(record_id::text, \',\' ORDER BY record_id) AS ids FROM calling_list WHERE chain_id = 70004');
    expect(chains[0].ids).toBe('60009');
    await sameRows(pair, ['calling_list', 'contact', 'counter']);
  });

  it('an export from the database imports into a file as the same list (--new-ids beside it)', async () => {
    const exp = runBin(['records', 'export', '--campaign', 'winter-appeal', '--state', pair.db]);
    expect(exp.status).toBe(0);
    const f = path.join(dir, 'from-db.csv');
    fs.writeFileSync(f, exp.stdout);
    const again = await both(pair, ['records', 'import', f, '--campaign', 'collections-q4', '--new-ids']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`imported ${exp.stdout.trimEnd().split('\n').length - 1} records into Collections Q4 (0 skipped)\n`);
    await both(pair, ['records', 'export', '--campaign', 'collections-q4']);
  });

  it('records list --jsonl and export end quietly when the reader goes away (the cursor closed)', () => {
    for (const args of [
      ['records', 'list', '--jsonl'],
      ['records', 'export', '--campaign', 'winter-appeal'],
    ]) {
      const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args.join(' ')} --state '${pair.db}' | head -2`], { encoding: 'utf8' });
      expect(sh.stderr).toBe('');
      expect(sh.status).toBe(0);
      expect(sh.stdout.trimEnd().split('\n')).toHaveLength(2);
    }
  });
});

describe('a desktop on the database keeps answering while a large import runs', () => {
  it('queries and a write transaction answer at once while the rows are copied in', { timeout: 120_000 }, async () => {
    const db = await dbs.fresh('during');
    expect(runBin(['records', 'list', '--limit', '1', '--state', db, ...WORLD]).status).toBe(0);
    const lines = ['contact_info,daily_from,daily_till,tz,first_name,Account'];
    for (let i = 0; i < 300_000; i++) lines.push(`+1${2000000000 + ((i * 7919) % 7999999999)},28800,75600,${ZONES[i % 5]},F${i % 97},AC-${i}`);
    const file = csv('during.csv', lines);
    const child = spawn(process.execPath, [BIN, 'records', 'import', file, '--campaign', 'care-follow-up', '--state', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let running = true;
    void exited.then(() => (running = false));
    const { store } = await PgStore.open(db, () => createDemoWorld(1, Date.UTC(2026, 10, 24, 15)));
    try {
      // Until the import's COPY is under way (the condition, not a fixed wait).
      for (;;) {
        const copying = await pgQuery(db, "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY import_row%' AND state = 'active'");
        if (copying.length > 0) break;
        expect(running).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const times: number[] = [];
      for (let i = 0; i < 20 && running; i++) {
        const t = performance.now();
        await store.read(async (q) => {
          await q.records.get(1001);
          await q.records.count('collections-q4');
          await q.contacts.searchByName('a', 5);
        });
        times.push(performance.now() - t);
      }
      const t = performance.now();
      await store.transaction(async (tx) => {
        const rev = await tx.bumpRevision();
        await tx.putEntity('agent', 'during-import', { id: 'during-import' }, rev);
      });
      times.push(performance.now() - t);
      expect(running).toBe(true);
      expect(times.length).toBeGreaterThan(1);
      expect(Math.max(...times)).toBeLessThan(2000);
    } finally {
      await store.close();
    }
    expect(await exited).toBe(0);
    expect(out).toBe('imported 300000 records into Care Follow-up (0 skipped)\n');
    expect(await pgCount(db, "campaign_id = 'care-follow-up'")).toBeGreaterThanOrEqual(300_000);
  });
});

describe('state copy between a file and a database', () => {
  it('file → database → file: every table holds the same rows, the same rowids, and a demo on the copy draws the same frames', { timeout: 180_000 }, async () => {
    const src = await files.fresh('copy-src');
    expect(runBin(['records', 'list', '--limit', '1', '--state', src, ...WORLD]).status).toBe(0);
    expect(runBin(['records', 'import', csv('copy.csv', generated(500)), '--campaign', 'winter-appeal', '--state', src]).status).toBe(0);
    expect(runBin(['callbacks', 'book', '--service', 'billing', '--contact', 'C0010', '--slot', '2026-12-01T10:00:00Z', '--state', src]).status).toBe(0);
    const db = await dbs.fresh('copy-mid');
    const back = path.join(dir, 'copy-back.db');
    const there = runBin(['state', 'copy', src, db]);
    expect(there.stderr).toBe('');
    expect(there.status).toBe(0);
    expect(there.stdout).toMatch(/^copied .* to postgres:\/\/.*: 1,060 records, [\d,]+ contacts, 1 Genesys bookings .*, 13 agents, 4 campaigns, 3 services, .*the clock and meta/);
    const home = runBin(['state', 'copy', db, back]);
    expect(home.status).toBe(0);
    expect(home.stdout.replace(/^copied \S+ to \S+:/, '')).toBe(there.stdout.replace(/^copied \S+ to \S+:/, ''));
    // Every row of every table, and the rowids a query reads (contacts are drawn by rowid).
    expect(await files.rows(back)).toEqual(await files.rows(src));
    const rowids = (f: string) => {
      const d = new Database(f, { readonly: true });
      try {
        return [d.prepare('SELECT rowid, id FROM contact ORDER BY rowid').all(), d.prepare('SELECT rowid, kind, id FROM entity ORDER BY rowid').all()];
      } finally {
        d.close();
      }
    };
    expect(rowids(back)).toEqual(rowids(src));
    // The engine on the copy runs the same.
    const frames = async (state: string, label: string) => {
      const out = path.join(dir, `frames-${label}`);
      const r = await runBinAsync(['demo', 'demos/new-callback-from-team-communicator.demo', '--state', state, '--frames', out]);
      return { status: r.status, stdout: r.stdout, frames: fs.readdirSync(out).sort().map((f) => fs.readFileSync(path.join(out, f), 'utf8')) };
    };
    // The two demos side by side: each on its own state, into its own directory.
    const [onCopy, onSource] = await Promise.all([frames(back, 'copy'), frames(src, 'src')]);
    expect(onCopy.frames.length).toBeGreaterThan(1);
    expect(onCopy).toEqual(onSource);
  });

  it('refuses a target that holds a world, or a source that holds none: one line, exit 2, nothing written', async () => {
    const src = await files.fresh('refuse-src');
    expect(runBin(['records', 'list', '--limit', '1', '--state', src, ...WORLD]).status).toBe(0);
    const db = await dbs.fresh('refuse-db');
    expect(runBin(['records', 'list', '--limit', '1', '--state', db, ...WORLD]).status).toBe(0);
    const before = [await dbs.fingerprint(db), await files.fingerprint(src)];
    for (const [from, to, message] of [
      [src, db, 'already holds a world'],
      [db, src, 'already holds a world'],
      [path.join(dir, 'missing.db'), path.join(dir, 'never.db'), 'ENOENT'],
    ]) {
      const r = runBin(['state', 'copy', from, to]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect([await dbs.fingerprint(db), await files.fingerprint(src)]).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'never.db'))).toBe(false);
  });
});
