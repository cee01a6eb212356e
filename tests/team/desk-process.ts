import { performance } from 'node:perf_hooks';
import { DialingMode, type Interaction } from '../../src/engine/domain.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Result } from '../../src/engine/result.js';
import { dialPreview, endCall, quoteReschedule, requestPreviewRecord, setDisposition, setPendingReschedule } from '../../src/engine/outbound.js';
import { callWebCallback, createWebCallback } from '../../src/engine/web-callback.js';
import { ok } from '../../src/engine/result.js';
import { addAgent, defaultGroup } from '../../src/engine/team.js';
import { ClockDriver } from '../../src/runtime/clock-driver.js';
import { DeskHeartbeat, TeamRoles, loggedInElsewhere } from '../../src/runtime/team-roles.js';
import { openWorld, type OpenWorld } from '../../src/runtime/world-host.js';
import { thisProcess } from '../../src/store/processes.js';

/**
 * A desktop without its screen, in a process of its own: what src/runtime/desktop.ts runs beside
 * Ink (the world opened as a desktop opens it, following the host or hosting while none runs,
 * its heartbeat, its clock, another process's commits taken in), driven over IPC by the team's
 * tests (tests/team/team.ts) and by the load driver (bench/team-bench.ts). Every command is the
 * engine function a key of the desktop calls, so what is measured and checked is the desktop's
 * own path, one store connection (SQLite) or pool (PostgreSQL) per desk.
 *
 * One process may hold several desks (PostgreSQL only: better-sqlite3 blocks its thread while it
 * waits for another connection's lock, so two SQLite desks in one process would wait for each
 * other); each has its own engine and store.
 */

export interface DeskSpec {
  state: string;
  /** The agent the desktop starts as (--agent): logged in by `login`. */
  agent: string;
  /** `desktop`: hosts while no host runs, as every desktop does; `follower`: never hosts (a script's engine). */
  role: 'desktop' | 'follower';
  speed: number;
  /** The desktop's wait for another process's write lock (src/runtime/desktop.ts: 150 ms). */
  busyMs: number;
}

/** What an agent does for the load driver: one command every `everyMs`, for `forMs`. */
export interface WorkPlan {
  /** A Preview campaign to request records from when the desk is empty; null: calls come to the agent. */
  previewCampaign: string | null;
  everyMs: number;
  forMs: number;
  /** Of the calls finished with Done, the share that books a callback instead of a disposition. */
  callbackShare: number;
  /** Of the callbacks, the share that are personal. */
  personalShare: number;
  /** How far ahead (simulated ms) a callback is booked. */
  callbackInMs: [number, number];
  /** Of the steps with an empty desk, the share that go Not Ready for one step instead. */
  notReadyShare: number;
  /** Seed of the agent's own choices (not the world's). */
  seed: number;
}

/** One command of the desktop, as the load driver times it. */
export interface CommandSample {
  op: string;
  ms: number;
  ok: boolean;
  /** Attempts refused because another process held the write lock (the desktop says "try again"). */
  retries: number;
  at: number;
  error?: string;
}

/** A write the engine acknowledged: it must be in the store afterwards. */
export type Ack =
  | { kind: 'done'; interactionId: string; recordId: number; origin: string; disposition: string | null; at: number }
  | { kind: 'callback'; interactionId: string; recordId: number; origin: string; type: 'Personal' | 'Campaign'; owner: string | null; dueAt: number; at: number }
  | { kind: 'preview'; interactionId: string; recordId: number; at: number }
  | { kind: 'status'; status: string; at: number };

export interface WorkReport {
  agent: string;
  samples: CommandSample[];
  acks: Ack[];
  /** Interactions that reached this desk, as first seen (the host delivers some of them). */
  seen: { id: string; recordId: number | null; origin: string | null; kind: string; state: string; at: number }[];
}

export type Request =
  | { id: number; op: 'start'; desks: DeskSpec[] }
  | { id: number; op: 'login'; desk?: number; place: string }
  | { id: number; op: 'logout' | 'desk' | 'info' | 'sync' | 'stop' | 'stopWork'; desk?: number }
  | { id: number; op: 'status'; desk?: number; status: 'Ready' | 'NotReady' }
  | { id: number; op: 'preview'; desk?: number; campaign: string }
  | { id: number; op: 'dial' | 'end' | 'accept' | 'call'; desk?: number; interaction: string }
  | { id: number; op: 'done'; desk?: number; interaction: string; disposition?: string | null; callback?: { at: number; personal: boolean } }
  | { id: number; op: 'webCallback'; desk?: number; contact: string; from: number; till: number }
  | { id: number; op: 'work'; desk?: number; plan: WorkPlan }
  | { id: number; op: 'workAll'; plan: WorkPlan }
  | { id: number; op: 'addAgents'; desk?: number; agents: { id: string; name: string }[] };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type DeskEvent = { event: 'hosting'; desk: number; hosting: boolean; epoch: number; at: number };

/** An interaction as the tests read it off a desk. */
export interface DeskItem {
  id: string;
  state: string;
  kind: string;
  recordId: number | null;
  origin: string | null;
  agentId: string | null;
}

/** Another process holds the write lock: the desktop's words for it (engine.transactNow). */
const BUSY = /is busy \(another process is writing\)/;

class Desk {
  private clock!: ClockDriver;
  private roles: TeamRoles | null = null;
  private heartbeat!: DeskHeartbeat;
  private timers: NodeJS.Timeout[] = [];
  private unwatch: () => void = () => {};
  private world!: OpenWorld;
  /** Set by stopWork: the agent's work loop ends after the step under way. */
  stopWork = false;

  constructor(
    readonly index: number,
    readonly spec: DeskSpec,
  ) {}

  get engine(): Engine {
    return this.world.engine;
  }

  /** As src/cli.ts startDesktop then src/runtime/desktop.ts runDesktop, without the screen. */
  async start(): Promise<void> {
    const me = thisProcess();
    this.world = await openWorld({ seed: 1, state: this.spec.state }, Date.now, false);
    const { engine, store } = this.world;
    if (!Object.hasOwn(engine.state.agents, this.spec.agent)) throw new Error(`no agent ${this.spec.agent}`);
    const where = await loggedInElsewhere(engine, store, this.spec.agent, me, Date.now());
    if (where) {
      await store.close();
      throw new Error(where);
    }
    engine.resumeAs(this.spec.agent);
    store.setBusyTimeout(this.spec.busyMs);
    this.clock = new ClockDriver(engine, this.spec.speed, () => performance.now());
    if (this.spec.role === 'desktop') {
      this.roles = new TeamRoles({
        engine,
        store,
        me,
        role: 'desktop',
        realNow: Date.now,
        onHosting: (hosting, epoch) => send({ event: 'hosting', desk: this.index, hosting, epoch, at: Date.now() }),
      });
    }
    this.heartbeat = new DeskHeartbeat(engine, store, me, Date.now);
    this.clock.start();
    await this.heartbeat.beat();
    this.heartbeat.start();
    this.roles?.start();
    this.timers.push(
      setInterval(() => {
        if (engine.owner) void engine.commit().catch(() => {});
      }, 2000),
    );
    // Another process committed: take its changes in, as the desktop does.
    this.unwatch = store.watch(() => void engine.sync().catch(() => {}));
  }

  async stop(): Promise<void> {
    this.clock.stop();
    for (const t of this.timers) clearInterval(t);
    this.unwatch();
    if (this.engine.owner) await this.engine.commit().catch(() => {});
    await this.heartbeat.stop();
    await this.roles?.stop();
    await this.world.store.close();
  }

  /** As the desktop's login form: refused while the agent is at another live desktop. */
  async login(place: string): Promise<Result<void>> {
    const where = await loggedInElsewhere(this.engine, this.world.store, this.spec.agent, thisProcess(), Date.now());
    if (where) return { ok: false, error: where };
    const r = await this.engine.login(this.spec.agent, place, { takeOver: true });
    if (r.ok) await this.heartbeat.beat();
    return r;
  }

  /** The voice interactions on this agent's desk, latest first (what the interaction area lists). */
  desk(): DeskItem[] {
    return this.engine.openInteractions().map((it) => ({ id: it.id, state: it.state, kind: it.kind, recordId: it.recordId, origin: it.outbound?.origin ?? (it.web ? 'WebCallback' : null), agentId: it.agentId ?? null }));
  }

  info() {
    const e = this.engine;
    return { owner: e.owner, now: e.now, agentId: e.agentId, status: e.agentId ? e.state.agents[e.agentId].status : null, hostClock: e.hostClock, inFlight: e.state.dialer.inFlight };
  }

  /** Done as the toolbar does it: a disposition, or a callback set with the Reschedule form, then Done. */
  async done(id: string, disposition: string | null | undefined, callback?: { at: number; personal: boolean }): Promise<Result<string>> {
    const e = this.engine;
    if (callback) {
      const it = e.state.interactions[id];
      if (!it?.outbound) return { ok: false, error: `${id} is not an outbound call` };
      const q = await e.read((r) => quoteReschedule(e, r, { recordId: it.outbound!.recordId, when: { kind: 'instant', utc: callback.at }, personal: callback.personal, agentId: this.spec.agent, campaignId: it.campaignId ?? undefined }));
      if (!q.ok) return { ok: false, error: q.error.message };
      const set = await setPendingReschedule(e, id, q.value);
      if (!set.ok) return set;
    } else if (disposition !== undefined) {
      const set = await setDisposition(e, id, disposition);
      if (!set.ok) return set;
    }
    return e.markDone(id);
  }

  /** A web callback request made by a script beside the team (the host notifies it when due). */
  webCallback(contact: string, from: number, till: number): Promise<Result<Interaction>> {
    const e = this.engine;
    return e.run(async () => {
      const number = (await e.db.records.ofContact(contact))[0]?.contact_info ?? '+12125550100';
      return ok(await createWebCallback(e, contact, { from, till, to: number }, 'asked on the web page'));
    });
  }

  // ---- the load driver's agent -----------------------------------------------------------------

  /**
   * Works the desk as an agent does, one command every `everyMs`: an empty desk asks for a
   * Preview record (or waits for the dialer), a preview is dialed, a call that rings too long or
   * is answered is ended, an ended call is Done with a disposition or a callback; now and then a
   * status change. A command refused because the store was busy is tried again at once, as the
   * agent would press the key again: its time counts from the first press.
   */
  async work(plan: WorkPlan): Promise<WorkReport> {
    const e = this.engine;
    const report: WorkReport = { agent: this.spec.agent, samples: [], acks: [], seen: [] };
    const seen = new Set<string>();
    let rnd = plan.seed >>> 0 || 1;
    const next = () => {
      // xorshift32: the agent's own choices, apart from the world's randomness.
      rnd ^= rnd << 13;
      rnd >>>= 0;
      rnd ^= rnd >>> 17;
      rnd ^= rnd << 5;
      rnd >>>= 0;
      return rnd / 2 ** 32;
    };
    const timed = async <T>(op: string, run: () => Promise<Result<T>>): Promise<Result<T>> => {
      const t0 = performance.now();
      let retries = 0;
      for (;;) {
        const r = await run();
        if (!r.ok && BUSY.test(r.error) && performance.now() - t0 < 30_000) {
          retries++;
          continue;
        }
        report.samples.push({ op, ms: performance.now() - t0, ok: r.ok, retries, at: Date.now(), ...(r.ok ? {} : { error: r.error }) });
        return r;
      }
    };
    const dialingSteps = new Map<string, number>();
    // What a desktop does once its first frame is up (runtime/desktop.ts's warm-ups).
    await e.prepareZones();
    const end = Date.now() + plan.forMs;
    // Agents do not start in step: each waits a part of the interval first.
    await new Promise((r) => setTimeout(r, next() * plan.everyMs));
    let notReady = false;
    this.stopWork = false;
    while (Date.now() < end && !this.stopWork) {
      const stepStart = performance.now();
      for (const it of e.openInteractions()) {
        if (seen.has(it.id)) continue;
        seen.add(it.id);
        report.seen.push({ id: it.id, recordId: it.recordId, origin: it.outbound?.origin ?? (it.web ? 'WebCallback' : null), kind: it.kind, state: it.state, at: Date.now() });
      }
      const it = e.openInteractions().find((i) => i.channel === 'voice');
      if (notReady) {
        notReady = false;
        const r = await timed('status Ready', () => e.setStatus('Ready'));
        if (r.ok) report.acks.push({ kind: 'status', status: 'Ready', at: Date.now() });
      } else if (!it) {
        if (next() < plan.notReadyShare) {
          const r = await timed('status NotReady', () => e.setStatus('NotReady'));
          if (r.ok) {
            notReady = true;
            report.acks.push({ kind: 'status', status: 'NotReady', at: Date.now() });
          }
        } else if (plan.previewCampaign && e.state.campaigns[plan.previewCampaign]?.dialingMode === DialingMode.Preview) {
          const r = await timed('preview', () => requestPreviewRecord(e, plan.previewCampaign!));
          if (r.ok) report.acks.push({ kind: 'preview', interactionId: r.value.id, recordId: r.value.recordId!, at: Date.now() });
        }
      } else if (it.state === 'alerting') {
        await timed('accept', () => e.acceptInteraction(it.id));
      } else if (it.state === 'preview') {
        if (it.web) await timed('call', () => callWebCallback(e, it.id));
        else await timed('dial', () => dialPreview(e, it.id));
      } else if (it.state === 'dialing') {
        const n = (dialingSteps.get(it.id) ?? 0) + 1;
        dialingSteps.set(it.id, n);
        // Nobody answers after two looks: hang up (Dropped on No Answer).
        if (n >= 2) await timed('end', () => endCall(e, it.id));
      } else if (it.state === 'connected') {
        if (it.web) await timed('end', () => e.endInteraction(it.id));
        else await timed('end', () => endCall(e, it.id));
      } else if (it.state === 'ended') {
        if (it.outbound && next() < plan.callbackShare) {
          const personal = next() < plan.personalShare;
          const at = Math.ceil((e.now + plan.callbackInMs[0] + next() * (plan.callbackInMs[1] - plan.callbackInMs[0])) / 1000) * 1000;
          const r = await timed('done+callback', () => this.done(it.id, undefined, { at, personal }));
          if (r.ok) report.acks.push({ kind: 'callback', interactionId: it.id, recordId: it.outbound.recordId, origin: it.outbound.origin, type: personal ? 'Personal' : 'Campaign', owner: personal ? this.spec.agent : null, dueAt: at, at: Date.now() });
        } else {
          const codes = it.campaignId ? e.state.campaigns[it.campaignId]?.dispositionCodes ?? [] : [];
          const disposition = it.outbound && codes.length ? codes[Math.floor(next() * codes.length)].code : null;
          const r = await timed('done', () => this.done(it.id, it.outbound ? disposition : undefined));
          if (r.ok) report.acks.push({ kind: 'done', interactionId: it.id, recordId: it.recordId ?? -1, origin: it.outbound?.origin ?? 'WebCallback', disposition, at: Date.now() });
        }
      }
      const left = plan.everyMs - (performance.now() - stepStart);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
    return report;
  }
}

const desks: Desk[] = [];

function send(m: Reply | DeskEvent): void {
  process.send?.(m);
}

function deskOf(i = 0): Desk {
  const d = desks[i];
  if (!d) throw new Error(`no desk ${i}`);
  return d;
}

/** A command's result as the tests read it: the value, or the refusal's words. */
async function result<T>(r: Promise<Result<T>>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const got = await r;
  return got.ok ? { ok: true, value: got.value } : { ok: false, error: got.error };
}

async function handle(m: Request): Promise<unknown> {
  switch (m.op) {
    case 'start': {
      for (const spec of m.desks) {
        const d = new Desk(desks.length, spec);
        await d.start();
        desks.push(d);
      }
      return { pid: process.pid };
    }
    case 'login':
      return result(deskOf(m.desk).login(m.place));
    case 'logout':
      return result(deskOf(m.desk).engine.logout());
    case 'status':
      return result(deskOf(m.desk).engine.setStatus(m.status));
    case 'preview': {
      const r = await requestPreviewRecord(deskOf(m.desk).engine, m.campaign);
      return r.ok ? { ok: true, value: { id: r.value.id, recordId: r.value.recordId } } : r;
    }
    case 'dial':
      return result(dialPreview(deskOf(m.desk).engine, m.interaction));
    case 'end': {
      const e = deskOf(m.desk).engine;
      return result(e.state.interactions[m.interaction]?.outbound ? endCall(e, m.interaction) : e.endInteraction(m.interaction));
    }
    case 'accept':
      return result(deskOf(m.desk).engine.acceptInteraction(m.interaction));
    case 'call':
      return result(callWebCallback(deskOf(m.desk).engine, m.interaction));
    case 'done':
      return result(deskOf(m.desk).done(m.interaction, m.disposition, m.callback));
    case 'webCallback': {
      const r = await deskOf(m.desk).webCallback(m.contact, m.from, m.till);
      return r.ok ? { ok: true, value: { id: r.value.id } } : r;
    }
    case 'desk':
      return deskOf(m.desk).desk();
    case 'info':
      return deskOf(m.desk).info();
    case 'sync':
      return deskOf(m.desk).engine.sync();
    case 'work':
      return deskOf(m.desk).work(m.plan);
    case 'workAll':
      return Promise.all(desks.map((d, i) => d.work({ ...m.plan, seed: m.plan.seed + i })));
    case 'addAgents': {
      // As `agents add` does, for a training room of many at once (one process, not one each).
      const e = deskOf(m.desk).engine;
      const group = defaultGroup(e)!;
      for (const a of m.agents) {
        const r = await addAgent(e, { ...a, groupId: group });
        if (!r.ok) throw new Error(r.error);
      }
      return m.agents.length;
    }
    case 'stopWork':
      for (const d of desks) d.stopWork = true;
      return null;
    case 'stop':
      for (const d of desks) await d.stop();
      return null;
  }
}

process.on('message', (m: Request) => {
  handle(m).then(
    (value) => send({ id: m.id, ok: true, value }),
    (e: unknown) => send({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});

// The test or the bench went away: nothing here outlives it.
process.on('disconnect', () => process.exit(0));
