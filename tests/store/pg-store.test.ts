import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg, { DatabaseError } from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { StoreError, type StoreTx } from '../../src/engine/store-port.js';
import { SCHEMA_VERSION } from '../../src/engine/world.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { isPostgresUrl, redactUrl, resolveConnection } from '../../src/store/pg/connection.js';
import { toStoreError } from '../../src/store/pg/errors.js';
import { prepareDatabase } from '../../src/store/pg/migrate.js';
import { CHANNEL, PgStore } from '../../src/store/pg/pg-store.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/store/pg/schema.js';
import { PgConn, inlined } from '../../src/store/pg/tables.js';
import { adminQuery, dropDatabases, freshDatabase, pgQuery, pgServerUrl, terminateConnections, withDatabase } from '../helpers/pg-db.js';
import { T0, contact, emptyWorld, interaction, record } from '../helpers/pg-fixtures.js';
import { PASSWORD_ROLE } from '../helpers/pg-server.js';
import { startProxy } from '../helpers/pg-proxy.js';

/** What only the PostgreSQL store does: URLs and passwords, the server's errors, lost connections, migrations. */

const stores: PgStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await dropDatabases();
});

async function open(url: string) {
  const o = await PgStore.open(url, () => emptyWorld());
  stores.push(o.store);
  return o.store;
}

function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('URLs and passwords', () => {
  it('tells a PostgreSQL URL from a file path', () => {
    expect(isPostgresUrl('postgres://db/x')).toBe(true);
    expect(isPostgresUrl('postgresql://db/x')).toBe(true);
    expect(isPostgresUrl('POSTGRES://db/x')).toBe(true);
    expect(isPostgresUrl('./postgres://x')).toBe(false);
    expect(isPostgresUrl('/home/a/state.db')).toBe(false);
  });

  it('leaves the password out of every URL it shows', () => {
    expect(redactUrl('postgres://alice:s3cret@db.example:5432/cb')).toBe('postgres://alice@db.example:5432/cb');
    expect(redactUrl('postgresql://alice:p%40ss@db/cb?sslmode=require&password=other')).toBe('postgresql://alice@db/cb?sslmode=require');
    expect(redactUrl('postgres://db/cb?sslpassword=x&application_name=desk')).toBe('postgres://db/cb?application_name=desk');
    expect(redactUrl('postgres://alice@db/cb')).toBe('postgres://alice@db/cb');
    expect(redactUrl('postgres:///cb')).toBe('postgres:///cb');
    // A URL that does not parse still loses what stands between ':' and '@'.
    expect(redactUrl('postgres://alice:s3 cr|et@[db/cb')).not.toContain('s3');
  });

  it('takes the password from the URL, else PGPASSWORD, else the password file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-pgpass-'));
    try {
      const file = path.join(dir, 'pgpass');
      fs.writeFileSync(file, 'otherhost:5432:*:bob:nope\ndb.example:5433:cb:bob:from-file\n*:*:*:carol:wildcard\n', { mode: 0o600 });
      const pass = (url: string, env: NodeJS.ProcessEnv) => (resolveConnection(url, env).config.password as () => Promise<string | undefined>)();
      expect(await pass('postgres://bob:in-url@db.example:5433/cb', { PGPASSFILE: file, PGPASSWORD: 'env' })).toBe('in-url');
      expect(await pass('postgres://bob@db.example:5433/cb', { PGPASSFILE: file, PGPASSWORD: 'env' })).toBe('env');
      expect(await pass('postgres://bob@db.example:5433/cb', { PGPASSFILE: file })).toBe('from-file');
      // Host, port, database and user from the environment, as libpq reads them.
      expect(await pass('postgres:///cb', { PGPASSFILE: file, PGHOST: 'db.example', PGPORT: '5433', PGUSER: 'bob' })).toBe('from-file');
      expect(await pass('postgres://carol@anywhere/x', { PGPASSFILE: file })).toBe('wildcard');
      expect(await pass('postgres://dave@anywhere/x', { PGPASSFILE: file })).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads sslmode as libpq does, not as node-postgres's PGSSLMODE", () => {
    const ssl = (url: string, env: NodeJS.ProcessEnv = {}) => resolveConnection(url, { HOME: '/nonexistent', ...env });
    expect(ssl('postgres://db/x', { PGSSLMODE: 'disable' }).config.ssl).toBe(false);
    // require: encrypted, not verified (node-postgres alone would insist on a verified certificate).
    expect(ssl('postgres://db/x', { PGSSLMODE: 'require' }).config.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(ssl('postgres://db/x?sslmode=verify-full').config.ssl).toMatchObject({ rejectUnauthorized: true });
    const ca = ssl('postgres://db/x?sslmode=verify-ca').config.ssl as { rejectUnauthorized: boolean; checkServerIdentity?: () => undefined };
    expect(ca.rejectUnauthorized).toBe(true);
    expect(ca.checkServerIdentity?.()).toBeUndefined();
    // prefer (libpq's default): encrypted when the server offers it, else plain.
    const prefer = ssl('postgres://db/x');
    expect(prefer.sslMode).toBe('prefer');
    expect(prefer.config.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(prefer.plain?.ssl).toBe(false);
    // The URL's sslmode wins over the environment's; a Unix socket is never encrypted.
    expect(ssl('postgres://db/x?sslmode=disable', { PGSSLMODE: 'require' }).config.ssl).toBe(false);
    expect(ssl('postgres:///x?host=/var/run/postgresql', { PGSSLMODE: 'require' }).config.ssl).toBe(false);
    expect(() => ssl('postgres://db/x?sslmode=sometimes')).toThrow(/sslmode "sometimes" is not one of/);
    // Server options from the URL or PGOPTIONS, and generic plans for the store's statements.
    expect(ssl('postgres://db/x', { PGOPTIONS: '-c search_path=cb' }).config.options).toBe('-c search_path=cb -c plan_cache_mode=force_generic_plan');
    expect(ssl('postgres://db/x?options=-c%20search_path%3Dother', { PGOPTIONS: '-c search_path=cb' }).config.options).toBe('-c search_path=other -c plan_cache_mode=force_generic_plan');
    expect(() => ssl('postgres://db/x?sslmode=verify-ca&sslrootcert=/nonexistent/root.crt')).toThrow(/\/nonexistent\/root.crt does not exist/);
  });

  // Only the run's own server surely asks this role for a password: one given by
  // CALLBACK_DESK_TEST_PG_URL may trust everyone (the test is then reported skipped, not passed).
  it.runIf(inject('pgServer').url === null)('connects with a password from PGPASSFILE, and names a wrong one without showing it', async () => {
    const { name } = await freshDatabase('password');
    await adminQuery(`DO $$ BEGIN CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'right-one'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await adminQuery(`ALTER DATABASE ${name} OWNER TO ${PASSWORD_ROLE}`);
    const u = new URL(withDatabase(await pgServerUrl(), name));
    u.username = PASSWORD_ROLE;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-pgpass-'));
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, `*:*:*:${PASSWORD_ROLE}:right-one\n`, { mode: 0o600 });
    const saved = process.env.PGPASSFILE;
    process.env.PGPASSFILE = file;
    try {
      const store = await open(u.toString());
      expect(await store.revision()).toBe(1);
      u.password = 'wrong-one';
      const e = await caught(PgStore.open(u.toString(), () => emptyWorld()));
      expect((e as StoreError).kind).toBe('connection');
      expect((e as StoreError).message).toMatch(/password authentication failed/);
      expect((e as StoreError).message).not.toContain('wrong-one');
      expect((e as StoreError).message).toContain(`postgres://${PASSWORD_ROLE}@127.0.0.1`);
    } finally {
      if (saved === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the server's errors, in the engine's words", () => {
  const err = (code: string, message = 'the server says so') => Object.assign(new DatabaseError(message, 0, 'error'), { code });
  const kind = (e: unknown) => (toStoreError(e, 'postgres://u@db/cb') as StoreError).kind;

  it('maps each SQLSTATE to its kind, once, in one place', () => {
    expect(kind(err('53100'))).toBe('full');
    expect(kind(err('57P01'))).toBe('connection');
    expect(kind(err('08006'))).toBe('connection');
    expect(kind(err('28P01'))).toBe('connection');
    expect(kind(err('55P03'))).toBe('busy');
    expect(kind(err('40P01'))).toBe('conflict');
    expect(kind(err('40001'))).toBe('conflict');
    expect(kind(err('CBD02'))).toBe('fenced');
    expect(kind(err('42501'))).toBe('readonly');
    expect(kind(err('25006'))).toBe('readonly');
    expect(kind(err('XX001'))).toBe('damaged');
    expect(kind(err('XX002'))).toBe('damaged');
    expect(kind(err('23505'))).toBe('refused');
    expect(kind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('connection');
    expect(kind(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('connection');
    expect(kind(new Error('Connection terminated unexpectedly'))).toBe('connection');
    const full = toStoreError(err('53100', 'could not extend file "base/1/2": No space left on device'), 'postgres://u@db/cb') as StoreError;
    expect(full.message).toBe('PostgreSQL at postgres://u@db/cb: could not extend file "base/1/2": No space left on device (SQLSTATE 53100); the server has no room left; nothing was written');
  });

  it("passes the engine's own errors through as they are", () => {
    const mine = new Error('no such campaign');
    expect(toStoreError(mine, 'x')).toBe(mine);
    const store = new StoreError('busy', 'already one');
    expect(toStoreError(store, 'x')).toBe(store);
  });

  it('names an unreachable server, without its password', async () => {
    const e = await caught(PgStore.open('postgres://alice:s3cret@127.0.0.1:1/cb?sslmode=disable', () => emptyWorld()));
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).kind).toBe('connection');
    expect((e as StoreError).message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/alice@127.0.0.1:1\/cb\?sslmode=disable \(.*ECONNREFUSED/);
    expect((e as StoreError).message).not.toContain('s3cret');
  });

  it('says busy at once when told not to wait', async () => {
    const { url } = await freshDatabase('nowait');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => tx.records.put(record({ record_id: 1 })));
    let release!: () => void;
    let holds!: () => void;
    const held = new Promise<void>((resolve) => (holds = resolve));
    // a reads record 1 to change it: locked until a's COMMIT.
    const holding = a.transaction(async (tx) => {
      await tx.records.get(1);
      holds();
      await new Promise<void>((resolve) => (release = resolve));
    });
    // Until a holds the lock (or its transaction failed, which then fails the test).
    await Promise.race([held, holding]);
    b.setBusyTimeout(0);
    const t = Date.now();
    const e = await caught(b.transaction(async (tx) => tx.records.get(1)));
    expect((e as StoreError).kind).toBe('busy');
    expect(Date.now() - t).toBeLessThan(1000);
    release();
    await holding;
  });
});

describe('lost connections', () => {
  it('replaces a connection the server dropped between transactions: the next one just works', async () => {
    const { url, name } = await freshDatabase('lost-between');
    const store = await open(url);
    await store.transaction(async (tx) => tx.records.put(record({ record_id: 1 })));
    expect(await terminateConnections(name)).toBeGreaterThan(0);
    await store.transaction(async (tx) => tx.records.put(record({ record_id: 2 })));
    expect(await store.read((q) => q.records.count())).toBe(2);
  });

  it('refuses a transaction whose connection was lost, with nothing half-written, and goes on after', async () => {
    const { url, name } = await freshDatabase('lost-during');
    const store = await open(url);
    const e = await caught(
      store.transaction(async (tx) => {
        await tx.records.put(record({ record_id: 1 }));
        await tx.bumpRevision();
        await terminateConnections(name);
        await tx.records.put(record({ record_id: 2 }));
      }),
    );
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).kind).toBe('connection');
    expect((e as StoreError).message).toMatch(/nothing was half-written/);
    expect(await pgQuery(url, 'SELECT record_id FROM calling_list')).toEqual([]);
    expect(await store.revision()).toBe(1);
    await store.transaction(async (tx) => tx.records.put(record({ record_id: 3 })));
    expect(await store.read((q) => q.records.count())).toBe(1);
  });

  it('tries a connection again while the server is away, and says so once it stays away', async () => {
    const { url } = await freshDatabase('lost-away');
    const proxy = await startProxy(url);
    try {
      const store = await open(proxy.url);
      await proxy.down();
      // Back a moment later (a restart): the transaction waits for it, and goes through.
      const writing = store.transaction(async (tx) => tx.records.put(record({ record_id: 1 })));
      setTimeout(() => void proxy.up(), 200);
      await writing;
      expect(await store.read((q) => q.records.count())).toBe(1);
      // Away for good: a clear error after the last try, nothing written.
      await proxy.down();
      const t = Date.now();
      const e = await caught(store.transaction(async (tx) => tx.records.put(record({ record_id: 2 }))));
      expect((e as StoreError).kind).toBe('connection');
      expect((e as StoreError).message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/postgres@127.0.0.1:\d+\/cbd_lost_away_\w+ \(.*\); nothing was half-written$/);
      expect(Date.now() - t).toBeGreaterThan(1000);
      expect(await pgQuery(url, 'SELECT record_id FROM calling_list')).toEqual([{ record_id: '1' }]);
    } finally {
      await proxy.close();
    }
  });

  it('takes the desktop lock again once the server that held it has dropped the session', async () => {
    const { url, name } = await freshDatabase('lost-lock');
    // Advisory locks of this database only: pg_locks lists the whole server's, and other test
    // files' desktops hold theirs on it at the same time.
    const holders = async () =>
      (
        await pgQuery<{ pid: number }>(
          url,
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
      ).map((r) => Number(r.pid));
    const desk = await open(url);
    await desk.acquireDesktopLock(process.pid);
    const [before] = await holders();
    expect(before).toBeGreaterThan(0);
    await terminateConnections(name);
    // The session and its lock are gone (its backend ends a moment after the signal, and until
    // then a new ask is refused as busy); asking again takes a new one on a new session.
    const deadline = Date.now() + 10_000;
    let now: number[] = [before];
    while ((now.length !== 1 || now[0] === before) && Date.now() < deadline) {
      await desk.acquireDesktopLock(process.pid).catch((e: unknown) => {
        if (!(e instanceof StoreError) || e.kind !== 'busy') throw e;
      });
      now = await holders();
    }
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(before);
  });

  it('calls a watcher again after its connection comes back (a poll: what was said meanwhile is lost)', async () => {
    const { url, name } = await freshDatabase('lost-watch');
    const desk = await open(url);
    let calls = 0;
    const stop = desk.watch(() => calls++);
    const deadline = Date.now() + 5000;
    while (calls < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toBe(1);
    await terminateConnections(name);
    while (calls < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toBe(2);
    stop();
  });
});

describe('the schema on PostgreSQL', () => {
  it('answers a supervisor in the SQLite file’s table and column names', async () => {
    const { url } = await freshDatabase('psql');
    const { store } = await PgStore.open(url, () => createDemoWorld(7, T0));
    stores.push(store);
    const [{ count }] = await pgQuery<{ count: string }>(url, "select count(*) from calling_list where campaign_id = 'collections-q4'");
    expect(Number(count)).toBe(await store.read((q) => q.records.count('collections-q4')));
    expect(Number(count)).toBeGreaterThan(0);
    const columns = await pgQuery<{ column_name: string }>(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'calling_list' ORDER BY ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual([
      'record_id', 'contact_info', 'contact_info_type', 'record_type', 'record_status', 'call_result', 'attempt', 'dial_sched_time', 'call_time', 'daily_from', 'daily_till',
      'tz_dbid', 'tz', 'campaign_id', 'agent_id', 'chain_id', 'chain_n', 'group_id', 'contact_id', 'treatments', 'callback_local', 'disposition', 'booked_by',
    ]);
    const indexes = await pgQuery<{ indexname: string }>(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' ORDER BY indexname");
    expect(indexes.map((i) => i.indexname)).toEqual([
      'call_log_agent', 'call_log_campaign', 'call_log_started',
      'calling_list_booked_callback', 'calling_list_callback', 'calling_list_campaign_callback', 'calling_list_chain', 'calling_list_contact', 'calling_list_dialable',
      'calling_list_open_callback', 'calling_list_personal_callback', 'contact_rowid', 'entity_rev', 'entity_rowid', 'gms_callback_booked_by', 'gms_callback_contact',
      'gms_callback_open', 'gms_callback_scheduled', 'interaction_live', 'interaction_rev', 'message_agent', 'message_unread',
    ]);
    expect(await pgQuery(url, 'SELECT version, name FROM schema_migration ORDER BY version')).toEqual(PG_MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('numbers its migrations as the state schema', () => {
    expect(PG_SCHEMA_VERSION).toBe(SCHEMA_VERSION);
    const versions = PG_MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
  });

  it('applies the migrations a database lacks, all or none, in the transaction that opens it', async () => {
    const { url } = await freshDatabase('migrate');
    await open(url);
    const run = async (migrations: typeof PG_MIGRATIONS) => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await prepareDatabase(new PgConn(client, () => {}), 'db', () => emptyWorld(), migrations);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
        await pool.end();
      }
    };
    // Two migrations past this build's schema: the first adds a column, the second fails.
    const next = { version: PG_SCHEMA_VERSION + 1, name: 'note on records', sql: 'ALTER TABLE calling_list ADD COLUMN note TEXT; CREATE INDEX calling_list_note ON calling_list (note)' };
    const broken = { version: PG_SCHEMA_VERSION + 2, name: 'broken', sql: 'CREATE TABLE meta (key TEXT)' };
    const e = await caught(run([...PG_MIGRATIONS, next, broken]));
    expect((e as Error).message).toMatch(/relation "meta" already exists/);
    // Neither of the two: the column the first added went with the rollback.
    expect(await pgQuery(url, 'SELECT max(version) AS v FROM schema_migration')).toEqual([{ v: PG_SCHEMA_VERSION }]);
    expect(await pgQuery(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'calling_list' AND column_name = 'note'")).toEqual([]);
    expect(await run([...PG_MIGRATIONS, next])).toEqual({ created: false });
    expect(await pgQuery(url, 'SELECT version, name FROM schema_migration ORDER BY version')).toEqual([
      ...PG_MIGRATIONS.map(({ version, name }) => ({ version, name })),
      { version: next.version, name: 'note on records' },
    ]);
    // This build (an older schema now) refuses it.
    const refused = await caught(PgStore.open(url, () => emptyWorld()));
    expect((refused as StoreError).kind).toBe('foreign');
  });

  it('gives a call log made before rescheduled_at the column as it opens, and asks no more once it has it', async () => {
    const { url } = await freshDatabase('call-log-column');
    await open(url);
    await pgQuery(url, 'ALTER TABLE call_log DROP COLUMN rescheduled_at');
    const column = "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'call_log'::regclass AND attname = 'rescheduled_at' AND NOT attisdropped";
    expect(await pgQuery(url, column)).toEqual([{ n: 0 }]);
    await open(url);
    expect(await pgQuery(url, column)).toEqual([{ n: 1 }]);
    // Opened again: the column is found, and nothing is altered.
    await open(url);
    expect(await pgQuery(url, column)).toEqual([{ n: 1 }]);
  });

  it('notifies the revision alone, once per commit that bumped it', async () => {
    const { url } = await freshDatabase('notify');
    const store = await open(url);
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(`${n.channel} ${n.payload}`));
    await listener.query(`LISTEN ${CHANNEL}`);
    await store.transaction(async (tx) => {
      await tx.bumpRevision();
      await tx.bumpRevision();
    });
    await store.transaction(async (tx) => tx.records.count());
    await store.transaction(async (tx) => void (await tx.bumpRevision()));
    const deadline = Date.now() + 3000;
    while (heard.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(heard).toEqual(['callback_desk 3', 'callback_desk 4']);
    await listener.end();
  });
});

describe('writes sent with the next round trip (PgConn.write)', () => {
  it('puts whole rows that the same transaction reads back, and hostile text arrives byte for byte', async () => {
    const { url } = await freshDatabase('deferred');
    const store = await open(url);
    // Quotes, backslashes, a would-be placeholder, SQL, line breaks, a tab, wide and joined characters.
    const hostile = `O'Brien \\ \\' "$1" $2; DROP TABLE contact; --\n\r\t é 漢 👩\u200d💻 \\x00`;
    const fields = { Note: hostile, 'Key\\"': `{"a":"\\u0041"}` };
    const seen = await store.transaction(async (tx) => {
      await tx.records.put(record({ record_id: 7, contact_info: '+12125550107' }));
      await tx.contacts.put(contact('C7', hostile, `${hostile}!`, fields));
      // Read back in the same transaction: the writes went first.
      return { n: await tx.records.count(), c: await tx.contacts.get('C7') };
    });
    expect(seen.n).toBe(1);
    expect(seen.c).toEqual(contact('C7', hostile, `${hostile}!`, fields));
    // And committed as they were.
    expect(await store.read((q) => q.contacts.get('C7'))).toEqual(contact('C7', hostile, `${hostile}!`, fields));
    expect((await store.read((q) => q.records.get(7)))?.contact_info).toBe('+12125550107');
  });

  it('rolls a transaction back whole when a write sent late fails, and keeps nothing of it', async () => {
    const { url } = await freshDatabase('deferred-fail');
    const store = await open(url);
    await pgQuery(url, "ALTER TABLE contact ADD CONSTRAINT no_x CHECK (first_name <> 'X')");
    const e = await caught(
      store.transaction(async (tx) => {
        await tx.records.put(record({ record_id: 8 }));
        await tx.bumpRevision();
        await tx.contacts.put(contact('C8', 'X', 'Refused'));
      }),
    );
    expect(e).toBeInstanceOf(StoreError);
    expect(await pgQuery(url, 'SELECT record_id FROM calling_list')).toEqual([]);
    expect(await pgQuery(url, 'SELECT id FROM contact')).toEqual([]);
    expect(await store.revision()).toBe(1);
  });

  it('writes parameters in as untyped literals, and leaves a value it cannot write for the ordinary way', () => {
    const client = { escapeLiteral: (s: string) => new pg.Client().escapeLiteral(s) };
    expect(inlined(client, 'INSERT INTO t VALUES ($1, $2, $3, $4, $5, $10)', ["it's", 12.5, null, true, undefined, 'ten', '', '', '', 'x\\y'])).toBe(
      // A backslash makes node-postgres write an E'' literal (with a space before it).
      "INSERT INTO t VALUES ('it''s', '12.5', NULL, 'true', NULL,  E'x\\\\y')",
    );
    expect(inlined(client, 'SELECT $1', [{ a: 1 }])).toBeUndefined();
    expect(inlined(client, 'SELECT $1', [Number.NaN])).toBeUndefined();
    expect(inlined(client, 'SELECT $1', [10n])).toBeUndefined();
  });
});

describe('writers side by side (the revision row is locked only for the commit)', () => {
  /** A transaction held open at a point until `go()` (each step awaited in order). */
  function held<T>(store: PgStore, body: (tx: StoreTx, at: () => Promise<void>) => Promise<T>) {
    let reached!: () => void;
    let go!: () => void;
    const there = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (go = resolve));
    const done = store.transaction((tx) =>
      body(tx, async () => {
        reached();
        await gate;
      }),
    );
    return { there: Promise.race([there, done.then(() => undefined)]), go: () => go(), done };
  }
  const noon = () => 12 * 3600;

  it('lets writers of different rows through while one is open, and numbers revisions in commit order', async () => {
    const { url } = await freshDatabase('side-by-side');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => {
      await tx.records.put(record({ record_id: 1 }));
      await tx.records.put(record({ record_id: 2 }));
      await tx.bumpRevision();
    });
    const start = await a.revision();
    let aTx!: StoreTx;
    const first = held(a, async (tx, at) => {
      aTx = tx;
      await tx.records.put({ ...(await tx.records.get(1))!, agent_id: 'a' });
      await tx.putEntity('agent', 'one', { id: 'one' }, await tx.bumpRevision());
      await at();
    });
    await first.there;
    // b changes another record and commits while a is open: no wait.
    let bTx!: StoreTx;
    await b.transaction(async (tx) => {
      bTx = tx;
      await tx.records.put({ ...(await tx.records.get(2))!, agent_id: 'b' });
      await tx.putEntity('agent', 'two', { id: 'two' }, await tx.bumpRevision());
    });
    expect(bTx.seenThrough).toBe(start + 1);
    first.go();
    await first.done;
    // a committed second: its revision is the next, and what it had seen stops before b's.
    expect(await a.revision()).toBe(start + 2);
    expect(aTx.seenThrough).toBe(start);
    const changed = await b.read((q) => q.changedSince(start));
    expect(changed.entities.map((e) => e.id)).toEqual(['two', 'one']);
    expect(await b.read(async (q) => [(await q.records.get(1))!.agent_id, (await q.records.get(2))!.agent_id])).toEqual(['a', 'b']);
  });

  it('refuses a commit whose agent or interaction another process wrote after it caught up (conflict), writing nothing', async () => {
    const { url } = await freshDatabase('conflict');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => {
      await tx.putEntity('agent', 'x', { id: 'x', v: 0 }, await tx.bumpRevision());
      await tx.interactions.put(interaction('I1', 'alerting', T0), await tx.revision());
    });
    const late = held(a, async (tx, at) => {
      await tx.catchUp(await tx.revision());
      await at();
      await tx.records.put(record({ record_id: 9 }));
      await tx.putEntity('agent', 'x', { id: 'x', v: 'a' }, await tx.bumpRevision());
    });
    await late.there;
    await b.transaction(async (tx) => tx.putEntity('agent', 'x', { id: 'x', v: 'b' }, await tx.bumpRevision()));
    late.go();
    const e = await caught(late.done);
    expect((e as StoreError).kind).toBe('conflict');
    expect((await a.read((q) => q.loadEntities('agent'))).x).toEqual({ id: 'x', v: 'b' });
    expect(await a.read((q) => q.records.get(9))).toBeUndefined();
    // The same for an interaction.
    const again = held(a, async (tx, at) => {
      await at();
      await tx.interactions.put({ ...interaction('I1', 'alerting', T0), state: 'ended' }, await tx.bumpRevision());
    });
    await again.there;
    await b.transaction(async (tx) => tx.interactions.put({ ...interaction('I1', 'alerting', T0), state: 'connected' }, await tx.bumpRevision()));
    again.go();
    expect(((await caught(again.done)) as StoreError).kind).toBe('conflict');
    expect((await a.read((q) => q.interactions.get('I1')))?.state).toBe('connected');
  });

  it("refuses a host's commit once another process took the lease (fenced)", async () => {
    const { url } = await freshDatabase('fenced');
    const host = await open(url);
    const other = await open(url);
    const me = { host: 'h', pid: 1 };
    const epoch = await host.team.acquireHost({ ...me, role: 'host' }, 0);
    expect(epoch).toBe(1);
    const writing = held(host, async (tx, at) => {
      expect(await tx.hostEpoch()).toBe(1);
      await at();
      await tx.putEntity('agent', 'h', { id: 'h' }, await tx.bumpRevision());
    });
    await writing.there;
    // The lease is taken over (as after the host's lock connection was lost).
    await host.team.releaseHost(1);
    expect(await other.team.acquireHost({ host: 'o', pid: 2, role: 'host' }, 1)).toBe(2);
    writing.go();
    expect(((await caught(writing.done)) as StoreError).kind).toBe('fenced');
    expect((await host.read((q) => q.loadEntities('agent'))).h).toBeUndefined();
  });

  it('gives the next dialable record to one writer only when two ask at once', async () => {
    const { url } = await freshDatabase('next-locked');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => {
      for (const id of [1, 2, 3]) await tx.records.put(record({ record_id: id }));
    });
    const q = { campaignId: 'camp', now: T0, localSeconds: noon };
    const first = held(a, async (tx, at) => {
      const r = await tx.records.nextDialable(q);
      await at();
      return r?.record_id;
    });
    await first.there;
    // a holds record 1 (not yet changed): b is given the next, without waiting for a.
    const second = await b.transaction(async (tx) => (await tx.records.nextDialable(q))?.record_id);
    first.go();
    expect([await first.done, second]).toEqual([1, 2]);
    // Outside a write transaction nothing is locked: a read sees record 1 first.
    expect((await b.read((r) => r.records.nextDialable(q)))?.record_id).toBe(1);
  });


  it('chooses a record of a zone another process added after this one learned the campaign’s zones', async () => {
    const { url } = await freshDatabase('next-new-zone');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => tx.records.put(record({ record_id: 1, attempt: 3 })));
    // Night in London at this hour, noon in New York: the zone's own hour decides, not the server's.
    const q = { campaignId: 'camp', now: T0, localSeconds: (tz: string) => (tz === 'Europe/London' ? 2 * 3600 : 12 * 3600) };
    expect((await a.transaction(async (tx) => tx.records.nextDialable(q)))?.record_id).toBe(1);
    // b writes records in two zones a has not seen: a less tried one in Chicago, and one in London.
    await b.transaction(async (tx) => {
      await tx.records.put(record({ record_id: 2, attempt: 1, tz: 'America/Chicago' }));
      await tx.records.put(record({ record_id: 3, attempt: 0, tz: 'Europe/London' }));
    });
    expect((await a.transaction(async (tx) => tx.records.nextDialable(q)))?.record_id).toBe(2);
    expect((await a.read((r) => r.records.nextDialable(q)))?.record_id).toBe(2);
    // A due campaign callback of the new zone comes first, at its time, as on SQLite.
    await b.transaction(async (tx) =>
      tx.records.put(record({ record_id: 4, record_type: 6, attempt: 5, tz: 'Asia/Kolkata', dialSchedAt: T0 - 60_000, chain_id: 4 })),
    );
    expect((await a.transaction(async (tx) => tx.records.nextDialable(q)))?.record_id).toBe(4);
  });
  it('brings the chosen record’s contact along, and reads it again once the transaction wrote it', async () => {
    const { url } = await freshDatabase('next-contact');
    const a = await open(url);
    await a.transaction(async (tx) => {
      await tx.records.put(record({ record_id: 1 }));
      await tx.contacts.put(contact('c1', 'Ada', 'Byron'));
    });
    const q = { campaignId: 'camp', now: T0, localSeconds: noon };
    const seen = await a.transaction(async (tx) => {
      await tx.records.nextDialable(q);
      const before = (await tx.contacts.get('c1'))?.firstName;
      await tx.contacts.put(contact('c1', 'Augusta', 'Byron'));
      return [before, (await tx.contacts.get('c1'))?.firstName];
    });
    expect(seen).toEqual(['Ada', 'Augusta']);
    expect(await a.read(async (r) => [(await r.records.nextDialable(q))?.record_id, (await r.contacts.get('c1'))?.firstName])).toEqual([1, 'Augusta']);
  });

  it('locks a contact read to be changed, not one read to be shown', async () => {
    const { url } = await freshDatabase('contact-lock');
    const a = await open(url);
    const b = await open(url);
    await a.transaction(async (tx) => tx.contacts.put(contact('C1', 'Ann', 'Lee')));
    const editing = held(a, async (tx, at) => {
      await tx.contacts.getToChange('C1');
      await at();
    });
    await editing.there;
    b.setBusyTimeout(0);
    // Shown: no wait. Changed: busy at once while a holds it.
    expect((await b.transaction((tx) => tx.contacts.get('C1')))?.firstName).toBe('Ann');
    expect(((await caught(b.transaction((tx) => tx.contacts.getToChange('C1')))) as StoreError).kind).toBe('busy');
    editing.go();
    await editing.done;
  });

  it("keeps a connection's commit check when its first transaction rolls back", async () => {
    const { url } = await freshDatabase('check-kept');
    const a = await open(url);
    await caught(
      a.transaction(async (tx) => {
        await tx.putEntity('agent', 'x', { id: 'x' }, await tx.bumpRevision());
        throw new Error('refused');
      }),
    );
    await a.transaction(async (tx) => tx.putEntity('agent', 'x', { id: 'x', v: 2 }, await tx.bumpRevision()));
    expect((await a.read((q) => q.loadEntities('agent'))).x).toEqual({ id: 'x', v: 2 });
  });

  it('gives back the ids a rolled-back transaction took, as SQLite does', async () => {
    const { url } = await freshDatabase('ids-back');
    const a = await open(url);
    expect(await a.transaction((tx) => tx.allocateId('widget', 10))).toBe(10);
    await caught(
      a.transaction(async (tx) => {
        expect(await tx.allocateId('widget', 10)).toBe(11);
        expect(await tx.allocateId('widget', 10)).toBe(12);
        throw new Error('refused');
      }),
    );
    expect(await a.transaction((tx) => tx.allocateId('widget', 10))).toBe(11);
  });
});
