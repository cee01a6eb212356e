import type { Engine } from '../engine/engine.js';
import type { HostLease, ProcessRef, StorePort } from '../engine/store-port.js';
import { mayBeAlive, processAlive } from '../store/processes.js';

/**
 * The roles a process plays on a state a team shares (issue 20). One host at a time runs the
 * world's clock, dialer, simulated customers and colleagues and every timer: the process that
 * holds the lease in the store (`callback-desk host`, or a desktop while no host runs). Its
 * writes are fenced by the lease's epoch, so a host that was paused while another took over
 * writes nothing more. The others follow: a desktop takes in the host's changes and shows its
 * clock. When the host dies, whoever asks next takes over within about two seconds.
 */

/** How often the lease is asked for (not hosting) or renewed (hosting). */
export const LEASE_EVERY_MS = 250;
/** A lease not renewed for this long is free (its holder is paused or gone). */
export const LEASE_STALE_MS = 1500;
/**
 * A desktop leaves a lease that was renewed this recently alone, even when its holder is gone,
 * so a `callback-desk host` waiting beside it takes over first (it asks as soon as the holder's
 * process is gone); with no host waiting, a desktop takes over this much later.
 */
export const DESKTOP_DEFERS_MS = 750;
/**
 * A desktop of this machine whose process still runs is given this long before it is taken for
 * gone: its beats wait for the store's write lock (on SQLite a million-row import holds it for
 * most of a minute), so a late beat there says the store was busy, not that the desktop died.
 */
export const DESK_HUNG_MS = 120_000;
/** A desktop says it is alive this often. */
export const HEARTBEAT_EVERY_MS = 1000;
/** A desktop silent for this long is gone: the host gives back its work and logs its agent out. */
export const DESK_DEAD_MS = 10_000;

export interface TeamRolesOptions {
  engine: Engine;
  store: StorePort;
  me: ProcessRef;
  /** `host`: a host with no screen; `desktop`: a desktop that hosts only while no host runs. */
  role: HostLease['role'];
  /** The real clock, ms (Date.now): leases and heartbeats are in real time. */
  realNow: () => number;
  /** Told when this process starts or stops hosting (a notice, a log line). */
  onHosting?: (hosting: boolean, epoch: number) => void;
}

export class TeamRoles {
  private epoch: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private stopped = false;
  /** The look under way, which stop() waits for (a lease it takes is then given up). */
  private looking: Promise<void> = Promise.resolve();
  private lastDeadCheck = 0;

  constructor(private readonly o: TeamRolesOptions) {}

  get hosting(): boolean {
    return this.epoch !== null;
  }

  start(): void {
    if (this.stopped) return;
    void this.step();
    this.timer = setInterval(() => void this.step(), LEASE_EVERY_MS);
  }

  /** One look at the lease: take it when free, renew it when held, give up hosting when lost. */
  async step(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    this.looking = this.look();
    await this.looking;
  }

  private async look(): Promise<void> {
    try {
      const { store, engine, realNow } = this.o;
      const now = realNow();
      if (this.epoch === null) {
        if (this.o.role === 'desktop') {
          // One read answers most asks (the lease is renewed four times a second).
          const held = await store.team.host();
          if (held && now - held.heartbeatAt < DESKTOP_DEFERS_MS && !(held.host === this.o.me.host && held.pid === this.o.me.pid)) return;
        }
        const epoch = await store.team.acquireHost({ ...this.o.me, role: this.o.role }, now, LEASE_STALE_MS);
        if (epoch !== null) {
          this.epoch = epoch;
          await engine.becomeHost(async (tx) => (await tx.hostEpoch()) === epoch);
          this.o.onHosting?.(true, epoch);
        }
      } else if (!engine.owner || !(await store.team.renewHost(this.epoch, now))) {
        const lost = this.epoch;
        this.epoch = null;
        engine.stopHosting();
        this.o.onHosting?.(false, lost);
      } else if (now - this.lastDeadCheck >= HEARTBEAT_EVERY_MS) {
        this.lastDeadCheck = now;
        await this.giveBackDeadDesks(now);
      }
    } catch {
      // The store is busy or unreachable: the next look tries again (a lease not renewed in
      // time is lost, and the engine's fence stops its writes).
    } finally {
      this.busy = false;
    }
  }

  /** Agents logged in whose desktop stopped beating: their work goes back, their session ends. */
  private async giveBackDeadDesks(now: number): Promise<void> {
    const { store, engine } = this.o;
    const beats = new Map((await store.team.heartbeats()).map((b) => [b.agentId, b]));
    for (const a of engine.loggedInAgents()) {
      const b = beats.get(a.id);
      // A session with no beat at all was made by a single desktop before heartbeats: its
      // desktop is this one or none; only a beat that stopped says a desktop is gone.
      if (!b || !deskGone(b, this.o.me, now)) continue;
      await engine.abandonDesk(a.id);
      await store.team.forget(a.id);
    }
  }

  /**
   * Stops asking; a host gives its lease up so the next process takes over at once. A look
   * under way is waited for: a lease it takes after this was asked is given up too, and no timer
   * is left to keep the process alive (a desktop quit right after its first frame hung).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.looking;
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch !== null) {
      this.o.engine.stopHosting();
      await this.o.store.team.releaseHost(epoch).catch(() => {});
    }
  }
}

/** A desktop's heartbeat for the agent logged in at it (stops when nobody is). */
export class DeskHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly engine: Engine,
    private readonly store: StorePort,
    private readonly me: ProcessRef,
    private readonly realNow: () => number,
  ) {
    this.startedAt = realNow();
  }

  start(): void {
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
  }

  async beat(): Promise<void> {
    const agent = this.engine.agentId;
    if (!agent) return;
    await this.store.team.beat(agent, this.me, this.startedAt, this.realNow()).catch(() => {});
  }

  /** Stops beating; the agent's session stays (the next start resumes it), claimed by no live desktop. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const agent = this.engine.agentId;
    if (agent) await this.store.team.forget(agent, this.me).catch(() => {});
  }
}

/**
 * Whether the desktop that beat `b` is gone: silent for DESK_DEAD_MS, unless it is this very
 * process (alive, its beats held back by a busy store) or a process of this machine that still
 * runs (then DESK_HUNG_MS). A desktop of another machine has only its beat to say so.
 */
export function deskGone(b: { host: string; pid: number; beatAt: number }, me: ProcessRef, now: number): boolean {
  const silent = now - b.beatAt;
  if (silent < DESK_DEAD_MS) return false;
  if (b.host === me.host && b.pid === me.pid) return false;
  if (b.host === me.host && processAlive(b.pid)) return silent >= DESK_HUNG_MS;
  return true;
}

/**
 * Where an agent is logged in at another desktop that is alive (its heartbeat is recent), in
 * words for a refusal; null when the agent is free to log in here (a session whose desktop went
 * away is taken over).
 */
export async function loggedInElsewhere(engine: Engine, store: StorePort, agentId: string, me: ProcessRef, now: number): Promise<string | null> {
  const session = engine.sessionOf(agentId);
  if (!session) return null;
  const beat = (await store.team.heartbeats()).find((b) => b.agentId === agentId);
  // A beat of this desktop, a silent one, or one whose process on this machine is gone (a
  // desktop that quit or was killed moments ago) claims nothing.
  if (!beat || now - beat.beatAt >= DESK_DEAD_MS || (beat.host === me.host && beat.pid === me.pid) || !mayBeAlive(beat)) return null;
  return `${agentId} is logged in at ${session.place} (the desktop of pid ${beat.pid} on ${beat.host}); log out there, or use --agent for another agent`;
}
