import { StoreError, type StorePort, type StoreReader } from '../../src/engine/store-port.js';
import type { WorldSeed } from '../../src/engine/world.js';
import { sqliteStoreError } from '../../src/store/sqlite-errors.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

/**
 * The process side of tests/store/sqlite-elsewhere.ts: one SqliteStore, its own connection to the
 * file, answering the test process over the IPC channel. Its thread is its own, so while it
 * waits for the write lock (SQLite's busy handler blocks the thread) the test process goes on,
 * and so do the transactions of the other processes it drives.
 */

export type Request =
  | { id: number; op: 'open'; file: string; seed: WorldSeed | null }
  | { id: number; op: 'begin' | 'beginRead' }
  | { id: number; op: 'call'; txn: number; path: string[]; args: unknown[] }
  | { id: number; op: 'end'; txn: number; ok: boolean }
  | { id: number; op: 'revision' | 'close' }
  | { id: number; op: 'setBusyTimeout'; ms: number }
  | { id: number; op: 'acquireDesktopLock' | 'releaseDesktopLock'; pid: number }
  | { id: number; op: 'watch' | 'unwatch'; wid: number }
  | { id: number; op: 'iterOpen'; method: 'listRecords' | 'exportCampaign'; args: unknown[] }
  | { id: number; op: 'iterNext' | 'iterClose'; iter: number }
  | { id: number; op: 'customFieldNames'; campaignId: string }
  | { id: number; op: 'team'; method: string; args: unknown[] };

export type SentError = { name: string; message: string; kind?: StoreError['kind'] };
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError };
export type Event = { event: 'watch'; wid: number };

/** A transaction (or read) under way: the caller's queries run on `q` until the caller ends it. */
interface Open {
  q: StoreReader;
  end: (ok: boolean) => void;
  endRequest?: number;
}

/** Thrown inside the transaction when the caller's function threw: the store rolls back. */
const ABORTED = new Error('the caller rolled the transaction back');

let store: StorePort | undefined;
let file = '';
let next = 0;
const open = new Map<number, Open>();
const watches = new Map<number, () => void>();
const iterators = new Map<number, AsyncIterator<unknown>>();

const send = (m: Reply | Event) => process.send!(m);

function sent(e: unknown): SentError {
  if (e instanceof StoreError) return { name: e.name, message: e.message, kind: e.kind };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

function reply(id: number, run: () => unknown): void {
  Promise.resolve()
    .then(run)
    .then(
      (value) => send({ id, ok: true, value }),
      (e: unknown) => send({ id, ok: false, error: sent(e) }),
    );
}

function must(): StorePort {
  if (!store) throw new Error('the store is not open');
  return store;
}

/** Runs a transaction or a read whose body is the caller's: `begin` answers once it runs. */
function start(id: number, kind: 'transaction' | 'read'): void {
  const txn = ++next;
  let entered = false;
  let ended!: (ok: boolean) => void;
  const over = new Promise<boolean>((resolve) => (ended = resolve));
  const body = async (q: StoreReader) => {
    entered = true;
    open.set(txn, { q, end: ended });
    send({ id, ok: true, value: txn });
    if (!(await over)) throw ABORTED;
  };
  const s = must();
  const settled = kind === 'transaction' ? s.transaction(body) : s.read(body);
  settled.then(
    () => finish(txn, null),
    (e: unknown) => {
      // Refused before the body ran (busy): the answer to `begin`.
      if (!entered) send({ id, ok: false, error: sent(e) });
      else finish(txn, e === ABORTED ? null : e);
    },
  );
}

function finish(txn: number, error: unknown): void {
  const o = open.get(txn);
  open.delete(txn);
  if (o?.endRequest === undefined) return;
  if (error === null) send({ id: o.endRequest, ok: true, value: undefined });
  else send({ id: o.endRequest, ok: false, error: sent(error) });
}

async function call(txn: number, path: string[], args: unknown[]): Promise<unknown> {
  const o = open.get(txn);
  if (!o) throw new Error(`no transaction ${txn} under way`);
  let target: unknown = o.q;
  for (const key of path.slice(0, -1)) target = (target as Record<string, unknown>)[key];
  const fn = (target as Record<string, unknown>)[path[path.length - 1]];
  if (typeof fn !== 'function') throw new Error(`the store has no ${path.join('.')}`);
  try {
    return await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
  } catch (e) {
    // As the store's own transaction turns a database error into its words.
    throw sqliteStoreError(e, file);
  }
}

process.on('message', (m: Request) => {
  switch (m.op) {
    case 'open':
      file = m.file;
      return reply(m.id, async () => {
        const seed = m.seed;
        const o = await SqliteStore.open(m.file, () => {
          if (!seed) throw new Error(`${m.file} was expected to hold a state already`);
          return seed;
        });
        store = o.store;
        return { created: o.created };
      });
    case 'begin':
      return start(m.id, 'transaction');
    case 'beginRead':
      return start(m.id, 'read');
    case 'call':
      return reply(m.id, () => call(m.txn, m.path, m.args));
    case 'end': {
      const o = open.get(m.txn);
      if (!o) return send({ id: m.id, ok: false, error: { name: 'Error', message: `no transaction ${m.txn} under way` } });
      o.endRequest = m.id;
      return o.end(m.ok);
    }
    case 'revision':
      return reply(m.id, () => must().revision());
    case 'setBusyTimeout':
      return reply(m.id, () => must().setBusyTimeout(m.ms));
    case 'acquireDesktopLock':
      return reply(m.id, () => must().acquireDesktopLock(m.pid));
    case 'releaseDesktopLock':
      return reply(m.id, () => must().releaseDesktopLock(m.pid));
    case 'watch':
      return reply(m.id, () => void watches.set(m.wid, must().watch(() => send({ event: 'watch', wid: m.wid }))));
    case 'unwatch':
      return reply(m.id, () => {
        watches.get(m.wid)?.();
        watches.delete(m.wid);
      });
    case 'iterOpen':
      return reply(m.id, () => {
        const bulk = must().bulk as unknown as Record<string, (...a: unknown[]) => AsyncIterable<unknown>>;
        const it = bulk[m.method](...m.args)[Symbol.asyncIterator]();
        iterators.set(++next, it);
        return next;
      });
    case 'iterNext':
      return reply(m.id, async () => {
        const it = iterators.get(m.iter)!;
        const rows: unknown[] = [];
        // A batch a message: as a cursor reads.
        while (rows.length < 500) {
          const r = await it.next();
          if (r.done) return { rows, done: true };
          rows.push(r.value);
        }
        return { rows, done: false };
      });
    case 'iterClose':
      return reply(m.id, async () => {
        const it = iterators.get(m.iter);
        iterators.delete(m.iter);
        await it?.return?.();
      });
    case 'customFieldNames':
      return reply(m.id, () => must().bulk.customFieldNames(m.campaignId));
    case 'team':
      return reply(m.id, () => (must().team as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m.method](...m.args));
    case 'close':
      return reply(m.id, async () => {
        for (const stop of watches.values()) stop();
        watches.clear();
        await store?.close();
        store = undefined;
      });
  }
});

// The test process went away (or closed us): nothing here outlives it.
process.on('disconnect', () => process.exit(0));
