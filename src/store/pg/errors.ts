import { DatabaseError } from 'pg';
import { StoreError, type StoreErrorKind } from '../../engine/store-port.js';

/**
 * PostgreSQL's failures in the engine's words, in one place. The SQLSTATE decides (see the
 * server's errcodes): the message is the server's own, after the database's location (the URL
 * with its password left out), and what happened to the change.
 */

/** Node's socket failures, and node-postgres's own words for a connection that went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);
const CLIENT_CONNECTION_TEXT = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|does not support SSL|Client was closed|Cannot use a pool after calling end/i;

function sqlState(e: unknown): string | undefined {
  return e instanceof DatabaseError ? e.code : undefined;
}

/** The connection itself failed (not a statement): worth a fresh connection and another try. */
export function isConnectionFailure(e: unknown): boolean {
  const state = sqlState(e);
  if (state !== undefined) return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300';
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return e instanceof Error && CLIENT_CONNECTION_TEXT.test(e.message);
}

/**
 * A query node-postgres refused before sending it: its connection had already failed (or was
 * closed), so the server never saw it.
 */
export function neverSent(e: unknown): boolean {
  return e instanceof Error && / and is not queryable$/.test(e.message);
}

function kindOf(e: unknown): StoreErrorKind | undefined {
  if (isConnectionFailure(e)) return 'connection';
  const state = sqlState(e);
  if (state === undefined) return undefined;
  // Authentication (28), a database that does not exist (3D000): the server cannot be used.
  if (state.startsWith('28') || state === '3D000') return 'connection';
  if (state === '53100') return 'full';
  if (state === '55P03') return 'busy';
  // Two writers waited for each other (a deadlock), or one changed what the other had read.
  if (state === '40P01' || state === '40001') return 'conflict';
  if (state === HOST_FENCED) return 'fenced';
  if (state === '42501' || state === '25006') return 'readonly';
  if (state === 'XX001' || state === 'XX002') return 'damaged';
  // A table or column missing: someone changed the schema under us.
  if (state === '42P01' || state === '42703') return 'damaged';
  return 'refused';
}

const AFTER: Record<StoreErrorKind, string> = {
  busy: 'another process holds the write lock; nothing was written, try again',
  full: 'the server has no room left; nothing was written',
  damaged: 'the database is damaged; nothing was written',
  foreign: 'it was left untouched',
  connection: 'nothing was half-written',
  readonly: 'this user cannot write there; nothing was written',
  refused: 'nothing was written',
  conflict: 'nothing was written, try again',
  fenced: 'another process took over as host; nothing was written',
};

/** The SQLSTATE a host's commit raises when the lease's epoch moved (callback_desk_commit_check, SESSION_FUNCTIONS in pg-store.ts). */
export const HOST_FENCED = 'CBD02';

/**
 * The error as a StoreError when it came from the database or the connection; anything else
 * (the engine's own errors thrown inside a transaction) is returned as it was.
 */
export function toStoreError(e: unknown, location: string): unknown {
  if (e instanceof StoreError) return e;
  const kind = kindOf(e);
  if (kind === undefined) return e;
  const err = e as Error & { code?: string };
  const state = sqlState(e);
  let what: string;
  if (kind === 'connection') what = `cannot reach PostgreSQL at ${location} (${err.message}${err.code && !state ? `, ${err.code}` : ''})`;
  else what = `PostgreSQL at ${location}: ${err.message}${state ? ` (SQLSTATE ${state})` : ''}`;
  if (kind === 'readonly' && state === '42501') what += '; the user needs CREATE on the schema (PostgreSQL 15 no longer grants it on public to every user) and write access to its tables';
  return new StoreError(kind, `${what}; ${AFTER[kind]}`, { cause: e });
}
