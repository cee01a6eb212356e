import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL server for one test run: initdb into a fresh temporary directory, a
 * free port on 127.0.0.1, trust authentication, then `pg_ctl stop` and the directory removed.
 * Debian's PostgreSQL 15 binaries (or CALLBACK_DESK_PG_BIN). initdb refuses to run as root, so
 * as root the server runs as the `postgres` user, in a directory it owns.
 */

const run = promisify(execFile);

export const PG_BIN = process.env.CALLBACK_DESK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** The one role the throwaway server asks a password of (tests/store/pg-store.test.ts). */
export const PASSWORD_ROLE = 'cbd_password';

export interface PgServer {
  /** The superuser's URL (database postgres). */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function owner(): Promise<{ uid: number; gid: number; asUser: string[] } | null> {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid, asUser: ['runuser', '-u', 'postgres', '--'] };
  } catch {
    throw new Error('running as root, and there is no `postgres` user to run initdb as (initdb refuses root): install postgresql-15 or set CALLBACK_DESK_TEST_PG_URL');
  }
}

/** The last lines of a file, for a message: why the server did not start. */
function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

/** `settings`: server settings beside the defaults (the team load bench needs more connections). */
export async function startPgServer(settings: Record<string, string> = {}): Promise<PgServer> {
  const initdb = path.join(PG_BIN, 'initdb');
  if (!fs.existsSync(initdb)) {
    throw new Error(`no PostgreSQL server at ${PG_BIN} (initdb not found): install postgresql-15 (apt-get install postgresql-15), set CALLBACK_DESK_PG_BIN, or set CALLBACK_DESK_TEST_PG_URL to a server's URL`);
  }
  const who = await owner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (who) fs.chownSync(dir, who.uid, who.gid);
  const cmd = async (bin: string, args: string[]) => {
    const argv = [...(who?.asUser ?? []), path.join(PG_BIN, bin), ...args];
    return run(argv[0], argv.slice(1), { cwd: dir, timeout: 60_000 });
  };
  try {
    // --no-sync: the cluster is thrown away after the run, its files need not reach the disk.
    await cmd('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
  }
  // Trust for everyone but one role, which must give its password: the test of ~/.pgpass and
  // PGPASSWORD needs a server that asks for one.
  const hba = path.join(data, 'pg_hba.conf');
  fs.writeFileSync(hba, `host all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`);
  let lastError = '';
  // A port found free can be taken by another process before the server binds it: try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const set = { max_connections: '300', shared_buffers: '128MB', ...settings };
    const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', ...Object.entries(set).flatMap(([k, v]) => ['-c', `${k}=${v}`])].join(' ');
    try {
      await cmd('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start']);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      return {
        url,
        dir,
        async stop() {
          await cmd('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => cmd('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {}));
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      lastError = `${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}\n${tail(log)}`;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(`the PostgreSQL server did not start: ${lastError}`);
}
