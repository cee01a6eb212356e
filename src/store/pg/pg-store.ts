// Long on purpose: one backend's connections, transactions, locks and notifications in one class,
// the way they depend on each other.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg, { type PoolClient, type PoolConfig } from 'pg';
import type { Interaction } from '../../engine/domain.js';
import type { WorldMeta, WorldSeed } from '../../engine/world.js';
import { StoreError, type BulkPort, type CatchUp, type Changes, type ConfigKind, type HostClock, type StorePort, type StoreReader, type StoreTx, type TransactionHint } from '../../engine/store-port.js';
import { resolveConnection, redactUrl } from './connection.js';
import { HOST_FENCED, isConnectionFailure, neverSent, toStoreError } from './errors.js';
import { prepareDatabase } from './migrate.js';
import { PgCallLog, PgCallingList, PgConn, PgContacts, PgGenesysCallbacks, PgInteractions, PgMessages, REVISION_NOW, inlined, interactionAtCommit, type TableMode } from './tables.js';
import { PgBulk } from './pg-bulk.js';
import { PgTeam } from './team.js';

/** The shortest wait for another writer's lock but none at all (see setBusyTimeout). */
const MIN_BUSY_MS = 5_000;

/**
 * Notifications are passed on at most this often (the first at once after a quiet spell): a
 * team's commits come tens a second, and each call makes every watcher read what changed.
 */
const NOTIFY_EVERY_MS = 200;

/** The channel every commit that bumped the revision notifies, with the revision as payload. */
export const CHANNEL = 'callback_desk';

/** BIGINT columns (epoch ms, ids, revisions, counts) as numbers: all stay far below 2^53. */
export const TYPES = new pg.TypeOverrides();
TYPES.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** A lost connection is tried again this many times, after these pauses (a server restart takes about a second). */
const RETRY_PAUSES_MS = [100, 300, 900];

/** The desktop lock's key: one lock per schema of a database (a session-level advisory lock). */
const DESKTOP_LOCK_KEY = "hashtextextended('callback-desk desktop ' || current_schema(), 0)";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface OpenedPgStore {
  store: PgStore;
  created: boolean;
}

/**
 * The server store: a PostgreSQL database, through a small pool of node-postgres connections.
 *
 * A team's writers run side by side; only their last round trip is one at a time. A write
 * transaction begins without a lock (READ COMMITTED), catches up, and runs the command: the rows
 * of the store it reads to change (records, bookings, call-log rows, messages; a contact read
 * with getToChange) are locked as they are read (`FOR UPDATE`; the next record to dial
 * `SKIP LOCKED`, so agents asking at once each get another). What the engine keeps in memory (agents, campaigns, services,
 * interactions) is written in the commit's round trip, after the revision row's lock: there each
 * row written is checked against the revision the transaction caught up to, and one that another
 * process wrote since fails the commit with SQLSTATE 40001 (StoreError 'conflict': the engine
 * runs the command again); a host's commit also checks the lease's epoch. The revision row's
 * lock is held from that statement to COMMIT, in one round trip of the server's own work, so
 * revisions follow commit order and "changed since revision N" misses nothing. A commit that
 * bumped the revision sends one NOTIFY carrying it; other processes' desktops LISTEN and re-read.
 *
 * Measured before this (every writer locked the revision row at BEGIN and held it for the whole
 * command): 50 agents on 2 cores kept the lock busy more than half the time, and a command
 * waited seconds (README, Benchmarks).
 */
export class PgStore implements StorePort {
  readonly persistent = true;
  readonly backend = 'postgres' as const;
  readonly bulk: BulkPort;
  readonly team: PgTeam;
  private busyMs = 10_000;
  /** Backend pids of this store's pooled connections: their notifications are our own commits. */
  private readonly ownPids = new Set<number>();
  private listener: Listener | null = null;
  private lock: pg.Client | null = null;
  private closed = false;
  /** Each campaign's zones as this process last read them, for choosing the next record (TableMode.zones). */
  private readonly zones = new Map<string, readonly string[]>();

  private constructor(
    readonly location: string,
    private readonly config: PoolConfig,
    private readonly pool: pg.Pool,
    first: PoolClient,
  ) {
    const joined = (client: PoolClient) => {
      const pid = processId(client);
      if (pid) this.ownPids.add(pid);
      // A connection lost while checked out (the server restarted mid-transaction) fails the
      // query in progress, or the next one; the event itself must not end the process.
      client.on('error', () => {});
    };
    // The connection open() made before the pool's events were heard.
    joined(first);
    pool.on('connect', joined);
    pool.on('remove', (client) => {
      const pid = processId(client);
      if (pid) this.ownPids.delete(pid);
    });
    // An idle connection the server closed (a restart): the pool drops it; the next use connects afresh.
    pool.on('error', () => {});
    this.bulk = new PgBulk(this);
    this.team = new PgTeam({
      location,
      newClient: (name) => new pg.Client({ ...config, types: TYPES, application_name: name }),
      inWriteTx: (fn) => this.transaction((tx) => fn((text, params) => (tx as PgTx).sql(text, params))),
      query: (text, params) => this.withClient(async (client) => (await client.query(text, params)).rows),
    });
  }

  /**
   * Opens the database at `url` (the libpq environment and ~/.pgpass fill in what it leaves
   * out). An empty database gets the schema and the world `create()` makes, in one transaction;
   * a callback-desk database the migrations it lacks; anything else is refused untouched.
   */
  static async open(url: string, create: () => WorldSeed): Promise<OpenedPgStore> {
    const location = redactUrl(url);
    let resolved: ReturnType<typeof resolveConnection>;
    try {
      resolved = resolveConnection(url);
    } catch (e) {
      throw new StoreError('connection', `cannot connect to ${location}: ${(e as Error).message}`, { cause: e });
    }
    let config = resolved.config;
    let pool = newPool(config);
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      await pool.end().catch(() => {});
      // sslmode=prefer: encrypted when the server offers it, else plain (libpq's default).
      if (!(resolved.plain && /does not support SSL/i.test((e as Error).message))) throw toStoreError(e, location);
      config = resolved.plain;
      pool = newPool(config);
      try {
        client = await pool.connect();
      } catch (e2) {
        await pool.end().catch(() => {});
        throw toStoreError(e2, location);
      }
    }
    const store = new PgStore(location, config, pool, client);
    try {
      await client.query('BEGIN');
      const { created } = await prepareDatabase(new PgConn(client, () => {}), location, create);
      await client.query('COMMIT');
      client.release();
      return { store, created };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      await store.close();
      throw toStoreError(e, location);
    }
  }

  /** How long a writer waits for another's lock: a row it reads to change, or the revision at COMMIT (see setBusyTimeout). */
  get busyTimeoutMs(): number {
    return this.busyMs;
  }

  /** A pooled connection held by the caller until it releases it (an import's COPY and transaction). */
  async connection(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw toStoreError(e, this.location);
    }
  }

  /**
   * How long a writer waits for another writer's lock: a row both change, the revision row at
   * COMMIT (an import holds it for its length). A wait here does not block the thread
   * (the screen keeps answering), and the server hands the lock to its waiters in turn: a short
   * wait (the desktop's 150 ms, chosen for SQLite, whose wait freezes the process) only sent a
   * writer to the back of the queue to ask again, behind everyone who came meanwhile (50 agents:
   * 3,000 retries in 30 s, commands waiting seconds). So a wait is at least MIN_BUSY_MS; 0 still
   * means not at all.
   */
  setBusyTimeout(ms: number): void {
    const wait = Math.max(0, Math.floor(ms));
    this.busyMs = wait === 0 ? 0 : Math.max(wait, MIN_BUSY_MS);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>, hint?: TransactionHint): Promise<T> {
    const { client, revision, prefetched } = await this.begin(hint);
    let over = false;
    const conn = new PgConn(client, () => {
      if (over) throw new Error('the store transaction is over: a query ran after it committed or rolled back');
    });
    const tx = new PgTx(conn, this.location, revision, prefetched, (kind, initial) => this.allocateId(kind, initial), this.zones);
    let committing = false;
    try {
      const out = await fn(tx);
      // One round trip: the rows of the store still waiting (PgConn.write) first, before the
      // revision row is locked (they may wait for another writer's row lock, and must not while
      // this one holds the revision row: that writer needs it to commit); then the revision,
      // the check of what this transaction wrote of the engine's memory, those rows, the
      // world's meta and clock, and COMMIT: the revision row is locked for the server's own
      // work on them, not for a round trip of ours.
      await conn.drained();
      committing = true;
      // A commit that took a revision announces it in the same round trip, after COMMIT (ANNOUNCE).
      const results = await client.query(conn.takeWrites() + [...tx.commitStatements(), 'COMMIT;\n', ...(tx.bumped ? [ANNOUNCE] : [])].join(''));
      over = true;
      if (tx.bumped) tx.settle(newRevisionOf(results));
      client.release();
      return out;
    } catch (e) {
      over = true;
      const lost = isConnectionFailure(e);
      if (!lost) await client.query('ROLLBACK').catch(() => {});
      client.release(lost ? true : undefined);
      if (lost && committing && !neverSent(e)) {
        // COMMIT was sent: whether the server got it before the connection went is unknown.
        throw new StoreError('connection', `the connection to PostgreSQL at ${this.location} was lost while committing (${(e as Error).message}); the change was saved whole or not at all`, { cause: e });
      }
      await this.giveBack(tx.allocated);
      throw toStoreError(e, this.location);
    }
  }

  /**
   * The next id of a kind, on a connection of its own outside the transaction: the counter's
   * row is locked for that one statement, not until the caller's COMMIT, so writers that each
   * create an interaction do not queue behind one another (or wait for each other in a cycle).
   * Its commit does not wait for the disk (synchronous_commit off; a flush cost half the
   * round trip): whatever uses the id commits later, and its flush carries the counter's change
   * with it (the log is written in order), so an id is never lost once it is used.
   */
  private async allocateId(kind: string, initial: number): Promise<number> {
    if (!Number.isSafeInteger(initial)) throw new Error(`allocateId: ${initial} is not an id`);
    return this.withClient(async (client) => {
      const results = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off;
         INSERT INTO counter AS k (kind, next) VALUES (${client.escapeLiteral(kind)}, ${initial} + 1) ON CONFLICT (kind) DO UPDATE SET next = k.next + 1 RETURNING next - 1 AS id;
         COMMIT`,
      )) as unknown as pg.QueryResult<{ id: number }>[];
      return results[2].rows[0].id;
    });
  }

  /**
   * Ids a rolled-back transaction allocated, given back while nobody took one after them (the
   * last first): one process alone then numbers exactly as SQLite, whose counter rolls back with
   * the transaction. An id another process took after them stays a gap, as a sequence's would.
   */
  private async giveBack(allocated: readonly { kind: string; id: number }[]): Promise<void> {
    if (allocated.length === 0) return;
    await this.withClient(async (client) => {
      for (const { kind, id } of [...allocated].reverse()) {
        await client.query('UPDATE counter SET next = $2 WHERE kind = $1 AND next = $2::bigint + 1', [kind, id]);
      }
    }).catch(() => {});
  }

  /**
   * A pooled connection in a transaction, with the revision and what the caller will ask first
   * (see TransactionHint) read in the same round trip. No lock is taken: the revision row's is
   * taken at COMMIT (see transaction). A connection lost before anything ran is replaced and
   * the transaction begun again: nothing of the caller's had run.
   */
  private async begin(hint: TransactionHint = {}): Promise<{ client: PoolClient; revision: number; prefetched: Prefetched }> {
    const since = hint.catchUpSince !== undefined && Number.isSafeInteger(hint.catchUpSince) ? hint.catchUpSince : undefined;
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient | undefined;
      try {
        client = await this.pool.connect();
        // One round trip: a wait for another writer's lock (a row, or the revision at COMMIT) is
        // lock_timeout long at most (0: hardly at all); the revision first, then what the caller
        // will ask first. Each statement of a simple query sees what was committed before it,
        // so the rows are those up to the revision at least: rows of a later commit read again
        // at the next catch-up are the same rows.
        const wait = `SET LOCAL lock_timeout = ${this.busyMs > 0 ? this.busyMs : 1}; `;
        // A connection's first transaction makes its commit check first, in a round trip of its
        // own: in the one with BEGIN it became part of the transaction, and went with its rollback.
        if (!withFunctions.has(client)) {
          await client.query(SESSION_FUNCTIONS);
          withFunctions.add(client);
        }
        const lock = `BEGIN; ${wait}SELECT value FROM meta WHERE key = 'revision'`;
        const asks = [lock, ...(since === undefined ? [] : [changesSql(since)]), ...(hint.hostEpoch ? [HOST_EPOCH_SQL] : [])];
        const results = (await client.query(asks.join('; '))) as unknown as pg.QueryResult[];
        const at = results.length - 1 - (since === undefined ? 0 : 3) - (hint.hostEpoch ? 1 : 0);
        const row = results[at].rows[0] as { value: string } | undefined;
        if (!row) {
          await client.query('ROLLBACK');
          client.release();
          throw new StoreError('damaged', `${this.location} has no revision row (an incomplete database?); nothing was written`);
        }
        const revision = Number(row.value);
        const prefetched: Prefetched = {};
        if (since !== undefined) prefetched.caughtUp = { since, got: caughtUpFrom(revision, since, results.slice(at + 1, at + 4)) };
        if (hint.hostEpoch) prefetched.hostEpoch = epochOf(results[results.length - 1]);
        return { client, revision, prefetched };
      } catch (e) {
        const lost = isConnectionFailure(e);
        if (client && !(e instanceof StoreError)) {
          if (!lost) await client.query('ROLLBACK').catch(() => {});
          client.release(lost ? true : undefined);
        }
        if (lost && attempt < RETRY_PAUSES_MS.length && !this.closed) {
          await sleep(RETRY_PAUSES_MS[attempt]);
          continue;
        }
        throw toStoreError(e, this.location);
      }
    }
  }

  async read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      let over = false;
      try {
        return await fn(
          new PgReader(
            new PgConn(client, () => {
              if (over) throw new Error('the store read is over: a query ran after it ended');
            }),
            this.location,
            { locking: false, zones: this.zones, contactsRead: new Map() },
          ),
        );
      } finally {
        over = true;
      }
    });
  }

  /**
   * Runs fn on a pooled connection outside a transaction. Queries only, so a connection lost
   * on the way is replaced and fn run again.
   */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient | undefined;
      try {
        client = await this.pool.connect();
        const out = await fn(client);
        client.release();
        return out;
      } catch (e) {
        const lost = isConnectionFailure(e);
        client?.release(lost ? true : undefined);
        if (lost && attempt < RETRY_PAUSES_MS.length && !this.closed) {
          await sleep(RETRY_PAUSES_MS[attempt]);
          continue;
        }
        throw toStoreError(e, this.location);
      }
    }
  }

  async revision(): Promise<number> {
    return this.read((q) => q.revision());
  }

  /**
   * Calls fn on every commit of another process (a NOTIFY on its own connection), and once each
   * time that connection is made, first or again after a loss (with a growing pause between
   * tries): notifications sent while it was not listening are gone, so the caller re-reads.
   */
  watch(fn: () => void): () => void {
    this.listener ??= new Listener(this.config, this.ownPids);
    const listener = this.listener;
    listener.add(fn);
    return () => {
      listener.remove(fn);
      if (listener.idle && this.listener === listener) {
        this.listener = null;
        listener.stop();
      }
    };
  }

  /**
   * One desktop per database: a session-level advisory lock on a connection of its own, so a
   * desktop that dies (even killed) lets go at once. The connection is named for the process
   * holding it, which is how a second desktop learns who has it.
   */
  async acquireDesktopLock(pid: number): Promise<void> {
    if (this.lock) return;
    const client = new pg.Client({ ...this.config, types: TYPES, application_name: `callback-desk desktop pid ${pid} on ${os.hostname()}` });
    client.on('error', () => {});
    // A lock connection that ends (the server restarted) holds nothing any more: asking again
    // tries to take the lock again rather than trusting a dead session.
    client.on('end', () => {
      if (this.lock === client) this.lock = null;
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${DESKTOP_LOCK_KEY}) AS ok`);
      if (rows[0].ok) {
        this.lock = client;
        return;
      }
      const holder = await client.query<{ application_name: string }>(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = ((${DESKTOP_LOCK_KEY} >> 32) & 4294967295)::oid AND l.objid = (${DESKTOP_LOCK_KEY} & 4294967295)::oid AND l.objsubid = 1`,
      );
      const who = /^callback-desk desktop (.+)$/.exec(holder.rows[0]?.application_name ?? '')?.[1];
      throw new StoreError('busy', `${this.location} is open in another callback-desk desktop${who ? ` (${who})` : ''}; quit it or use --state for another database`);
    } catch (e) {
      await client.end().catch(() => {});
      throw toStoreError(e, this.location);
    }
  }

  async releaseDesktopLock(_pid: number): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    if (!lock) return;
    // Ending the session lets go of its advisory locks.
    await lock.end().catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.team.close();
    this.listener?.stop();
    this.listener = null;
    await this.releaseDesktopLock(0);
    await this.pool.end().catch(() => {});
  }

  /** Rows streamed through a cursor on a connection of their own, a batch at a time. */
  stream<T>(sql: string, params: unknown[], map: (row: Record<string, unknown>) => T): AsyncGenerator<T> {
    return this.streamRows(sql, params, 'object', (row) => map(row as Record<string, unknown>));
  }

  /** As stream, each row an array of its columns' values in the query's order. */
  streamArrays(sql: string, params: unknown[]): AsyncGenerator<unknown[]> {
    return this.streamRows(sql, params, 'array', (row) => row as unknown[]);
  }

  /**
   * The cursor behind stream and streamArrays. Its query is planned as a cursor's (PostgreSQL
   * favours a plan that gives the first rows at once: `records list | head -2` does not wait for
   * a sort of the whole table), in a read-only transaction of its own, so what it streams is one
   * snapshot however long the reader takes.
   */
  private async *streamRows<T>(sql: string, params: unknown[], rowMode: 'array' | 'object', map: (row: unknown) => T): AsyncGenerator<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw toStoreError(e, this.location);
    }
    let failed: unknown;
    let open = false;
    try {
      try {
        await client.query('BEGIN READ ONLY');
        open = true;
        await client.query({ text: `DECLARE cbd_stream NO SCROLL CURSOR FOR ${sql}`, values: params });
      } catch (e) {
        failed = e;
        throw toStoreError(e, this.location);
      }
      for (;;) {
        let rows: unknown[];
        try {
          rows = (await client.query({ text: `FETCH ${STREAM_BATCH} FROM cbd_stream`, rowMode: rowMode === 'array' ? 'array' : undefined, types: TYPES } as pg.QueryConfig)).rows;
        } catch (e) {
          failed = e;
          throw toStoreError(e, this.location);
        }
        if (rows.length === 0) return;
        for (const r of rows) yield map(r);
      }
    } finally {
      const lost = failed !== undefined && isConnectionFailure(failed);
      if (open && !lost) await client.query('ROLLBACK').catch(() => {});
      client.release(lost ? true : undefined);
    }
  }
}

/**
 * The statements of catchUp after the revision: rows changed after `since`, the host's clock.
 * Simple-query text, so `since` is checked to be an integer by the callers.
 */
function changesSql(since: number): string {
  return `SELECT kind, id, body FROM entity WHERE rev > ${since} ORDER BY rev, rowid; SELECT body FROM interaction WHERE rev > ${since} ORDER BY rev, id; SELECT value FROM meta WHERE key = 'clock'`;
}

/** What begin reads with the lock, as its hint asked (see TransactionHint). */
interface Prefetched {
  caughtUp?: { since: number; got: CatchUp };
  hostEpoch?: number | null;
}

const HOST_EPOCH_SQL = 'SELECT epoch FROM host_lease WHERE id = 1';

function epochOf(r: pg.QueryResult): number | null {
  const row = r.rows[0] as { epoch: string | number } | undefined;
  return row ? Number(row.epoch) : null;
}

function caughtUpFrom(revision: number, since: number, [entities, interactions, clock]: pg.QueryResult[]): CatchUp {
  const c = clock.rows[0] as { value: string } | undefined;
  return {
    revision,
    changes:
      revision === since
        ? null
        : {
            entities: (entities.rows as { kind: ConfigKind; id: string; body: string }[]).map((r) => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body) as unknown })),
            interactions: (interactions.rows as { body: string }[]).map((r) => JSON.parse(r.body) as Interaction),
          },
    clock: c ? (JSON.parse(c.value) as HostClock) : null,
  };
}

/** Rows a stream fetches at a time: few enough to keep memory flat, enough to keep round trips rare. */
const STREAM_BATCH = 1000;

/**
 * One connection of its own to the database at `url` (the import's COPY, `state copy`'s writes),
 * with libpq's sslmode=prefer as the pool has it: encrypted when the server offers it, else plain.
 */
export async function connectOne(url: string): Promise<{ client: pg.Client; location: string }> {
  const location = redactUrl(url);
  let resolved: ReturnType<typeof resolveConnection>;
  try {
    resolved = resolveConnection(url);
  } catch (e) {
    throw new StoreError('connection', `cannot connect to ${location}: ${(e as Error).message}`, { cause: e });
  }
  const attempt = async (config: PoolConfig) => {
    const client = new pg.Client({ ...config, types: TYPES });
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
  };
  try {
    return { client: await attempt(resolved.config), location };
  } catch (e) {
    if (!(resolved.plain && /does not support SSL/i.test((e as Error).message))) throw toStoreError(e, location);
    try {
      return { client: await attempt(resolved.plain), location };
    } catch (e2) {
      throw toStoreError(e2, location);
    }
  }
}

function newPool(config: PoolConfig): pg.Pool {
  // A desktop holds one connection for its transactions, one for a read, one streaming an
  // export; LISTEN and the desktop lock have their own. An unreachable host fails in 10 s.
  return new pg.Pool({ ...config, types: TYPES, max: 6, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
}

function processId(client: unknown): number | undefined {
  return (client as { processID?: number }).processID;
}

class PgReader implements StoreReader {
  readonly records: PgCallingList;
  readonly contacts: PgContacts;
  readonly interactions: PgInteractions;
  readonly messages: PgMessages;
  readonly gcallbacks: PgGenesysCallbacks;
  readonly calls: PgCallLog;

  constructor(
    protected readonly c: PgConn,
    private readonly location: string,
    mode: TableMode = { locking: false },
  ) {
    this.records = new PgCallingList(c, mode);
    this.contacts = new PgContacts(c, mode);
    this.interactions = new PgInteractions(c, mode);
    this.messages = new PgMessages(c, mode);
    this.gcallbacks = new PgGenesysCallbacks(c, mode);
    this.calls = new PgCallLog(c, mode);
  }

  async revision(): Promise<number> {
    const r = await this.c.first<{ value: string }>({ name: 'cbd_revision', text: "SELECT value FROM meta WHERE key = 'revision'" });
    return Number(r?.value ?? 0);
  }

  async clock(): Promise<HostClock | null> {
    const r = await this.c.first<{ value: string }>({ name: 'cbd_meta_get', text: 'SELECT value FROM meta WHERE key = $1' }, ['clock']);
    return r ? (JSON.parse(r.value) as HostClock) : null;
  }

  async loadMeta(): Promise<WorldMeta> {
    const r = await this.c.first<{ value: string }>({ name: 'cbd_meta_get', text: 'SELECT value FROM meta WHERE key = $1' }, ['world']);
    if (!r) throw new StoreError('damaged', `${this.location} has no world (an incomplete database?)`);
    try {
      return JSON.parse(r.value) as WorldMeta;
    } catch (e) {
      throw new StoreError('damaged', `${this.location} is damaged (its world cannot be read: ${(e as Error).message}); it was left untouched`);
    }
  }

  async loadEntities(kind: ConfigKind): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const r of await this.c.rows<{ id: string; body: string }>({ name: 'cbd_entities', text: 'SELECT id, body FROM entity WHERE kind = $1 ORDER BY rowid' }, [kind])) {
      out[r.id] = JSON.parse(r.body);
    }
    return out;
  }

  async catchUp(since: number): Promise<CatchUp> {
    if (!Number.isSafeInteger(since)) throw new Error(`catchUp: ${since} is not a revision`);
    const results = await this.c.multi(`SELECT value FROM meta WHERE key = 'revision'; ${changesSql(since)}`);
    return caughtUpFrom(Number((results[0].rows[0] as { value: string } | undefined)?.value ?? 0), since, results.slice(1));
  }

  async changedSince(rev: number): Promise<Changes> {
    const entities = (
      await this.c.rows<{ kind: ConfigKind; id: string; body: string }>({ name: 'cbd_changed_entities', text: 'SELECT kind, id, body FROM entity WHERE rev > $1 ORDER BY rev, rowid' }, [rev])
    ).map((r) => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body) as unknown }));
    const interactions = (await this.c.rows<{ body: string }>({ name: 'cbd_changed_interactions', text: 'SELECT body FROM interaction WHERE rev > $1 ORDER BY rev, id' }, [rev])).map(
      (r) => JSON.parse(r.body) as Interaction,
    );
    return { entities, interactions };
  }
}

class PgTx extends PgReader implements StoreTx {
  /** The revision as this transaction leaves it (its own, provisional until COMMIT: see settle). */
  current: number;
  bumped = false;
  /** The revision this transaction caught up to at BEGIN: what it writes is checked against it. */
  private readonly caughtUpTo: number;
  seenThrough?: number;
  /** Ids this transaction took from the counters, to give back if it rolls back (PgStore.giveBack). */
  readonly allocated: { kind: string; id: number }[] = [];
  /** The engine's rows (entities, interactions) this transaction writes, as statements for COMMIT. */
  private readonly memoryWrites: string[] = [];
  private readonly writtenEntities: [string, string][] = [];
  private readonly writtenInteractions: string[] = [];
  /** The lease's epoch the host's fence read: COMMIT checks it is still that (undefined: no fence). */
  private fenceEpoch: number | null | undefined;

  constructor(
    c: PgConn,
    location: string,
    revision: number,
    private prefetched: Prefetched,
    private readonly allocate: (kind: string, initial: number) => Promise<number>,
    zones: Map<string, readonly string[]>,
  ) {
    super(c, location, {
      locking: true,
      zones,
      contactsRead: new Map(),
      putInteraction: (it) => {
        this.writtenInteractions.push(it.id);
        this.memoryWrites.push(interactionAtCommit(c.client, it));
      },
    });
    this.current = revision;
    this.caughtUpTo = revision;
  }

  /** The meta rows saveMeta and saveClock leave for COMMIT to write (see PgStore.transaction). */
  readonly metaToWrite = new Map<'world' | 'clock', string>();

  override async catchUp(since: number): Promise<CatchUp> {
    // Answered with BEGIN (see begin), once: later asks see this transaction's own writes.
    const got = this.prefetched.caughtUp;
    this.prefetched.caughtUp = undefined;
    if (got && got.since === since && !this.bumped) return got.got;
    return { revision: this.current, changes: since === this.current ? null : await this.changedSince(since), clock: await this.clock() };
  }

  override async revision(): Promise<number> {
    return this.current;
  }

  async bumpRevision(): Promise<number> {
    // The revision is taken at COMMIT, under the revision row's lock (commitStatements); this
    // number is the one it will be if nobody commits first (settle says which it was).
    const rev = this.current + 1;
    this.current = rev;
    this.bumped = true;
    return rev;
  }

  /** The transaction committed with revision `rev` (see StoreTx.seenThrough). */
  settle(rev: number): void {
    this.seenThrough = rev === this.current ? rev : this.caughtUpTo;
    this.current = rev;
  }

  async saveMeta(meta: WorldMeta): Promise<void> {
    this.metaToWrite.set('world', JSON.stringify(meta));
  }

  override async loadMeta(): Promise<WorldMeta> {
    const mine = this.metaToWrite.get('world');
    return mine === undefined ? super.loadMeta() : (JSON.parse(mine) as WorldMeta);
  }

  override async clock(): Promise<HostClock | null> {
    const mine = this.metaToWrite.get('clock');
    return mine === undefined ? super.clock() : (JSON.parse(mine) as HostClock);
  }

  async putEntity(kind: ConfigKind, id: string, body: unknown, _rev: number): Promise<void> {
    this.writtenEntities.push([kind, id]);
    const client = this.c.client;
    if (body === null || body === undefined) {
      this.memoryWrites.push(inlined(client, 'DELETE FROM entity WHERE kind = $1 AND id = $2', [kind, id])!);
      return;
    }
    // A new row takes the rowid after the largest (SQLite's), an update keeps its own: written
    // under the revision row's lock, so two new rows never take the same.
    this.memoryWrites.push(
      inlined(
        client,
        `INSERT INTO entity AS e (kind, id, body, rev, rowid) VALUES ($1, $2, $3, ${REVISION_NOW}, (SELECT coalesce(max(rowid), 0) + 1 FROM entity))
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, rev = excluded.rev`,
        [kind, id, JSON.stringify(body)],
      )!,
    );
  }

  async saveClock(clock: HostClock): Promise<void> {
    this.metaToWrite.set('clock', JSON.stringify(clock));
  }

  async hostEpoch(): Promise<number | null> {
    const epoch = 'hostEpoch' in this.prefetched ? (this.prefetched.hostEpoch ?? null) : epochOf(await this.c.multi(HOST_EPOCH_SQL).then((r) => r[0]));
    // Read without a lock: COMMIT checks it is still this (commitStatements).
    this.fenceEpoch = epoch;
    return epoch;
  }

  /**
   * The statements of COMMIT's round trip before COMMIT itself: the revision (its row locked
   * from here to COMMIT), the check of what this transaction wrote of the engine's memory and
   * of the host's lease, those rows, and the world's meta. Nothing when nothing of that changed.
   */
  commitStatements(): string[] {
    const client = this.c.client;
    const out: string[] = [];
    // Each bumpRevision is one revision more, as on SQLite.
    // The revision taken is kept in the session too, for ANNOUNCE after COMMIT.
    if (this.bumped)
      out.push(
        `UPDATE meta SET value = (value::bigint + ${this.current - this.caughtUpTo})::text WHERE key = 'revision' RETURNING value AS cbd_revision, set_config('callback_desk.revision', value, false);\n`,
      );
    else if (this.fenceEpoch !== undefined || this.metaToWrite.size > 0) out.push("SELECT value FROM meta WHERE key = 'revision' FOR UPDATE;\n");
    const check = { r: this.caughtUpTo, e: this.writtenEntities, i: this.writtenInteractions, ...(this.fenceEpoch !== undefined ? { epoch: this.fenceEpoch } : {}) };
    if (check.e.length > 0 || check.i.length > 0 || 'epoch' in check) {
      // The ids go in as one literal (SESSION_FUNCTIONS).
      out.push(`SELECT pg_temp.callback_desk_commit_check(${client.escapeLiteral(JSON.stringify(check))}::jsonb);\n`);
    }
    out.push(...this.memoryWrites.map((w) => `${w};\n`));
    for (const [key, value] of this.metaToWrite) {
      out.push(`INSERT INTO meta (key, value) VALUES ('${key}', ${client.escapeLiteral(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n`);
    }
    return out;
  }

  /** Plain SQL in this transaction (the team's lease). */
  sql<R extends Record<string, unknown>>(text: string, params: unknown[]): Promise<R[]> {
    return this.c.rows<R>(text, params);
  }

  async allocateId(kind: string, initial: number): Promise<number> {
    const id = await this.allocate(kind, initial);
    this.allocated.push({ kind, id });
    return id;
  }
}

/**
 * The functions each connection makes for itself before its first transaction (see begin).
 *
 * The check at every COMMIT that writes the engine's rows (PgTx.commitStatements), under the
 * revision row's lock: none of the agents, campaigns, services (`e`, kind and id) or
 * interactions (`i`) the transaction writes was written by another process after the revision
 * it caught up to (`r`), else 40001 (the engine runs the command again on the newer rows); and a
 * host's lease still has the epoch its fence read (`epoch`, when given), else HOST_FENCED.
 *
 * A function of each connection's own (pg_temp): the session keeps its plans, where a DO block
 * was compiled at every commit (3 ms of the revision row's lock at the median under a team's
 * load); and being no part of the schema, the database's migrations and state schema stay
 * those SQLite has. The other function is ANNOUNCE's.
 */
const SESSION_FUNCTIONS = `CREATE FUNCTION pg_temp.callback_desk_commit_check(c jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  since bigint := (c->>'r')::bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(c->'e') w JOIN entity e ON e.kind = w->>0 AND e.id = w->>1 WHERE e.rev > since)
     OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(c->'i') w JOIN interaction i ON i.id = w WHERE i.rev > since) THEN
    RAISE EXCEPTION 'another process changed what this transaction changes' USING ERRCODE = '40001';
  END IF;
  IF c ? 'epoch' AND (SELECT epoch FROM host_lease WHERE id = 1) IS DISTINCT FROM (c->>'epoch')::bigint THEN
    RAISE EXCEPTION 'another process took over as host' USING ERRCODE = '${HOST_FENCED}';
  END IF;
END
$fn$;
CREATE FUNCTION pg_temp.callback_desk_announce() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('${CHANNEL}', current_setting('callback_desk.revision'));
EXCEPTION WHEN OTHERS THEN
  NULL;
END
$fn$`;

/**
 * Tells the other processes' desktops that a revision was committed: a NOTIFY of its own, after
 * COMMIT, carrying the revision the commit took (kept in the session by commitStatements), in
 * COMMIT's round trip. Sent inside the transaction, it made COMMIT signal every listening
 * connection while the revision lock was still held (PostgreSQL signals them at commit, one at
 * a time, under a lock of its own): measured here with 50 desktops listening, a COMMIT took
 * 2.8 ms with it and 0.3 ms without, and every writer waited that much longer. If it fails, the
 * change is saved all the same and only the announcement is lost (the function swallows the
 * error, so the caller hears of its commit): the next commit's is heard, and each listener
 * re-reads everything since its own revision; so is a notification lost with a connection
 * that drops right after COMMIT, and the poll after a reconnect makes up for both. One failure
 * comes after the function, at its own statement's commit: a notification queue full (8 GB
 * that a listener stuck in a transaction has not read); the command is then reported failed
 * though saved, and the engine takes the change in at its next catch-up.
 */
const ANNOUNCE = 'SELECT pg_temp.callback_desk_announce();\n';

/** Connections that have their SESSION_FUNCTIONS (a connection lost is a new object: it makes its own). */
const withFunctions = new WeakSet<object>();

/** The revision a commit's round trip took (its UPDATE ... RETURNING). */
function newRevisionOf(results: unknown): number {
  const all = (Array.isArray(results) ? results : [results]) as pg.QueryResult[];
  for (const r of all) {
    const row = r.rows?.[0] as { cbd_revision?: string } | undefined;
    if (row && row.cbd_revision !== undefined) return Number(row.cbd_revision);
  }
  throw new Error('the commit did not return the revision it took');
}

/**
 * The LISTEN connection shared by a store's watchers. Notifications from the store's own
 * pooled connections are its own commits and are not passed on.
 */
class Listener {
  private readonly fns = new Set<() => void>();
  private client: pg.Client | null = null;
  private stopped = false;
  private pauseMs = 100;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: PoolConfig,
    private readonly ownPids: ReadonlySet<number>,
  ) {
    void this.connect();
  }

  get idle(): boolean {
    return this.fns.size === 0;
  }

  add(fn: () => void): void {
    this.fns.add(fn);
    // Already listening: this watcher's first call is now (the others had theirs when the
    // connection was made); until then, the connection's first call is its first too.
    if (this.client) {
      setImmediate(() => {
        if (this.fns.has(fn) && !this.stopped) this.call(fn);
      });
    }
  }

  remove(fn: () => void): void {
    this.fns.delete(fn);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.due) clearTimeout(this.due);
    const c = this.client;
    this.client = null;
    void c?.end().catch(() => {});
  }

  private fire(): void {
    this.firedAt = performance.now();
    for (const fn of [...this.fns]) this.call(fn);
  }

  /** When the watchers were last called (performance.now). */
  private firedAt = -Infinity;
  /** A call of the watchers is due (see notified). */
  private due: NodeJS.Timeout | null = null;

  /**
   * Another process committed: the watchers are called now if they were not called in the last
   * NOTIFY_EVERY_MS, else once when that time is up, for every commit that came meanwhile (each
   * call reads everything changed since the last read, so none is missed).
   */
  private notified(): void {
    if (this.due || this.stopped) return;
    const wait = this.firedAt + NOTIFY_EVERY_MS - performance.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.due = setTimeout(() => {
      this.due = null;
      if (!this.stopped) this.fire();
    }, wait);
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // A watcher's own failure is its caller's bug: reported as such, not swallowed here.
      queueMicrotask(() => {
        throw e;
      });
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...this.config, types: TYPES });
    let up = false;
    const lost = () => {
      if (this.client !== client && up) return;
      this.client = null;
      if (up) this.retry();
    };
    client.on('error', () => {});
    client.on('end', lost);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && !this.ownPids.has(n.processId)) this.notified();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch {
      client.removeListener('end', lost);
      await client.end().catch(() => {});
      this.retry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    up = true;
    this.client = client;
    this.pauseMs = 100;
    // Anything committed before this connection listened was not heard: the caller re-reads.
    this.fire();
  }

  private retry(): void {
    if (this.stopped) return;
    const pause = this.pauseMs;
    this.pauseMs = Math.min(this.pauseMs * 2, 5_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, pause);
    // Waiting for a server that is away keeps no process alive by itself.
    this.timer.unref();
  }
}
