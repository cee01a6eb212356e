// Long on purpose: the engine's core, one class because a transaction's unit of work, the live
// set, the timers and the hosting fence are private state that each command touches; every feature
// lives in a module of its own and registers here (simulation.ts).
import {
  campaignStatusLabel,
  type Agent,
  type AgentSession,
  type NegotiatedLogout,
  type Session,
  type AgentMessage,
  type AgentStatus,
  type ChannelActivity,
  type ChannelState,
  type Contact,
  type Interaction,
  type InteractionKind,
  type MediaChannel,
  type MessageKind,
} from './domain.js';
import { DirectorySearch } from './directory-search.js';
import { EventQueue } from './event-queue.js';
import { Random } from './random.js';
import type { TimeZones } from './time/time-zones.js';
import { StoreError, type Changes, type ConfigKind, type HostClock, type StoreErrorKind, type StorePort, type StoreReader, type StoreTx } from './store-port.js';
import { worldMeta, type EntityKind, type SimEvent, type WorldState } from './world.js';
import type { CallLogEntry, CallingListRecord, GenesysCallback } from './domain.js';
import { fail, ok, type Result } from './result.js';
import { Lifecycle, type DoneHandler, type LifecycleEvents, type LifecycleListener, type TimerHandler } from './lifecycle.js';
import type { WorldMeta } from './world.js';

export { fail, ok, type Result };

export interface EngineOptions {
  zones: TimeZones;
  /**
   * Whether this process owns the clock, the timers and the session (the desktop, a demo, a
   * test): only the owner writes them. Scripting commands change rows and leave the rest to
   * the desktop that owns it.
   */
  owner?: boolean;
  /**
   * How long, in simulated ms, an invitation alerts on the desktop before it is routed to another
   * agent (WDE's auto-decline); INVITE_TIMEOUT_MS when not given. The engine has no clock of its
   * own, so the runtime that paces it sets this from the speed (ClockDriver: at least 30 real
   * seconds at any speed); a demo or a test keeps the simulated 30 s.
   */
  inviteTimeoutMs?: number;
}

/** An invitation not accepted in this time goes to another agent (WDE's auto-decline). */
export const INVITE_TIMEOUT_MS = 30_000;
/** How many of an agent's newest messages My Messages lists. */
export const MESSAGE_WINDOW = 200;

/**
 * The rows one transaction has read from the store, by identity, and which of them changed.
 * Rows of the store's tables (records, bookings, contacts, messages) changed by the engine are
 * written before the transaction's next query (`pending`), so its queries see them; the rest
 * (configuration, interactions, the clock) at its end.
 */
class UnitOfWork {
  readonly records = new Map<number, CallingListRecord>();
  readonly gcallbacks = new Map<string, { cb: GenesysCallback; written: GenesysCallback | undefined }>();
  /** Call-log rows read or written in this transaction, by call_id. */
  readonly calls = new Map<string, CallLogEntry>();
  /**
   * Interaction ids allocated in this transaction: the store's counter gave them to no one
   * before, so no call-log row can have one as its call_id yet (nothing to read for them).
   */
  readonly newInteractionIds = new Set<string>();
  /** Interactions finished in this transaction: out of the live set at once, written at the end. */
  readonly finished = new Map<string, Interaction>();
  readonly dirty = new Map<string, { kind: EntityKind; id: string }>();
  /** Writes not yet sent to the store, in the order they were made. */
  readonly pending = new Map<string, () => Promise<unknown>>();
  /** The transaction's tables, each query preceded by the pending writes. */
  readonly db: StoreTx;

  constructor(readonly raw: StoreTx) {
    this.db = flushingTables(raw, () => this.flushPending());
  }

  async flushPending(): Promise<void> {
    while (this.pending.size > 0) {
      const [key, write] = this.pending.entries().next().value as [string, () => Promise<unknown>];
      this.pending.delete(key);
      await write();
    }
  }
}

/** The reads of a transaction's tables, each made after the writes still pending. */
function flushingTables(tx: StoreTx, flush: () => Promise<void>): StoreTx {
  const wrap = <T extends object>(table: T): T =>
    new Proxy(table, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          await flush();
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const out = wrap(tx);
  return Object.assign(Object.create(out) as StoreTx, {
    records: wrap(tx.records),
    contacts: wrap(tx.contacts),
    interactions: wrap(tx.interactions),
    messages: wrap(tx.messages),
    gcallbacks: wrap(tx.gcallbacks),
    calls: wrap(tx.calls),
  });
}

/** Thrown when a host's transaction finds that another process took the lease over. */
export class HostLostError extends StoreError {
  constructor() {
    super('refused', 'another process hosts the world now; this one stopped hosting');
    this.name = 'HostLostError';
  }
}

/**
 * How many times a command runs when other processes keep changing the rows it changes (each
 * run starts from their latest commit, so one of the writers always gets through).
 */
const CONFLICT_TRIES = 20;

/** Why the store refused the engine's last transaction (see Engine.storeTrouble). */
export interface StoreTrouble {
  kind: StoreErrorKind;
  message: string;
}

/** Thrown inside a transaction to roll back a refused command. */
const REFUSED = Symbol('refused');

/** What the engine is built from: the store's world, read once. */
export interface LoadedWorld {
  meta: WorldMeta;
  agents: Record<string, unknown>;
  campaigns: Record<string, unknown>;
  services: Record<string, unknown>;
  interactions: Interaction[];
  revision: number;
}

/** Reads what an engine holds in memory from the store. */
export async function loadWorld(store: StorePort): Promise<LoadedWorld> {
  return store.read(async (q) => ({
    meta: await q.loadMeta(),
    agents: await q.loadEntities('agent'),
    campaigns: await q.loadEntities('campaign'),
    services: await q.loadEntities('service'),
    interactions: await q.interactions.live(),
    revision: await q.revision(),
  }));
}

/** What a rollback puts back in memory. */
interface MemoryImage {
  world: Omit<WorldState, 'rng' | 'queue'>;
  rng: ReturnType<Random['state']>;
  queue: WorldState['queue'];
  seenRevision: number;
}

/**
 * The simulation. Plain TypeScript: it never reads the real clock, draws randomness other than
 * from its seeded source, or touches files or the terminal; the host passes all of that in,
 * the store included (StorePort). Every change is one store transaction that first takes in
 * what other processes wrote, so nothing read before their change is ever written back.
 */
export class Engine {
  readonly zones: TimeZones;
  readonly store: StorePort;
  /**
   * Whether this engine hosts the world now: runs the clock, the dialer and the timers and saves
   * them. A desktop on a shared state hosts while no other process does (see becomeHost).
   */
  get owner(): boolean {
    return this.hosting;
  }
  private hosting: boolean;
  /** Checked inside every transaction of the host: false once another process took the lease over. */
  private fence: ((tx: StoreTx) => Promise<boolean>) | null = null;
  private world: WorldState;
  private rng: Random;
  private queue: EventQueue<SimEvent>;
  private tx: UnitOfWork | null = null;
  private seenRevision: number;
  private listeners = new Set<() => void>();
  private clockListeners = new Set<() => void>();
  private timers = new Map<SimEvent['type'], (ev: SimEvent, at: number) => void | Promise<void>>();
  /** The key each kind of timer is armed once by (see onTimer's `key`). */
  private readonly timerKeys = new Map<SimEvent['type'], (ev: SimEvent) => string>();
  /** What features do when the engine starts, in one transaction (arm the hoppers). */
  private readonly starters: (() => void | Promise<void>)[] = [];
  /** Transactions of this engine run one at a time; the next waits here. */
  private turn: Promise<unknown> = Promise.resolve();
  /** Queued timers by key (see isScheduled). */
  private readonly keyed = new Map<string, number>();
  private readonly lifecycle = new Lifecycle();
  private readonly doneHandlers: DoneHandler[] = [];
  /** Incremented on every state change; screens select on it. */
  revision = 0;
  /**
   * Why the engine's last transaction could not be saved, while that lasts: another process
   * holds the write lock (a large import), the database cannot be reached, the disk is full.
   * The next transaction that gets through clears it; the desktop says it on the notice line.
   */
  storeTrouble: StoreTrouble | null = null;

  /** Another process holds the write lock (see storeTrouble). */
  get storeBusy(): boolean {
    return this.storeTrouble?.kind === 'busy';
  }
  private readonly directory: DirectorySearch;
  /**
   * How long an invitation alerts before it is routed away, simulated ms (EngineOptions'
   * inviteTimeoutMs). Every feature that offers an interaction arms its InviteTimeout with it;
   * the runtime may change it when the speed changes (an invitation already alerting keeps its).
   */
  inviteTimeoutMs: number;

  constructor(store: StorePort, opts: EngineOptions, loaded: LoadedWorld) {
    this.store = store;
    this.directory = new DirectorySearch();
    this.zones = opts.zones;
    this.inviteTimeoutMs = opts.inviteTimeoutMs ?? INVITE_TIMEOUT_MS;
    this.hosting = opts.owner ?? true;
    const meta = loaded.meta;
    this.world = {
      ...meta,
      dialer: meta.dialer ?? { inFlight: [], nextCallId: 1, turn: 0, logout: null },
      agents: loaded.agents as WorldState['agents'],
      campaigns: loaded.campaigns as WorldState['campaigns'],
      services: loaded.services as WorldState['services'],
      interactions: Object.fromEntries(loaded.interactions.map((i) => [i.id, i])),
    };
    adoptLegacySession(this.world);
    this.seenRevision = loaded.revision;
    this.rng = new Random(this.world.rng);
    // Timers are the host's: a process that does not host keeps none (becomeHost loads them).
    this.queue = new EventQueue(this.hosting ? this.world.queue : undefined);
    this.indexTimers();
    this.onTimer('CampaignStart', (ev) => this.startCampaign(ev.campaignId));
    this.onTimer('InviteTimeout', async (ev) => {
      const it = this.world.interactions[ev.interactionId];
      if (!it || it.state !== 'alerting') return;
      const alertedFor = Math.round((this.now - it.updatedAt) / 1000);
      it.state = 'done';
      it.caseData = { ...it.caseData, Routed: 'to another agent' };
      it.updatedAt = this.now;
      this.touch('interaction', it.id);
      // Features say where it went (a pushed record goes back to its calling list).
      await this.lifecycle.emit('interactionTimedOut', it);
      // Simulated time: at --speed 60 the 30 real seconds it alerted are 30 minutes.
      const after = alertedFor < 120 ? `${alertedFor} s` : `${Math.round(alertedFor / 60)} min`;
      await this.recordAlertOutcome(it, `routed ${it.caseData.Routed} after ${after}`);
    });
  }

  /**
   * An agent's desktop went away (its heartbeat stopped): the host gives back what was on it, as
   * an alert nobody took is given back (a record to its calling list, a Genesys callback to its
   * queue, a chat to another agent), and ends the session. Nothing the agent held is lost.
   */
  abandonDesk(agentId: string): Promise<Result<number>> {
    return this.command(async () => {
      if (!this.world.agents[agentId]?.session) return ok(0);
      let given = 0;
      for (const it of Object.values(this.world.interactions)) {
        if (it.agentId !== agentId || it.state === 'done' || it.state === 'waiting') continue;
        it.state = 'done';
        it.caseData = { ...it.caseData, Routed: 'to another agent (the desktop was lost)' };
        it.updatedAt = this.now;
        this.touch('interaction', it.id);
        await this.lifecycle.emit('interactionTimedOut', it);
        given++;
      }
      const r = await this.endSession(agentId);
      return r.ok ? ok(given) : r;
    });
  }

  /**
   * This engine hosts the world from now on: it takes the clock, the randomness, the timers and
   * the dialer as the last host saved them (in one transaction, after `fence` granted the
   * lease), then arms what the features arm at start. `fence` is asked in each of its
   * transactions after this; when it says no, the transaction is refused (HostLostError) and the
   * runtime calls stopHosting.
   */
  async becomeHost(fence: (tx: StoreTx) => Promise<boolean>): Promise<void> {
    await this.serialized(async () => {
      const meta = await this.store.read((q) => q.loadMeta());
      const w = this.world;
      w.now = Math.max(w.now, meta.now);
      w.rng = meta.rng;
      w.queue = meta.queue;
      w.nextIds = meta.nextIds;
      w.hoppers = meta.hoppers;
      w.dialer = meta.dialer ?? w.dialer;
      this.rng = new Random(meta.rng);
      this.queue = new EventQueue(meta.queue);
      this.hosting = true;
      this.fence = fence;
    });
    await this.start();
  }

  /** Another process hosts the world now: this engine keeps no timers and saves no clock. */
  stopHosting(): void {
    this.hosting = false;
    this.fence = null;
    this.queue = new EventQueue();
    this.keyed.clear();
  }

  /**
   * Runs what the features do when an engine starts (the hoppers read their first window), as
   * one transaction. Called once, after every feature has registered.
   */
  async start(): Promise<void> {
    // The restored queue is counted by the keys the features registered since it was read.
    this.indexTimers();
    // The timers are the owner's: a scripting command arms none (and takes no write lock to open).
    if (!this.owner || this.starters.length === 0) return;
    // It writes nothing: what it arms is saved with the owner's next transaction (opening a
    // state, even one a demo then refuses to run on, leaves the file as it was).
    const r = await this.serialized(() =>
      this.transactNow(async () => {
        for (const fn of this.starters) await fn();
        return ok(undefined);
      }, false),
    );
    if (!r.ok) throw new Error(r.error);
  }

  /** A feature's work at start (see start). */
  onStart(fn: () => void | Promise<void>): void {
    this.starters.push(fn);
  }

  /**
   * Runs fn as one step that sees every other process's latest writes: a store transaction.
   * Never called from inside another transaction (that one would wait for this forever): code
   * that runs inside one calls the features' functions directly.
   */
  async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    let out!: T;
    const r = await this.transact(async () => {
      out = await fn();
      return ok(undefined);
    });
    // Not saved (the store refused the write): what fn did was rolled back, so say so.
    if (!r.ok) throw new Error(r.error);
    return out;
  }

  /**
   * Feature modules register the handler of their own timers, one per kind of timer. A timer
   * that is armed from the state (a hopper's window, a call ringing, a logout counting down)
   * names its `key`, so arming it again is a no-op (isScheduled) and a host that takes over, or
   * learns of another process's change, arms it exactly once.
   */
  onTimer<K extends SimEvent['type']>(type: K, handler: TimerHandler<K>, key?: (ev: Extract<SimEvent, { type: K }>) => string): void {
    this.timers.set(type, handler as (ev: SimEvent, at: number) => void | Promise<void>);
    if (key) this.timerKeys.set(type, key as (ev: SimEvent) => string);
  }

  /** The key of a timer armed once (see onTimer); null for the others. */
  private timerKey(ev: SimEvent): string | null {
    const key = this.timerKeys.get(ev.type);
    return key ? key(ev) : null;
  }

  /** Subscribes to a lifecycle event of the core; returns the unsubscribe. */
  on<K extends keyof LifecycleEvents>(name: K, fn: LifecycleListener<K>): () => void {
    return this.lifecycle.on(name, fn);
  }

  /**
   * A feature announces what happened in it (a record delivered, a call dialled, connected or
   * ended), inside the transaction in progress, for the features that follow it (the call log).
   */
  emit<K extends keyof LifecycleEvents>(name: K, payload: LifecycleEvents[K]): Promise<void> {
    this.needTx(`${name} announced`);
    return this.lifecycle.emit(name, payload);
  }

  /** A feature that owns some interactions checks and commits their Done. */
  onDone(handler: DoneHandler): void {
    this.doneHandlers.push(handler);
  }

  get state(): Readonly<WorldState> {
    return this.world;
  }

  /** The mutable world, for the engine's own feature modules (never for screens). */
  get mut(): WorldState {
    return this.world;
  }

  get now(): number {
    return this.world.now;
  }

  get random(): Random {
    return this.rng;
  }

  // ---- subscriptions (the screens' bridge) ------------------------------------------------

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Clock-only listeners: a tick that changes nothing else re-renders only the clock digits. */
  subscribeClock(fn: () => void): () => void {
    this.clockListeners.add(fn);
    return () => this.clockListeners.delete(fn);
  }

  private changed(): void {
    this.revision++;
    for (const fn of [...this.listeners]) fn();
  }

  // ---- time -------------------------------------------------------------------------------

  /**
   * Arms a timer. Only the host keeps timers: on a desktop that does not host, the command that
   * asks for one leaves it to the host, which arms it from the state the command wrote (see
   * onTimer's `key` and the features' externalChange listeners).
   */
  schedule(at: number, event: SimEvent): void {
    if (!this.hosting) return;
    this.queue.push(Math.max(at, this.world.now), event);
    const k = this.timerKey(event);
    if (k) this.keyed.set(k, (this.keyed.get(k) ?? 0) + 1);
  }

  unschedule(pred: (e: SimEvent) => boolean): void {
    if (this.queue.removeWhere(pred) > 0) this.indexTimers();
  }

  hasScheduled(pred: (e: SimEvent) => boolean): boolean {
    return this.queue.find(pred) !== undefined;
  }

  /**
   * Whether this very timer is queued, for the timers the hoppers arm (a due callback, a due
   * booking, the fills): looked up by key, not by a walk of the queue, since a busy window
   * arms thousands.
   */
  isScheduled(event: SimEvent): boolean {
    const k = this.timerKey(event);
    return k !== null && (this.keyed.get(k) ?? 0) > 0;
  }

  /** The keyed timers of the queue, counted again (after a restore or a removal). */
  private indexTimers(): void {
    this.keyed.clear();
    for (const item of this.queue.snapshot().items) {
      const k = this.timerKey(item.event);
      if (k) this.keyed.set(k, (this.keyed.get(k) ?? 0) + 1);
    }
  }

  /**
   * Runs every timer due up to `t`, in order, then sets the clock to `t`. Timers run inside
   * one store transaction; a span with no timer only moves the clock (saved at the next
   * transaction or checkpoint). False when the store refused the transaction (its write lock
   * is held elsewhere): the clock has not moved.
   */
  advanceTo(t: number, enough?: () => boolean): Promise<boolean> {
    return this.serialized(() => this.advanceToNow(t, enough));
  }

  /** Moves the clock on by ms; with `enough`, it may stop early (the simulation then runs behind). */
  advanceBy(ms: number, enough?: () => boolean): Promise<boolean> {
    // Measured from where the transactions queued before it leave the clock.
    return this.serialized(() => this.advanceToNow(this.world.now + ms, enough));
  }

  private async advanceToNow(t: number, enough?: () => boolean): Promise<boolean> {
    // A process that does not host runs no timer: its clock only follows the host's.
    if (!this.hosting) {
      if (t > this.world.now) this.world.now = t;
      for (const fn of [...this.clockListeners]) fn();
      return true;
    }
    {
      if (t < this.world.now) return true;
      const first = this.queue.peek();
      let moved = true;
      if (first && first.at <= t) {
        moved = (
          await this.transactNow(async () => {
            let stoppedAt: number | null = null;
            for (let next = this.queue.peek(); next && next.at <= t; next = this.queue.peek()) {
              this.queue.pop();
              const k = this.timerKey(next.event);
              if (k) this.keyed.set(k, (this.keyed.get(k) ?? 1) - 1);
              // A timer already overdue (the queue a host took over, due in the time its last
              // host was gone) fires now: the clock never goes back.
              this.world.now = Math.max(this.world.now, next.at);
              const h = this.timers.get(next.event.type);
              if (h) await h(next.event, next.at);
              await this.lifecycle.emit('timerFired', next.event);
              // The host's time budget is spent: stop at this event and let the screen answer keys.
              if (enough?.()) {
                stoppedAt = next.at;
                break;
              }
            }
            this.world.now = Math.max(this.world.now, stoppedAt ?? t);
            return ok(undefined);
          })
        ).ok;
      } else this.world.now = t;
      for (const fn of [...this.clockListeners]) fn();
      return moved;
    }
  }

  // ---- the store --------------------------------------------------------------------------

  /** Runs fn when the engine's transactions queued before it have finished: one at a time. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const next = this.turn.then(fn, fn).finally(() => this.queued--);
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** Transactions queued or under way (see isIdle). */
  private queued = 0;

  /** No transaction and no read of this engine is queued or under way. */
  get isIdle(): boolean {
    return this.queued === 0 && this.reading === 0;
  }

  /**
   * Runs fn as one transaction on the store: it takes in other processes' changes, runs, and
   * writes what it touched. A refused result or a throw rolls back the store and puts memory
   * back exactly as it was.
   */
  private transact<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
    return this.serialized(() => this.transactNow(fn));
  }

  /**
   * `write`: true writes what the transaction touched and, on the host, the clock, timers and
   * randomness (every transaction of the host saves them); false writes nothing; 'ifChanged'
   * writes as true does only when something changed (a row touched, a timer armed, the
   * randomness drawn from): a host taking in a desktop's commit that changes nothing of its own
   * leaves the store as it was, so it does not make every desktop read again.
   */
  private async transactNow<T>(fn: () => Promise<Result<T>>, write: boolean | 'ifChanged' = true): Promise<Result<T>> {
    const image = this.image();
    for (let attempt = 1; ; attempt++) {
      let result: Result<T> | undefined;
      let raw: StoreTx | undefined;
      try {
        await this.store.transaction(
          async (t) => {
            raw = t;
            this.tx = new UnitOfWork(t);
            await this.takeInExternal();
            result = await fn();
            if (!result.ok) throw REFUSED;
            await this.announceCampaignStops(image);
            if (write === true || (write === 'ifChanged' && this.changedFrom(image))) await this.flush();
          },
          { catchUpSince: this.seenRevision, hostEpoch: this.hosting && this.fence !== null },
        );
      } catch (e) {
        this.tx = null;
        this.restore(image);
        if (e === REFUSED) return result!;
        // Another process wrote a row this one changed (PostgreSQL's writers run side by side):
        // run the command again from the start, on the rows as they are now.
        if (e instanceof StoreError && e.kind === 'conflict' && attempt < CONFLICT_TRIES) continue;
        // 'fenced': the store found at COMMIT what the fence finds before it on a store that locks first.
        if (e instanceof HostLostError || (e instanceof StoreError && e.kind === 'fenced')) this.stopHosting();
        if (e instanceof StoreError) {
          if (this.storeTrouble?.kind !== e.kind) {
            this.storeTrouble = { kind: e.kind, message: e.message };
            this.changed();
          }
          const where = this.store.backend === 'sqlite' ? 'the state file' : 'the database';
          return fail(e.kind === 'busy' || e.kind === 'conflict' ? `not saved: ${where} is busy (another process is writing); try again` : `not saved: ${e.message}`);
        }
        throw e;
      }
      this.tx = null;
      if (raw?.seenThrough !== undefined) this.seenRevision = raw.seenThrough;
      this.storeTrouble = null;
      this.changed();
      return result!;
    }
  }

  /** The transaction in progress; features' reads and writes go through it. */
  private needTx(what: string): UnitOfWork {
    const tx = this.tx;
    if (!tx) throw new Error(`${what} outside a transaction`);
    return tx;
  }

  /** The tables of the transaction in progress (features only; screens use `read`). */
  get db(): StoreTx {
    return this.needTx('a store query').db;
  }

  /**
   * Unpacks the rules of the time zones of every campaign's numbers now, with a read outside
   * any transaction, so that the first dial does not: cold, they cost a first Preview 6 ms and
   * more, under the write lock every writer of a team waits for (runtime/desktop.ts's warm-ups).
   */
  async prepareZones(): Promise<void> {
    const ids = Object.keys(this.world.campaigns);
    const zones = await this.read(async (q) => (await Promise.all(ids.map((id) => q.records.zonesOf(id)))).flat());
    // has() looks a zone up, which unpacks its rules and keeps them.
    for (const tz of new Set(zones)) this.zones.has(tz);
  }

  /**
   * A process that does not host (the supervisor) takes in the dialer's state as the host last
   * saved it: it lives in the world's meta row, which a catch-up does not read (every desktop
   * would read the host's whole meta at every commit), so a supervisor opened before the host
   * armed the pacing groups showed none of their colleagues, ever.
   */
  followHostDialer(): Promise<void> {
    return this.serialized(async () => {
      if (this.hosting) return;
      const { dialer } = await this.read((q) => q.loadMeta());
      if (JSON.stringify(dialer) === JSON.stringify(this.world.dialer)) return;
      this.world.dialer = dialer;
      this.changed();
    });
  }

  /** Queries outside any transaction (screens, commands): what was committed. */
  read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T> {
    this.reading++;
    return this.store.read(fn).finally(() => {
      this.reading--;
      if (this.reading === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  /** Reads under way (see whenIdle). */
  private reading = 0;
  private idleWaiters: (() => void)[] = [];

  /**
   * Resolves once no transaction and no read of this engine is under way: a scripted run (a
   * demo, a test) waits for it before it looks at the screen, so a frame never depends on how
   * fast the store answered.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.turn;
      if (this.reading === 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private image(): MemoryImage {
    const { rng: _r, queue: _q, ...rest } = this.world;
    return { world: structuredClone(rest), rng: this.rng.state(), queue: this.queue.snapshot(), seenRevision: this.seenRevision };
  }

  private restore(img: MemoryImage): void {
    this.world = { ...img.world, rng: img.rng, queue: img.queue };
    this.rng = new Random(img.rng);
    this.queue = new EventQueue(img.queue);
    this.indexTimers();
    this.seenRevision = img.seenRevision;
  }

  /** Whether the transaction under way changed anything the store keeps (see transactNow's `write`). */
  private changedFrom(before: MemoryImage): boolean {
    if (this.tx!.dirty.size > 0) return true;
    const w = this.world;
    const b = before.world;
    return JSON.stringify([this.rng.state(), this.queue.snapshot(), w.nextIds, w.session, w.dialer, w.hoppers]) !== JSON.stringify([before.rng, before.queue, b.nextIds, b.session, b.dialer, b.hoppers]);
  }

  /** Another process wrote since we last looked: take its rows in and let features re-arm timers. */
  private async takeInExternal(): Promise<void> {
    const got = await this.tx!.raw.catchUp(this.seenRevision);
    if (!got.changes) return;
    this.takeIn(got.changes, got.revision);
    if (!this.hosting) this.hostClock = got.clock;
    // Features arm the timers other processes' changes imply: the host's business only.
    if (this.hosting) await this.lifecycle.emit('externalChange', undefined);
  }

  /** Other processes' rows, into memory. */
  private takeIn(changes: Changes, revision: number): void {
    for (const e of changes.entities) (this.world[collectionOf(e.kind)] as Record<string, unknown>)[e.id] = e.body;
    for (const it of changes.interactions) {
      if (it.state === 'done') delete this.world.interactions[it.id];
      else this.world.interactions[it.id] = it;
    }
    this.seenRevision = revision;
    this.directory.invalidate();
  }

  /**
   * Takes in other processes' changes now (the desktop calls this when the store says another
   * process committed); returns whether there were any.
   */
  async sync(): Promise<boolean> {
    if (this.hosting) {
      if ((await this.store.revision()) === this.seenRevision) return false;
      // Many desktops commit faster than the host runs a transaction for each: a sync queued and
      // not yet started takes in everything committed before it starts, so the next joins it;
      // and one that changes nothing of the host's writes nothing (no revision for every desktop
      // to read again).
      if (this.hostSyncQueued) return true;
      this.hostSyncQueued = true;
      await this.serialized(async () => {
        this.hostSyncQueued = false;
        if (!this.hosting || (await this.store.revision()) === this.seenRevision) return;
        await this.transactNow(async () => ok(undefined), 'ifChanged');
      });
      return true;
    }
    // A process that does not host only reads what changed: no write lock for a look (and one
    // read, which looks at the revision first).
    return this.serialized(async () => {
      const got = await this.store.read((q) => q.catchUp(this.seenRevision));
      if (!got.changes) return false;
      this.takeIn(got.changes, got.revision);
      this.hostClock = got.clock;
      this.changed();
      return true;
    });
  }

  /** A host's sync is queued and has not started (see sync). */
  private hostSyncQueued = false;

  /**
   * The host's clock as this process last read it (when it does not host): a desktop that
   * follows runs its clock on from there (see ClockDriver).
   */
  hostClock: HostClock | null = null;

  /** The real instant and speed the host's clock stood at, saved with each of its writes. */
  private clockMark: HostClock | null = null;

  /** The runtime that drives the host's clock says where it stands (real epoch ms, speed). */
  markClock(realAt: number, speed: number): void {
    this.clockMark = { now: this.world.now, realAt, speed };
  }

  private async flush(): Promise<void> {
    const tx = this.tx!;
    await tx.flushPending();
    if (tx.dirty.size === 0 && !this.hosting) return;
    // A host that lost its lease (paused while another took over) writes nothing more: the
    // fence reads the lease's epoch under the same write lock as everything else.
    if (this.hosting && this.fence && !(await this.fence(tx.raw))) throw new HostLostError();
    const rev = await tx.raw.bumpRevision();
    for (const { kind, id } of tx.dirty.values()) await this.write(kind, id, rev);
    if (this.hosting) {
      this.world.rng = this.rng.state();
      this.world.queue = this.queue.snapshot();
      await tx.raw.saveMeta(worldMeta(this.world));
      if (this.clockMark) await tx.raw.saveClock(this.clockMark);
    }
    this.seenRevision = rev;
  }

  /** The rows written at the end of a transaction (the store's own rows went as they changed). */
  private async write(kind: EntityKind, id: string, rev: number): Promise<void> {
    const tx = this.tx!;
    switch (kind) {
      case 'interaction': {
        const it = this.world.interactions[id] ?? tx.finished.get(id);
        if (!it) return;
        await tx.raw.interactions.put(it, rev);
        if (it.state === 'done') delete this.world.interactions[id];
        return;
      }
      case 'record':
      case 'gcallback':
      case 'contact':
      case 'message':
      case 'call':
        return; // written before the next query (touch)
      default: {
        const coll = this.world[collectionOf(kind as ConfigKind)] as Record<string, unknown>;
        await tx.raw.putEntity(kind as ConfigKind, id, coll[id] ?? null, rev);
      }
    }
  }

  /**
   * Marks a row as changed in this transaction. Rows of the store (records, bookings) are
   * written before the transaction's next query, so its later queries see them.
   */
  touch(kind: EntityKind, id: string | number): void {
    const tx = this.needTx(`${kind} ${id} changed`);
    const key = `${kind}:${id}`;
    tx.dirty.set(key, { kind, id: String(id) });
    if (kind === 'record') {
      const r = tx.records.get(Number(id));
      if (r) tx.pending.set(key, () => tx.raw.records.put(r));
    } else if (kind === 'gcallback') {
      const e = tx.gcallbacks.get(String(id));
      if (e)
        tx.pending.set(key, async () => {
          await tx.raw.gcallbacks.put(e.cb, e.written);
          e.written = structuredClone(e.cb);
        });
    } else if (kind === 'interaction') {
      // A finished interaction leaves the live set now, so a long run of timers in one
      // transaction does not carry its history around (activeVoice, openInteractions).
      const it = this.world.interactions[id];
      if (it?.state === 'done') {
        tx.finished.set(String(id), it);
        delete this.world.interactions[id];
      }
    }
  }

  /** A contact changed in this transaction (written before the next query). */
  saveContact(c: Contact): void {
    const tx = this.needTx(`contact ${c.id} changed`);
    tx.dirty.set(`contact:${c.id}`, { kind: 'contact', id: c.id });
    tx.pending.set(`contact:${c.id}`, () => tx.raw.contacts.put(c));
    this.directory.invalidate();
  }

  /** A message written in this transaction (before the next query). */
  saveMessage(m: AgentMessage): void {
    const tx = this.needTx(`message ${m.id} changed`);
    tx.dirty.set(`message:${m.id}`, { kind: 'message', id: m.id });
    tx.pending.set(`message:${m.id}`, () => tx.raw.messages.put(m));
  }

  /** A call-log row; inside a transaction, the same object for the same call_id. */
  async callLogEntry(callId: string): Promise<CallLogEntry | undefined> {
    const tx = this.needTx(`call ${callId} read`);
    const have = tx.calls.get(callId);
    if (have) return have;
    if (tx.newInteractionIds.has(callId)) return undefined;
    const row = await tx.db.calls.get(callId);
    if (!row) return undefined;
    const again = tx.calls.get(callId);
    if (again) return again;
    tx.calls.set(callId, row);
    return row;
  }

  /** A call-log row written in this transaction (before the next query): inserted, or replaced by call_id. */
  logCall(row: CallLogEntry): void {
    const tx = this.needTx(`call ${row.call_id} logged`);
    const key = `call:${row.call_id}`;
    tx.calls.set(row.call_id, row);
    tx.dirty.set(key, { kind: 'call', id: row.call_id });
    tx.pending.set(key, () => tx.raw.calls.put(row));
  }

  /** A calling-list record; inside a transaction, the same object for the same id. */
  async record(id: number): Promise<CallingListRecord | undefined> {
    const tx = this.needTx(`record ${id} read`);
    const have = tx.records.get(id);
    if (have) return have;
    const r = await tx.db.records.get(id);
    if (!r) return undefined;
    // Read meanwhile by another step of this transaction: that one is the record.
    const again = tx.records.get(id);
    if (again) return again;
    tx.records.set(id, r);
    return r;
  }

  /** Records from a store query, through this transaction's identity map. */
  adopt(rows: CallingListRecord[]): CallingListRecord[] {
    const tx = this.needTx('records adopted');
    return rows.map((r) => {
      const have = tx.records.get(r.record_id);
      if (have) return have;
      tx.records.set(r.record_id, r);
      return r;
    });
  }

  /** Adds a new calling-list record. */
  insertRecord(r: CallingListRecord): void {
    this.needTx(`record ${r.record_id} added`).records.set(r.record_id, r);
    this.touch('record', r.record_id);
  }

  /** A Genesys booking; inside a transaction, the same object for the same id. */
  async gcallback(id: string): Promise<GenesysCallback | undefined> {
    const tx = this.needTx(`booking ${id} read`);
    const have = tx.gcallbacks.get(id);
    if (have) return have.cb;
    const cb = await tx.db.gcallbacks.get(id);
    if (!cb) return undefined;
    const again = tx.gcallbacks.get(id);
    if (again) return again.cb;
    tx.gcallbacks.set(id, { cb, written: structuredClone(cb) });
    return cb;
  }

  insertGcallback(cb: GenesysCallback): void {
    this.needTx(`booking ${cb.id} added`).gcallbacks.set(cb.id, { cb, written: undefined });
    this.touch('gcallback', cb.id);
  }

  /**
   * Writes a booking that takes a place in its slot now, with the store's conditional update of
   * the slot's counter: false (nothing written) when the slot is already at `capacity`, so two
   * processes booking the last place at once cannot both get it.
   */
  async claimSlot(cb: GenesysCallback, capacity: number): Promise<boolean> {
    const tx = this.needTx(`booking ${cb.id} written`);
    await tx.flushPending();
    const e = tx.gcallbacks.get(cb.id) ?? { cb, written: undefined };
    if (!(await tx.raw.gcallbacks.put(cb, e.written, capacity))) return false;
    tx.gcallbacks.set(cb.id, { cb, written: structuredClone(cb) });
    tx.dirty.set(`gcallback:${cb.id}`, { kind: 'gcallback', id: cb.id });
    tx.pending.delete(`gcallback:${cb.id}`);
    return true;
  }

  /** An interaction in a transaction: live ones from memory, finished ones from the store. */
  async interaction(id: string): Promise<Interaction | undefined> {
    return this.world.interactions[id] ?? (await this.db.interactions.get(id));
  }

  /** A contact, in a transaction. */
  contact(id: string): Promise<Contact | undefined> {
    return this.db.contacts.get(id);
  }

  /** A contact this transaction will change (saveContact): read so that nobody changes it meanwhile. */
  contactToChange(id: string): Promise<Contact | undefined> {
    return this.db.contacts.getToChange(id);
  }

  /**
   * Saves the clock and timers now (the desktop's checkpoint; agent commands save their own
   * effects before they report success).
   */
  async commit(): Promise<void> {
    const r = await this.transact(async () => ok(undefined));
    if (!r.ok) throw new Error(r.error);
  }

  /** The memory part of the world as plain data, with the live rng and queue folded in. */
  snapshot(): WorldState {
    this.world.rng = this.rng.state();
    this.world.queue = this.queue.snapshot();
    return structuredClone(this.world);
  }

  /**
   * Runs an agent command as one transaction and saves its effects before reporting success.
   * Never from inside another transaction (see exclusive).
   */
  run<T>(fn: () => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    return this.transact(async () => fn());
  }

  private command<T>(fn: () => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    return this.transact(async () => fn());
  }

  /** The next id of a kind, from the store's counter (shared by every process on the state). */
  async newId(kind: string): Promise<number> {
    const local = this.world.nextIds[kind] ?? 1;
    const n = await this.needTx(`a new ${kind} id`).raw.allocateId(kind, local);
    this.world.nextIds[kind] = n + 1;
    return n;
  }

  // ---- sessions -----------------------------------------------------------------------------

  /** The agent logged in at this process's desktop (null at the login screen, in a script, on a host). */
  get agentId(): string | null {
    return this.world.session.agentId;
  }

  /**
   * The desktop of `agentId` starts: it is that agent's while the agent has a session (a desktop
   * restarted, or one that died and was started again), else it shows the login screen.
   */
  resumeAs(agentId: string): void {
    this.world.session = { agentId: this.sessionOf(agentId) ? agentId : null, place: null, channels: { ...LOGGED_OUT } };
    this.changed();
  }

  /** An agent's session, while logged in. */
  sessionOf(agentId: string | null): AgentSession | null {
    return (agentId && this.world.agents[agentId]?.session) || null;
  }

  /** The session at this desktop: the agent and its channels (all LoggedOut when nobody is). */
  get session(): Session {
    const me = this.world.session.agentId;
    const s = this.sessionOf(me);
    return s ? { agentId: me, place: s.place, channels: s.channels } : { agentId: null, place: null, channels: { ...LOGGED_OUT } };
  }

  /** The negotiated logout of the agent at this desktop, if one is under way. */
  get myLogout(): NegotiatedLogout | null {
    return this.sessionOf(this.world.session.agentId)?.logout ?? null;
  }

  /** Agents logged in at a desktop, in id order. */
  loggedInAgents(): Agent[] {
    return Object.values(this.world.agents)
      .filter((a) => !!a.session)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Logs an agent in at this desktop. An agent with a session elsewhere is refused unless
   * `takeOver` (the runtime found that desktop gone: the session moves here).
   */
  login(agentId: string, place: string, opts: { takeOver?: boolean } = {}): Promise<Result<void>> {
    return this.command(async () => {
      const agent = this.world.agents[agentId];
      if (!agent) return fail(`unknown agent "${agentId}"`);
      if (!place.trim()) return fail('place is required');
      if (agent.session && this.world.session.agentId !== agentId && !opts.takeOver) return fail(`${agentId} is already logged in at ${agent.session.place}`);
      // A login starts the agent's time in its state, also for a simulated colleague who was
      // Ready already (the status does not change, so changeStatus would keep the old start).
      if (!agent.session) agent.statusSince = this.now;
      this.changeStatus(agentId, 'Ready');
      agent.place = place.trim();
      agent.loggedInAt = this.now;
      // A simulated colleague who logs in is a person at a desktop until the session ends.
      agent.session = { place: place.trim(), channels: { voice: 'Ready', chat: 'Ready', email: 'Ready', sms: 'Ready' }, loggedInAt: this.now, logout: null };
      this.touch('agent', agentId);
      this.world.session = { agentId, place: null, channels: { ...LOGGED_OUT } };
      // A campaign that started before this login is announced now (WDE shows the warning at login).
      for (const c of Object.values(this.world.campaigns)) {
        if (c.status === 'Started' && c.groupId === agent.groupId) await this.announceCampaign(agentId, c.id);
      }
      await this.lifecycle.emit('agentLoggedIn', { agentId });
      return ok(undefined);
    });
  }

  logout(): Promise<Result<void>> {
    return this.command(() => this.endSession());
  }

  /**
   * Logs an agent out (by default the one at this desktop), inside the transaction in
   * progress: the host does it for a negotiated logout, or for a desktop that went away.
   */
  async endSession(agentId: string | null = this.world.session.agentId): Promise<Result<void>> {
    if (!agentId || !this.world.agents[agentId]?.session) return fail('not logged in');
    const agent = this.world.agents[agentId];
    this.changeStatus(agentId, 'LoggedOut');
    agent.loggedInAt = null;
    agent.session = null;
    this.touch('agent', agentId);
    if (this.world.session.agentId === agentId) this.world.session = { agentId: null, place: null, channels: { ...LOGGED_OUT } };
    await this.lifecycle.emit('agentLoggedOut', { agentId });
    return ok(undefined);
  }

  /** The one place an agent's status changes: it keeps the time the status began. */
  changeStatus(agentId: string, status: AgentStatus): void {
    const agent = this.world.agents[agentId];
    if (agent.status !== status) agent.statusSince = this.now;
    agent.status = status;
    this.touch('agent', agentId);
  }

  /** Keeps an agent's zone with the state (see Agent.tz); the caller has checked the name. */
  setAgentZone(agentId: string, tz: string): Promise<Result<void>> {
    return this.command(async () => {
      const a = this.world.agents[agentId];
      if (!a) return fail(`no agent ${agentId}`);
      if (!this.zones.has(tz)) return fail(`unknown time zone "${tz}"`);
      if (a.tz === tz) return ok(undefined);
      a.tz = tz;
      this.touch('agent', agentId);
      return ok(undefined);
    });
  }

  setStatus(status: Exclude<AgentStatus, 'LoggedOut'>): Promise<Result<void>> {
    return this.command(async () => {
      const id = this.world.session.agentId;
      const session = this.sessionOf(id);
      if (!id || !session) return fail('not logged in');
      this.changeStatus(id, status);
      const ch = status === 'Ready' ? 'Ready' : 'NotReady';
      for (const c of Object.keys(session.channels) as MediaChannel[]) {
        if (session.channels[c] !== 'LoggedOut') session.channels[c] = ch;
      }
      await this.lifecycle.emit('agentStatusChanged', { agentId: id, status });
      return ok(undefined);
    });
  }

  setChannel(channel: MediaChannel, state: ChannelState): Promise<Result<void>> {
    return this.command(() => {
      const id = this.world.session.agentId;
      const session = this.sessionOf(id);
      if (!id || !session) return fail('not logged in');
      session.channels[channel] = state;
      this.touch('agent', id);
      return ok(undefined);
    });
  }

  // ---- messages ---------------------------------------------------------------------------

  async postMessage(
    agentId: string,
    kind: MessageKind,
    subject: string,
    body: string,
    priority: AgentMessage['priority'] = 'normal',
    about?: Interaction,
    fields: Partial<Pick<AgentMessage, 'outcome' | 'read'>> = {},
  ): Promise<AgentMessage> {
    const id = `M${await this.newId('message')}`;
    const m: AgentMessage = { id, agentId, kind, priority, subject, body, createdAt: this.now, read: false, ...(about ? { interactionId: about.id } : {}), ...fields };
    this.saveMessage(m);
    if (about) {
      about.messageId = id;
      this.touch('interaction', about.id);
    }
    return m;
  }

  /**
   * An alert that left the agent's desk unanswered says where it went: on the message that
   * announced it, or in a new one, so My Messages never holds a link to nothing.
   */
  private async recordAlertOutcome(it: Interaction, outcome: string): Promise<void> {
    const me = it.agentId ?? null;
    if (!me) return;
    const m = it.messageId ? await this.db.messages.get(it.messageId) : undefined;
    if (m) {
      m.outcome = outcome;
      this.saveMessage(m);
      return;
    }
    // A log entry, not a task: it was on the desk while it alerted, so it does not add to the
    // unread count (the agent's unread messages stay the ones that ask for something). A record
    // pushed again and again is logged once an hour, not each time.
    const subject = `Missed: ${it.subject}`;
    if (await this.db.messages.exists(me, 'system', subject, this.now - 3_600_000)) return;
    await this.postMessage(me, 'system', subject, `Not accepted: ${outcome}.`, 'normal', it, { outcome, read: true });
  }

  markMessageRead(id: string): Promise<Result<void>> {
    return this.command(async () => {
      const m = await this.db.messages.get(id);
      if (!m) return fail(`no message ${id}`);
      if (m.read) return ok(undefined);
      m.read = true;
      this.saveMessage(m);
      return ok(undefined);
    });
  }

  /** The agent's newest messages, newest first (My Messages shows these; older ones stay in the store). */
  messagesFor(agentId: string, limit = MESSAGE_WINDOW): Promise<AgentMessage[]> {
    return this.read((q) => q.messages.forAgent(agentId, limit));
  }

  unreadCount(agentId: string): Promise<number> {
    return this.read((q) => q.messages.unreadCount(agentId));
  }

  message(id: string): Promise<AgentMessage | undefined> {
    return this.read((q) => q.messages.get(id));
  }

  private async announceCampaign(agentId: string, campaignId: string): Promise<void> {
    const c = this.world.campaigns[campaignId];
    const subject = `Campaign ${c.name} started`;
    if (await this.db.messages.exists(agentId, 'campaign', subject, c.startedAt ?? 0)) return;
    await this.postMessage(
      agentId,
      'campaign',
      subject,
      `You are assigned to campaign ${c.name} (${campaignStatusLabel(c.status)}).`,
      'high',
    );
  }

  /**
   * A campaign this transaction stopped (whatever command did it: a supervisor's key, a
   * script): every agent of its group logged in is told, as of a start, so My Campaigns showing
   * it Stopped never comes as a surprise.
   */
  private async announceCampaignStops(before: MemoryImage): Promise<void> {
    for (const { kind, id } of [...this.tx!.dirty.values()]) {
      if (kind !== 'campaign') continue;
      const c = this.world.campaigns[id];
      if (c?.status !== 'Stopped' || before.world.campaigns[id]?.status === 'Stopped') continue;
      for (const a of this.loggedInAgents()) {
        if (a.groupId !== c.groupId) continue;
        await this.postMessage(a.id, 'campaign', `Campaign stopped: ${c.name}`, `Campaign ${c.name} was stopped: no more of its calls come to you until it runs again. My Campaigns shows it Stopped.`, 'high');
      }
    }
  }

  async startCampaign(campaignId: string): Promise<void> {
    const c = this.world.campaigns[campaignId];
    if (!c || c.status === 'Started') return;
    c.status = 'Started';
    c.startedAt = this.now;
    this.touch('campaign', campaignId);
    // Every agent of the campaign's group logged in now is told (WDE's campaign-start message).
    for (const a of this.loggedInAgents()) if (a.groupId === c.groupId) await this.announceCampaign(a.id, campaignId);
  }

  // ---- interactions -----------------------------------------------------------------------

  async openInteraction(
    kind: InteractionKind,
    channel: MediaChannel,
    contactId: string | null,
    subject: string,
    state: Interaction['state'],
    extra: Partial<Interaction> = {},
  ): Promise<Interaction> {
    const id = `I${await this.newId('interaction')}`;
    this.needTx(`interaction ${id} made`).newInteractionIds.add(id);
    const it: Interaction = {
      id,
      agentId: null,
      kind,
      channel,
      state,
      contactId,
      recordId: null,
      campaignId: null,
      subject,
      caseData: {},
      createdAt: this.now,
      updatedAt: this.now,
      ...extra,
    };
    this.world.interactions[id] = it;
    this.touch('interaction', id);
    return it;
  }

  /** Interactions on an agent's desktop (not waiting, not done): what the interaction area lists. */
  openInteractions(agentId: string | null = this.world.session.agentId): Interaction[] {
    return Object.values(this.world.interactions)
      .filter((i) => i.agentId === agentId && i.state !== 'done' && i.state !== 'waiting')
      // Latest activity first: a callback that just came back is on top, not where it was made.
      .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** An interaction on this desktop (an agent acts only on their own). */
  private mine(id: string): Result<Interaction> {
    const it = this.world.interactions[id];
    if (!it) return fail(`no interaction ${id}`);
    if (it.agentId && it.agentId !== this.world.session.agentId) return fail(`interaction ${id} is on ${it.agentId}'s desktop`);
    return ok(it);
  }

  acceptInteraction(id: string): Promise<Result<void>> {
    return this.command(async () => {
      const got = this.mine(id);
      if (!got.ok) return got;
      const it = got.value;
      if (it.state !== 'alerting') return fail(`interaction ${id} is ${it.state}`);
      // A web callback or a pushed record opens as a preview: the agent reads it, then calls.
      it.state = it.kind === 'web-callback' || it.outbound ? 'preview' : 'connected';
      it.updatedAt = this.now;
      this.touch('interaction', id);
      await this.lifecycle.emit('interactionAccepted', it);
      return ok(undefined);
    });
  }

  endInteraction(id: string): Promise<Result<void>> {
    return this.command(async () => {
      const got = this.mine(id);
      if (!got.ok) return got;
      const it = got.value;
      if (it.state === 'ended' || it.state === 'done') return ok(undefined);
      it.state = 'ended';
      it.updatedAt = this.now;
      this.touch('interaction', id);
      await this.lifecycle.emit('interactionEnded', it);
      return ok(undefined);
    });
  }

  /**
   * Done: the interaction leaves the desktop. On an outbound call this commits the record to
   * OCS (RecordProcessed, or RecordReschedule when a callback is set); the answer says which.
   */
  markDone(id: string): Promise<Result<string>> {
    return this.command(() => this.completeInteraction(id));
  }

  /** Done inside the transaction in progress (see markDone). */
  async completeInteraction(id: string): Promise<Result<string>> {
    {
      const got = this.mine(id);
      if (!got.ok) return got;
      const it = got.value;
      if (it.state === 'done') return ok('already done');
      // An outbound call or a web callback is checked and committed by its feature.
      const owner = this.doneHandlers.find((h) => h.claims(it));
      let ack = 'done';
      if (owner) {
        const r = await owner.complete(it);
        if (!r.ok) return r;
        ack = r.value;
      } else if (it.state === 'alerting' || it.state === 'connected') return fail('end the interaction before marking it done');
      // A rescheduled web callback goes back to wait for its new time; anything else is done.
      if (it.state !== 'waiting') {
        it.state = 'done';
        it.updatedAt = this.now;
        this.touch('interaction', id);
      }
      await this.lifecycle.emit('interactionDone', it);
      return ok(ack);
    }
  }

  // ---- queries ----------------------------------------------------------------------------

  /** Voice interactions that occupy an agent: offered, previewed, ringing or talking. */
  activeVoice(agentId: string | null = this.world.session.agentId): Interaction[] {
    return Object.values(this.world.interactions).filter(
      (i) => i.agentId === agentId && i.channel === 'voice' && (i.state === 'alerting' || i.state === 'preview' || i.state === 'dialing' || i.state === 'connected'),
    );
  }

  /**
   * What each of an agent's channels is doing now, with how many interactions: its most engaged
   * open interaction, or wrap-up (an ended interaction waiting for Done, or a voice channel in
   * After Call Work). null: nothing on it.
   */
  channelActivity(agentId: string | null = this.world.session.agentId): Record<MediaChannel, { activity: ChannelActivity; count: number } | null> {
    const out: Record<MediaChannel, { activity: ChannelActivity; count: number } | null> = { voice: null, chat: null, email: null, sms: null };
    if (!agentId) return out;
    const rank: ChannelActivity[] = ['connected', 'dialing', 'alerting', 'preview', 'wrap-up'];
    for (const it of this.openInteractions(agentId)) {
      const activity: ChannelActivity = it.state === 'ended' ? 'wrap-up' : (it.state as ChannelActivity);
      const now = out[it.channel];
      out[it.channel] = { activity: now && rank.indexOf(now.activity) < rank.indexOf(activity) ? now.activity : activity, count: (now?.count ?? 0) + 1 };
    }
    if (!out.voice && this.world.agents[agentId]?.status === 'AfterCallWork') out.voice = { activity: 'wrap-up', count: 0 };
    return out;
  }

  /**
   * An agent (by default the one at this desktop), if a voice call may be given to them now:
   * logged in, Ready on the voice channel, nothing on the line, no logout under way. Callbacks
   * and the dialer ask this.
   */
  agentFreeForVoice(agentId: string | null = this.world.session.agentId, opts: { inWrapUp?: boolean; duringLogout?: boolean } = {}): string | null {
    const session = this.sessionOf(agentId);
    if (!agentId || !session || session.channels.voice !== 'Ready') return null;
    // A call already on its way is delivered during a negotiated logout; nothing new is offered.
    if (session.logout && !opts.duringLogout) return null;
    // Predictive dials ahead for an agent still in After Call Work.
    const status = this.world.agents[agentId].status;
    if (status !== 'Ready' && !(opts.inWrapUp && status === 'AfterCallWork')) return null;
    return this.activeVoice(agentId).length === 0 ? agentId : null;
  }

  /**
   * The agents a call of a group may go to now, the one Ready longest first (then by id): the
   * people at desktops, never the simulated colleagues.
   */
  freeAgentsOf(groupId: string): string[] {
    return this.loggedInAgents()
      .filter((a) => a.groupId === groupId && this.agentFreeForVoice(a.id) === a.id)
      .sort((a, b) => (a.statusSince ?? 0) - (b.statusSince ?? 0) || (a.id < b.id ? -1 : 1))
      .map((a) => a.id);
  }

  /** Team Communicator: contacts whose name or number contains the query (see DirectorySearch). */
  searchContacts(query: string, limit = 20, q?: StoreReader): Promise<Contact[]> {
    return q ? this.directory.search(q, query, limit) : this.read((r) => this.directory.search(r, query, limit));
  }

  /** The records of one contact's chain, in chain order (in a transaction). */
  async chainOf(contactId: string): Promise<CallingListRecord[]> {
    return this.adopt(await this.db.records.ofContact(contactId));
  }

  /** Campaigns of the logged-in agent's group that agents see: Loaded (Active) and Started (Running). */
  /** The campaigns of the agent's group that are loaded: active, running, or stopped (until unloaded). */
  myCampaigns() {
    const me = this.world.session.agentId;
    if (!me) return [];
    const group = this.world.agents[me].groupId;
    return Object.values(this.world.campaigns).filter(
      (c) => c.groupId === group && (c.status === 'Loaded' || c.status === 'Started' || c.status === 'Stopped'),
    );
  }
}

/**
 * A state saved when one desktop owned the world kept its session (and its logout) in the
 * world's meta and its interactions without an agent: they become that agent's session and
 * interactions, as if it had logged in under the per-agent sessions.
 */
function adoptLegacySession(w: WorldState): void {
  const legacy = w.session as Session & { channels?: Session['channels'] };
  const agent = legacy.agentId ? w.agents[legacy.agentId] : undefined;
  if (agent && agent.session === undefined) {
    agent.session = { place: legacy.place ?? agent.place ?? '', channels: { ...LOGGED_OUT, ...legacy.channels }, loggedInAt: agent.loggedInAt ?? w.now, logout: w.dialer.logout ?? null };
  }
  if (legacy.agentId && !w.agents[legacy.agentId]?.session) w.session = { agentId: null, place: null, channels: { ...LOGGED_OUT } };
  w.dialer.logout = null;
  for (const it of Object.values(w.interactions)) if (it.agentId === undefined) it.agentId = legacy.agentId ?? null;
}

const LOGGED_OUT: Record<MediaChannel, ChannelState> = { voice: 'LoggedOut', chat: 'LoggedOut', email: 'LoggedOut', sms: 'LoggedOut' };

function collectionOf(kind: ConfigKind): 'agents' | 'campaigns' | 'services' {
  return kind === 'agent' ? 'agents' : kind === 'campaign' ? 'campaigns' : 'services';
}
