import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import pgpass from 'pgpass/lib/helper.js';

/**
 * How callback-desk reaches a PostgreSQL server: a `postgres://` or `postgresql://` URL, with
 * what it leaves out taken from the libpq environment as psql would (PGHOST, PGPORT, PGUSER,
 * PGDATABASE, PGPASSWORD, PGOPTIONS, PGAPPNAME, PGCONNECT_TIMEOUT: node-postgres reads these
 * itself), the password from PGPASSFILE or ~/.pgpass, and PGSSLMODE read with libpq's meaning.
 * So a password never has to stand on the command line, where `ps` shows it to every user.
 */

export { isPostgresUrl } from '../state-location.js';

/**
 * The URL with its password left out (the user part, and a `password` or `sslpassword`
 * parameter): the only form of a URL that any notice, error or log prints.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (/password$/i.test(key)) u.searchParams.delete(key);
    return u.toString();
  } catch {
    // Not a URL that parses (a stray character): still nothing between ':' and '@' survives.
    return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@]*@/i, '$1@').replace(/([?&][a-z]*password=)[^&]*/gi, '$1…');
  }
}

/** libpq's sslmode values. */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface ResolvedConnection {
  config: PoolConfig;
  sslMode: SslMode;
  /**
   * sslmode=prefer (libpq's default): encrypted when the server offers it, else plain. The pool
   * cannot fall back by itself, so the store tries once with `config` and, when the server
   * does not support SSL, uses `plain` instead.
   */
  plain: PoolConfig | null;
}

/**
 * The pool configuration for a URL. SSL follows libpq, not node-postgres's own reading of
 * PGSSLMODE (where `prefer` and `require` both demand a verified certificate): `require`
 * encrypts without verifying (unless a root certificate is given, then as `verify-ca`),
 * `verify-ca` checks the chain, `verify-full` the chain and the host name. The root certificate
 * is sslrootcert, PGSSLROOTCERT or ~/.postgresql/root.crt; a client certificate sslcert/sslkey,
 * PGSSLCERT/PGSSLKEY or ~/.postgresql/postgresql.crt and .key.
 */
export function resolveConnection(url: string, env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  const { rest, ssl: sslParams } = splitSslParams(url);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (e) {
    throw new Error(`${redactUrl(url)} is not a PostgreSQL URL that can be read (${(e as Error).message})`);
  }
  const p = { ...(parsed as Record<string, unknown>), ...sslParams };
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined);
  const modeText = str('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  if (!SSL_MODES.includes(modeText as SslMode)) throw new Error(`sslmode ${JSON.stringify(modeText)} is not one of ${SSL_MODES.join(', ')}`);
  const urlPassword = str('password');
  const host = str('host') ?? env.PGHOST ?? '';
  // libpq never encrypts a Unix-domain socket.
  const socket = host.startsWith('/');
  let sslMode = modeText as SslMode;
  if (socket) sslMode = 'disable';

  const home = os.homedir();
  const file = (given: string | undefined, envName: string, fallback: string, mustExist: boolean) => {
    const f = given ?? env[envName] ?? path.join(home, '.postgresql', fallback);
    if (!fs.existsSync(f)) {
      if (mustExist || given !== undefined || env[envName] !== undefined) throw new Error(`the SSL file ${f} does not exist`);
      return undefined;
    }
    return fs.readFileSync(f, 'utf8');
  };
  let ssl: boolean | ConnectionOptions = false;
  if (sslMode === 'require' || sslMode === 'prefer' || sslMode === 'verify-ca' || sslMode === 'verify-full') {
    const ca = file(str('sslrootcert'), 'PGSSLROOTCERT', 'root.crt', false);
    const cert = file(str('sslcert'), 'PGSSLCERT', 'postgresql.crt', false);
    const key = cert !== undefined ? file(str('sslkey'), 'PGSSLKEY', 'postgresql.key', true) : undefined;
    const verify = sslMode === 'verify-ca' || sslMode === 'verify-full' || (sslMode === 'require' && ca !== undefined);
    ssl = {
      rejectUnauthorized: verify,
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert, key } : {}),
      // verify-ca (and require with a root certificate): the chain, not the host name.
      ...(verify && sslMode !== 'verify-full' ? { checkServerIdentity: () => undefined } : {}),
    };
  }

  const base: PoolConfig = {
    ...(str('host') !== undefined ? { host: str('host') } : {}),
    ...(str('port') !== undefined ? { port: Number(str('port')) } : {}),
    ...(str('user') !== undefined ? { user: str('user') } : {}),
    ...(str('database') !== undefined ? { database: str('database') } : {}),
    // Generic plans for the named statements: the dialable query's custom plan costs ~10 ms to
    // make (ten times its run) and PostgreSQL keeps making one per call when it looks cheaper.
    options: [str('options') ?? env.PGOPTIONS, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
    ...(str('application_name') !== undefined ? { application_name: str('application_name') } : {}),
    fallback_application_name: 'callback-desk',
    // The URL's password, else PGPASSWORD, else the password file: looked up here rather than
    // by node-postgres, which warns on stderr that it will stop reading ~/.pgpass.
    // (undefined when there is none: node-postgres then sends none, for trust or peer auth.)
    password: (async () => urlPassword ?? env.PGPASSWORD ?? (await passwordFromFile(connectionKey(url, env), env))) as () => Promise<string>,
    keepAlive: true,
  };
  const config: PoolConfig = { ...base, ssl };
  return { config, sslMode, plain: sslMode === 'prefer' ? { ...base, ssl: false } : null };
}

/**
 * The URL without its SSL parameters, and those apart: they are read here with libpq's meaning,
 * and pg-connection-string would read them with its own (and refuse verify-ca without a root
 * certificate, which libpq takes from ~/.postgresql).
 */
function splitSslParams(url: string): { rest: string; ssl: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { rest: url, ssl: {} };
  }
  const ssl: Record<string, string> = {};
  for (const key of ['sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'uselibpqcompat']) {
    const v = u.searchParams.get(key);
    if (v !== null) ssl[key] = v;
    u.searchParams.delete(key);
  }
  return { rest: u.toString(), ssl };
}

interface PassKey {
  host: string;
  port: string;
  database: string;
  user: string;
}

/** What a ~/.pgpass line is matched on, resolved as node-postgres resolves it. */
function connectionKey(url: string, env: NodeJS.ProcessEnv): PassKey {
  const p = parse(splitSslParams(url).rest) as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined);
  const user = str('user') ?? env.PGUSER ?? os.userInfo().username;
  const host = str('host') ?? env.PGHOST ?? 'localhost';
  return {
    // libpq matches a socket connection as "localhost".
    host: host.startsWith('/') ? 'localhost' : host,
    port: str('port') ?? env.PGPORT ?? '5432',
    database: str('database') ?? env.PGDATABASE ?? user,
    user,
  };
}

/** The password of the first matching line of PGPASSFILE or ~/.pgpass (ignored, with libpq's warning, when others may read it). */
function passwordFromFile(key: PassKey, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = pgpass.getFileName(env);
  return new Promise((resolve) => {
    fs.stat(file, (err, stat) => {
      if (err || !pgpass.usePgPass(stat, file)) resolve(undefined);
      else pgpass.getPassword(key, fs.createReadStream(file), resolve);
    });
  });
}
