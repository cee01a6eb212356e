import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A fresh database per test file (or per test) on the run's PostgreSQL server
 * (tests/helpers/pg-global-setup.ts). Databases are made with an ICU en-US collation where the
 * server has ICU, so an ordering that leans on the database's collation instead of the
 * schema's COLLATE "C" shows up here, not on a customer's server.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: { url: string | null; statusFile: string | null };
  }
}

let serverUrl: Promise<string> | undefined;

/** The server's URL once it is up; throws why when it could not start. */
export function pgServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const { url, statusFile } = inject('pgServer');
    if (url) return url;
    if (!statusFile) throw new Error('no PostgreSQL test server was provided (is tests/helpers/pg-global-setup.ts in vitest.config.ts?)');
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(statusFile)) {
      if (Date.now() > deadline) throw new Error('the PostgreSQL test server did not start within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const status = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { url?: string; error?: string };
    if (!status.url) throw new Error(`the PostgreSQL test server could not be started: ${status.error}`);
    return status.url;
  })();
  return serverUrl;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on a connection of its own (node-postgres's default parsing: BIGINT as text). */
export async function pgQuery<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs one statement as the server's administrator. */
export async function adminQuery<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return pgQuery<T>(await pgServerUrl(), sql, params);
}

const created: string[] = [];
let icu: boolean | undefined;

/** A new empty database; its URL. */
export async function freshDatabase(label = 'test'): Promise<{ url: string; name: string }> {
  const name = `cbd_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${crypto.randomBytes(5).toString('hex')}`;
  if (icu !== false) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
      icu = true;
    } catch (e) {
      if (icu === true) throw e;
      icu = false;
    }
  }
  if (icu === false) await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0`);
  created.push(name);
  return { url: withDatabase(await pgServerUrl(), name), name };
}

/**
 * A new database holding a copy of another (its template): what copying a state file is to
 * SQLite. Nobody may be connected to the template meanwhile (PostgreSQL refuses then).
 */
export async function copyDatabase(url: string, label = 'copy'): Promise<{ url: string; name: string }> {
  const template = new URL(url).pathname.slice(1);
  const name = `cbd_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  created.push(name);
  return { url: withDatabase(url, name), name };
}

/** Drops the databases this file made (for a server given by CALLBACK_DESK_TEST_PG_URL). */
export async function dropDatabases(): Promise<void> {
  while (created.length) {
    const name = created.pop()!;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Ends every connection to a database but the caller's: a server restart, as the clients see it. */
export async function terminateConnections(database: string): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  return rows[0].n;
}
