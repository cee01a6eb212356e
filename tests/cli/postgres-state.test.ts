import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BIN, runBinAsync, tmpDir, type BinResult } from '../helpers/bin.js';
import { adminQuery, dropDatabases, freshDatabase, pgQuery } from '../helpers/pg-db.js';
import { PASSWORD_ROLE } from '../helpers/pg-server.js';

/**
 * The bin on a PostgreSQL URL, where a URL differs from a file: a database that is not ours,
 * CALLBACK_DESK_STATE naming one, a password in the URL never printed, a server out of reach.
 * (Every command on a database as on a file: tests/cli/scripting.test.ts, bad-input.test.ts.)
 */

const dir = tmpDir('cbd-pg-cli-');
afterAll(async () => {
  await dropDatabases();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One line on stderr, exit 2, no stack trace, nothing on stdout. */
function oneLine(r: BinResult): string {
  const why = `exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`;
  expect(r.status, why).toBe(2);
  expect(r.stdout, why).toBe('');
  expect(r.stderr.endsWith('\n'), why).toBe(true);
  expect(r.stderr.slice(0, -1).split('\n'), why).toHaveLength(1);
  expect(r.stderr, why).not.toMatch(/^\s+at /m);
  return r.stderr;
}

// Every test on a database (or file) of its own: all of them side by side (describe.concurrent).
describe.concurrent('callback-desk on a PostgreSQL URL (the built bin)', () => {
  it("refuses a database holding another application's tables, exit 2, its tables untouched", async () => {
    const { url } = await freshDatabase('foreign');
    await pgQuery(url, 'CREATE TABLE orders (id integer PRIMARY KEY, total numeric)');
    await pgQuery(url, 'INSERT INTO orders VALUES (1, 9.5)');
    const script = path.join(dir, 'x.demo');
    fs.writeFileSync(script, 'key enter\n');
    for (const args of [
      ['demo', script, '--state', url],
      ['records', 'list', '--state', url],
      ['campaigns', 'start', 'winter-appeal', '--state', url],
    ]) {
      expect(oneLine(await runBinAsync(args))).toMatch(/is not a callback-desk database: schema public holds other tables \(orders\); it was left untouched/);
    }
    expect(await pgQuery(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ tablename: 'orders' }]);
    expect(await pgQuery(url, 'SELECT id, total FROM orders')).toEqual([{ id: 1, total: '9.5' }]);
  });

  it('applies world options given before the command exactly as after it', async () => {
    const before = (await freshDatabase('before')).url;
    const after = (await freshDatabase('after')).url;
    const a = await runBinAsync(['--state', before, '--now', '2026-11-24T15:00:00Z', '--seed', '3', 'records', 'list', '--limit', '3', '--jsonl']);
    const b = await runBinAsync(['records', 'list', '--limit', '3', '--jsonl', '--state', after, '--now', '2026-11-24T15:00:00Z', '--seed', '3']);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.trimEnd().split('\n')).toHaveLength(3);
    // Each database got its world, with the note a new file gets.
    expect(a.stderr).toBe(`callback-desk: note: ${before} was empty; created the callback-desk tables in it with a new demo world (seed 3)\n`);
    for (const url of [before, after]) expect(await pgQuery(url, 'SELECT count(*)::int AS n FROM calling_list')).toEqual([{ n: expect.any(Number) }]);
  });

  it('takes CALLBACK_DESK_STATE as the default --state, a URL as a path', async () => {
    const { url } = await freshDatabase('env');
    const started = await runBinAsync(['campaigns', 'start', 'winter-appeal'], { CALLBACK_DESK_STATE: url });
    expect(started.stdout).toBe('Winter Appeal: Started\n');
    expect(started.stderr).toContain(`note: ${url} was empty`);
    const viaEnv = await runBinAsync(['campaigns', 'list', '--json'], { CALLBACK_DESK_STATE: url });
    const viaOption = await runBinAsync(['campaigns', 'list', '--json', '--state', url], { CALLBACK_DESK_STATE: path.join(dir, 'not-this.db') });
    expect(viaEnv.status).toBe(0);
    expect(viaOption.stdout).toBe(viaEnv.stdout);
    expect(JSON.parse(viaEnv.stdout).find((c: { id: string }) => c.id === 'winter-appeal').status).toBe('Started');
    expect(fs.existsSync(path.join(dir, 'not-this.db'))).toBe(false);
  });

  it('names a server out of reach without the password, exit 2, one line', async () => {
    const stderr = oneLine(await runBinAsync(['records', 'list', '--state', 'postgres://alice:s3cret-word@127.0.0.1:1/cb?sslmode=disable']));
    expect(stderr).toMatch(/cannot reach PostgreSQL at postgres:\/\/alice@127\.0\.0\.1:1\/cb\?sslmode=disable/);
    expect(stderr).not.toContain('s3cret-word');
  });

  // The run's own server asks one role for its password (tests/helpers/pg-server.ts); a server
  // given by CALLBACK_DESK_TEST_PG_URL may trust everyone.
  it.runIf(inject('pgServer').url === null)('never prints the password of a URL: not in the note, not in an error', async () => {
    const { url, name } = await freshDatabase('password');
    await adminQuery(`DO $$ BEGIN CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'right-one'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await adminQuery(`ALTER DATABASE ${name} OWNER TO ${PASSWORD_ROLE}`);
    await pgQuery(url, `ALTER SCHEMA public OWNER TO ${PASSWORD_ROLE}`);
    const u = new URL(url);
    u.username = PASSWORD_ROLE;
    u.password = 'right-one';
    const shown = `postgres://${PASSWORD_ROLE}@${u.host}${u.pathname}`;
    const created = await runBinAsync(['campaigns', 'list', '--state', u.toString()]);
    expect(created.status).toBe(0);
    expect(created.stderr).toBe(`callback-desk: note: ${shown} was empty; created the callback-desk tables in it with a new demo world (seed 1)\n`);
    expect(created.stdout).not.toContain('right-one');
    // The same from PGPASSWORD, with nothing but the user in the URL.
    u.password = '';
    expect((await runBinAsync(['campaigns', 'list', '--state', u.toString()], { PGPASSWORD: 'right-one' })).status).toBe(0);
    u.password = 'wrong-one';
    const refused = oneLine(await runBinAsync(['campaigns', 'list', '--state', u.toString()]));
    expect(refused).toMatch(/password authentication failed/);
    expect(refused).toContain(shown);
    expect(refused).not.toContain('wrong-one');
  });
});

describe.concurrent('the same world on a SQLite file and on a PostgreSQL database (the built bin)', () => {
  const WORLD = ['--now', '2026-11-24T15:00:00Z', '--seed', '5'];

  it('answers every list alike, byte for byte, before and after the same changes', { timeout: 180_000 }, async () => {
    const file = path.join(dir, 'same.db');
    const { url } = await freshDatabase('same');
    // The file's run and the database's side by side: two states, nothing shared.
    const both = async (args: string[]) => {
      const [a, b] = await Promise.all([runBinAsync([...args, '--state', file]), runBinAsync([...args, '--state', url])]);
      expect(b.status, `${args.join(' ')}: ${b.stderr}`).toBe(a.status);
      expect(b.stdout, args.join(' ')).toBe(a.stdout);
      return a;
    };
    const lists = async () => {
      await both(['records', 'list', '--jsonl']);
      await both(['records', 'list', '--json', '--campaign', 'care-follow-up', '--zone', 'Asia/Kolkata']);
      await both(['records', 'list', '--status', 'ready', '--limit', '7']);
      await both(['callbacks', 'list', '--json']);
      await both(['callbacks', 'list']);
      await both(['callbacks', 'list', '--gms', '--json']);
      await both(['campaigns', 'list', '--json']);
      await both(['slots', '--service', 'customer-care', '--start', '2026-11-25', '--days', '3', '--busy', '--json']);
    };
    expect((await both(['campaigns', 'list', ...WORLD])).status).toBe(0);
    await lists();
    const rec = JSON.parse((await both(['records', 'list', '--json', '--campaign', 'care-follow-up', '--zone', 'America/Chicago'])).stdout)[0];
    expect((await both(['callbacks', 'add', '--record', String(rec.record_id), '--at', '2026-11-25 10:00', '--campaign', '--json'])).status).toBe(0);
    expect((await both(['callbacks', 'book', '--service', 'billing', '--contact', 'C0007', '--slot', '2026-11-25T10:00:00Z', '--json'])).status).toBe(0);
    expect((await both(['campaigns', 'start', 'winter-appeal'])).status).toBe(0);
    expect((await both(['callbacks', 'reschedule', String(rec.record_id), '--at', '2026-11-26 09:30', '--json'])).status).toBe(0);
    await lists();
  });

  it('records list --status, --limit and --json on a database; --jsonl ends quietly when its reader goes away', async () => {
    const { url } = await freshDatabase('list');
    expect((await runBinAsync(['campaigns', 'list', '--state', url, ...WORLD])).status).toBe(0);
    const ready = await runBinAsync(['records', 'list', '--state', url, '--status', 'ready', '--limit', '3', '--jsonl']);
    expect(ready.status).toBe(0);
    expect(ready.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).record_status)).toEqual([1, 1, 1]);
    expect((await runBinAsync(['records', 'list', '--state', url, '--status', '1', '--limit', '3', '--jsonl'])).stdout).toBe(ready.stdout);
    const table = await runBinAsync(['records', 'list', '--state', url, '--limit', '2']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+contact_info/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(JSON.parse((await runBinAsync(['records', 'list', '--state', url, '--zone', 'Pacific/Chatham', '--json'])).stdout)).toEqual([]);

    const early = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'records', 'list', '--state', url, '--jsonl'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d) => {
        first = String(d).split('\n')[0];
        child.stdout.destroy();
      });
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
    expect(early.stderr).toBe('');
    expect(early.code).toBe(0);
    expect(early.first.length).toBeGreaterThan(0);
    const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" records list --state "${url}" --jsonl | head -1`], { encoding: 'utf8' });
    expect(sh.stderr).toBe('');
    expect(JSON.parse(sh.stdout).record_id).toBe(1001);
  });
});
