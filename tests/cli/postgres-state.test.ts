import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runBin, tmpDir } from '../helpers/bin.js';
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
function oneLine(r: ReturnType<typeof runBin>): string {
  const why = `exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`;
  expect(r.status, why).toBe(2);
  expect(r.stdout, why).toBe('');
  expect(r.stderr.endsWith('\n'), why).toBe(true);
  expect(r.stderr.slice(0, -1).split('\n'), why).toHaveLength(1);
  expect(r.stderr, why).not.toMatch(/^\s+at /m);
  return r.stderr;
}

describe('callback-desk on a PostgreSQL URL (the built bin)', () => {
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
      expect(oneLine(runBin(args))).toMatch(/is not a callback-desk database: schema public holds other tables \(orders\); it was left untouched/);
    }
    expect(await pgQuery(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ tablename: 'orders' }]);
    expect(await pgQuery(url, 'SELECT id, total FROM orders')).toEqual([{ id: 1, total: '9.5' }]);
  });

  it('applies world options given before the command exactly as after it', async () => {
    const before = (await freshDatabase('before')).url;
    const after = (await freshDatabase('after')).url;
    const a = runBin(['--state', before, '--now', '2026-11-24T15:00:00Z', '--seed', '3', 'records', 'list', '--limit', '3', '--jsonl']);
    const b = runBin(['records', 'list', '--limit', '3', '--jsonl', '--state', after, '--now', '2026-11-24T15:00:00Z', '--seed', '3']);
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
    const started = runBin(['campaigns', 'start', 'winter-appeal'], { CALLBACK_DESK_STATE: url });
    expect(started.stdout).toBe('Winter Appeal: Started\n');
    expect(started.stderr).toContain(`note: ${url} was empty`);
    const viaEnv = runBin(['campaigns', 'list', '--json'], { CALLBACK_DESK_STATE: url });
    const viaOption = runBin(['campaigns', 'list', '--json', '--state', url], { CALLBACK_DESK_STATE: path.join(dir, 'not-this.db') });
    expect(viaEnv.status).toBe(0);
    expect(viaOption.stdout).toBe(viaEnv.stdout);
    expect(JSON.parse(viaEnv.stdout).find((c: { id: string }) => c.id === 'winter-appeal').status).toBe('Started');
    expect(fs.existsSync(path.join(dir, 'not-this.db'))).toBe(false);
  });

  it('names a server out of reach without the password, exit 2, one line', () => {
    const stderr = oneLine(runBin(['records', 'list', '--state', 'postgres://alice:s3cret-word@127.0.0.1:1/cb?sslmode=disable']));
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
    const created = runBin(['campaigns', 'list', '--state', u.toString()]);
    expect(created.status).toBe(0);
    expect(created.stderr).toBe(`callback-desk: note: ${shown} was empty; created the callback-desk tables in it with a new demo world (seed 1)\n`);
    expect(created.stdout).not.toContain('right-one');
    // The same from PGPASSWORD, with nothing but the user in the URL.
    u.password = '';
    expect(runBin(['campaigns', 'list', '--state', u.toString()], { PGPASSWORD: 'right-one' }).status).toBe(0);
    u.password = 'wrong-one';
    const refused = oneLine(runBin(['campaigns', 'list', '--state', u.toString()]));
    expect(refused).toMatch(/password authentication failed/);
    expect(refused).toContain(shown);
    expect(refused).not.toContain('wrong-one');
  });
});
