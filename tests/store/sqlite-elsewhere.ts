import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { StoreError, type BulkPort, type StorePort, type StoreReader, type StoreTx, type TeamPort } from '../../src/engine/store-port.js';
import type { WorldSeed } from '../../src/engine/world.js';
import type { Event, Reply, Request, SentError } from './sqlite-elsewhere-child.js';

/**
 * A SQLite state opened by another process: a StorePort whose connection lives in a child
 * process (tests/store/sqlite-elsewhere-child.ts), driven over IPC.
 *
 * Why: better-sqlite3 waits for another connection's write lock in SQLite's busy handler, which
 * blocks its thread. Two SqliteStores in one process deadlock as soon as one holds an open
 * asynchronous transaction (its body waits for the event loop) while the other waits for the lock
 * (blocking that loop) — which is why a desktop and a script are always two processes. Here the
 * caller's transaction body runs in the test process and each query it asks goes to the child,
 * so the test process never blocks; the child's thread does, as a script's would.
 *
 * The child is the store's source, bundled once per test process with esbuild (better-sqlite3 stays
 * the installed native module).
 */

const require = createRequire(import.meta.url);

let bundled: Promise<string> | undefined;

function childBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-sqlite-elsewhere-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'child.mjs');
    await build({
      entryPoints: [path.resolve('tests/store/sqlite-elsewhere-child.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      plugins: [
        {
          name: 'installed-better-sqlite3',
          setup(b) {
            b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: require.resolve('better-sqlite3'), external: true }));
          },
        },
      ],
    });
    return outfile;
  })();
  return bundled;
}

function received(e: SentError): Error {
  if (e.kind) return new StoreError(e.kind, e.message);
  return Object.assign(new Error(e.message), { name: e.name });
}

type Asked = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class ElsewhereStore implements StorePort {
  readonly persistent = true;
  readonly backend = 'sqlite' as const;
  readonly bulk: BulkPort;
  /** The team's lease and heartbeats, each call a message to the child. */
  readonly team = new Proxy({} as TeamPort, {
    get: (_t, method) => (typeof method !== 'string' || method === 'then' ? undefined : (...args: unknown[]) => this.ask({ op: 'team', method, args })),
  });
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly watchers = new Map<number, () => void>();
  private gone: Error | null = null;

  constructor(
    readonly location: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (m: Reply | Event) => {
      if ('event' in m) {
        this.watchers.get(m.wid)?.();
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(received(m.error));
    });
    child.on('exit', (code, signal) => {
      this.gone = new Error(`the process holding the SQLite connection to ${location} ended (${signal ?? `exit ${code}`})`);
      for (const p of this.pending.values()) p.reject(this.gone);
      this.pending.clear();
    });
    const iterate = <T>(method: 'listRecords' | 'exportCampaign', args: unknown[]): AsyncIterable<T> => {
      const ask = this.ask.bind(this);
      return {
        async *[Symbol.asyncIterator]() {
          const iter = (await ask({ op: 'iterOpen', method, args })) as number;
          try {
            for (;;) {
              const { rows, done } = (await ask({ op: 'iterNext', iter })) as { rows: T[]; done: boolean };
              yield* rows;
              if (done) return;
            }
          } finally {
            await ask({ op: 'iterClose', iter });
          }
        },
      };
    };
    this.bulk = {
      listRecords: (f) => iterate('listRecords', [f]),
      exportCampaign: (c) => iterate('exportCampaign', [c]),
      customFieldNames: async (c) => (await this.ask({ op: 'customFieldNames', campaignId: c })) as string[],
      // The bulk loaders and the world's copy are the commands' (a process of their own, on the
      // state itself), never a desktop's: not carried over to the child.
      exportRows: () => notOverTheWire('exportRows'),
      importRecords: () => notOverTheWire('importRecords'),
      findDamagedRow: () => notOverTheWire('findDamagedRow'),
      readWorld: () => notOverTheWire('readWorld'),
      listCalls: () => notOverTheWire('listCalls'),
    };
  }

  ask(r: Asked): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...r, id } as Request);
    });
  }

  /** The queries of an open transaction (or read), each one a message to the child. */
  private remote(txn: number, at: string[] = []): StoreTx {
    const ask = this.ask.bind(this);
    return new Proxy(() => {}, {
      get: (_t, key) => (typeof key !== 'string' || key === 'then' ? undefined : this.remote(txn, [...at, key])),
      apply: (_t, _this, args: unknown[]) => ask({ op: 'call', txn, path: at, args }),
    }) as unknown as StoreTx;
  }

  private async run<T>(op: 'begin' | 'beginRead', fn: (q: StoreTx) => Promise<T>): Promise<T> {
    const txn = (await this.ask({ op })) as number;
    let out: T;
    try {
      out = await fn(this.remote(txn));
    } catch (e) {
      // Rolled back there; the caller's own error comes back as it was thrown.
      await this.ask({ op: 'end', txn, ok: false }).catch(() => {});
      throw e;
    }
    await this.ask({ op: 'end', txn, ok: true });
    return out;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.run('begin', fn);
  }

  read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T> {
    return this.run('beginRead', fn);
  }

  async revision(): Promise<number> {
    return (await this.ask({ op: 'revision' })) as number;
  }

  private nextWatch = 0;

  watch(fn: () => void): () => void {
    const wid = ++this.nextWatch;
    this.watchers.set(wid, fn);
    void this.ask({ op: 'watch', wid });
    return () => {
      this.watchers.delete(wid);
      void this.ask({ op: 'unwatch', wid }).catch(() => {});
    };
  }

  setBusyTimeout(ms: number): void {
    // Messages are read in order: the next transaction waits this long.
    void this.ask({ op: 'setBusyTimeout', ms });
  }

  async acquireDesktopLock(pid: number): Promise<void> {
    await this.ask({ op: 'acquireDesktopLock', pid });
  }

  async releaseDesktopLock(pid: number): Promise<void> {
    await this.ask({ op: 'releaseDesktopLock', pid });
  }

  async close(): Promise<void> {
    if (this.gone) return;
    await this.ask({ op: 'close' }).catch(() => {});
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}

/**
 * Opens `file` in a new process. `seed` is the world a new file gets (the other process cannot
 * call the caller's function); null when the file must hold a state already.
 */
export async function openSqliteElsewhere(file: string, seed: WorldSeed | null): Promise<{ store: StorePort; created: boolean }> {
  const child = fork(await childBundle(), [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const store = new ElsewhereStore(file, child);
  try {
    const { created } = (await store.ask({ op: 'open', file, seed })) as { created: boolean };
    return { store, created };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

function notOverTheWire(what: string): never {
  throw new Error(`${what} is not carried to the store in the child process`);
}
