import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPgServer, type PgServer } from './pg-server.js';

/**
 * Vitest's globalSetup: ONE PostgreSQL server for the whole run, or the one named by
 * CALLBACK_DESK_TEST_PG_URL. The server starts in the background (initdb takes about 3 s), so a
 * run of tests that need no server does not wait for it; a test that needs it waits until the
 * status file says it is up, or fails with the reason it could not start (tests/helpers/pg-db.ts).
 * A server that could not start also fails the run at its end: the PostgreSQL tests are never
 * skipped in silence.
 */
export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const given = process.env.CALLBACK_DESK_TEST_PG_URL;
  if (given) {
    project.provide('pgServer', { url: given, statusFile: null });
    return undefined;
  }
  const statusDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-pg-status-'));
  const statusFile = path.join(statusDir, 'status.json');
  const write = (status: { url: string } | { error: string }) => {
    // Written whole under another name, then renamed: a reader never sees half of it.
    fs.writeFileSync(`${statusFile}.tmp`, JSON.stringify(status));
    fs.renameSync(`${statusFile}.tmp`, statusFile);
  };
  const starting: Promise<PgServer> = startPgServer().then(
    (server) => {
      write({ url: server.url });
      return server;
    },
    (e: unknown) => {
      write({ error: (e as Error).message });
      throw e;
    },
  );
  // Awaited at teardown; until then a failure is in the status file, not an unhandled rejection.
  starting.catch(() => {});
  project.provide('pgServer', { url: null, statusFile });
  return async () => {
    try {
      const server = await starting.catch((e: unknown) => {
        throw new Error(`the PostgreSQL test server could not be started: ${(e as Error).message}`);
      });
      await server.stop();
    } finally {
      fs.rmSync(statusDir, { recursive: true, force: true });
    }
  };
}
