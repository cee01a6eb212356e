import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { BIN } from '../helpers/bin.js';
import type { StateBackend } from '../helpers/pg-state-backends.js';
import type { CallLogEntry } from '../../src/engine/domain.js';
import type { DeskEvent, DeskItem, DeskSpec, Reply, Request, WorkPlan, WorkReport } from './desk-process.js';

/**
 * A team on one state, in real processes: `callback-desk host` (the bin), desktops without their
 * screen (tests/team/desk-process.ts, one process each), and the bin's scripting commands; and
 * what the tests read of the state from outside (the lease, the rows), on SQLite and PostgreSQL.
 */

/** Where the team's world starts: 10:00 in New York on a Tuesday, inside most contact hours. */
export const TEAM_NOW = '2026-11-24T15:00:00Z';
export const TEAM_NOW_MS = Date.parse(TEAM_NOW);

let bundled: Promise<string> | undefined;

/** The desk process, bundled once per test process (better-sqlite3 stays the installed module). */
export function deskBundle(outDir?: string): Promise<string> {
  bundled ??= (async () => {
    const dir = outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-team-desk-'));
    if (!outDir) process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'desk-process.mjs');
    // The packages the bin leaves outside its bundle (a native addon, data read by path) are
    // found where they are installed.
    if (!fs.existsSync(path.join(dir, 'node_modules'))) fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    await build({
      entryPoints: [path.resolve('tests/team/desk-process.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      external: ['better-sqlite3', 'moment-timezone', 'chrono-node', 'libphonenumber-js'],
    });
    return outfile;
  })();
  return bundled;
}

/** Waits until `check` answers something truthy (polling every 50 ms), or fails naming `what`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Another process held the write lock: the desktop's words for it (engine.transactNow). */
const BUSY = /is busy \(another process is writing\)/;

type Asked = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/** A desktop without its screen, in its own process. */
export class DeskProcess {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly events: DeskEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private gone = false;

  private constructor(
    readonly child: ChildProcess,
    readonly agent: string,
  ) {
    child.on('message', (m: Reply | DeskEvent) => {
      if ('event' in m) {
        this.events.push(m);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.gone = true;
        for (const p of this.pending.values()) p.reject(new Error(`the desk of ${agent} ended (${signal ?? `exit ${code}`})`));
        this.pending.clear();
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts a desk process for `agent` (no login yet: the login form is up). */
  static async start(spec: Partial<DeskSpec> & { state: string; agent: string }, bundle?: string): Promise<DeskProcess> {
    const child = fork(bundle ?? (await deskBundle()), [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const d = new DeskProcess(child, spec.agent);
    try {
      await d.ask({ op: 'start', desks: [{ role: 'desktop', speed: 1, busyMs: 150, ...spec }] });
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    return d;
  }

  /** Starts one process holding several desks (PostgreSQL only: see desk-process.ts). */
  static async startMany(specs: DeskSpec[], bundle: string): Promise<DeskProcess> {
    const child = fork(bundle, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const d = new DeskProcess(child, specs.map((s) => s.agent).join(','));
    try {
      await d.ask({ op: 'start', desks: specs });
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    return d;
  }

  ask(r: Asked): Promise<unknown> {
    if (this.gone) return Promise.reject(new Error(`the desk of ${this.agent} has ended`));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...r, id } as Request);
    });
  }

  /**
   * A command as the agent gives it: refused because another process held the write lock
   * ("busy; try again"), it is given again, as the agent presses the key again.
   */
  private async asAgent<T>(r: Asked): Promise<Answer<T>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const got = (await this.ask(r)) as Answer<T>;
      if (got.ok || !BUSY.test(got.error) || Date.now() > deadline) return got;
      this.busyRefusals++;
    }
  }

  /** Commands refused as busy and given again (see asAgent). */
  busyRefusals = 0;

  /** Logs the desk's agent in (`desk`: which desk of a process holding several). */
  login(place = `Place_${this.pid}`, desk?: number): Promise<Answer<void>> {
    return this.asAgent({ op: 'login', place, desk });
  }

  preview(campaign: string): Promise<Answer<{ id: string; recordId: number }>> {
    return this.asAgent({ op: 'preview', campaign });
  }

  command(op: 'dial' | 'end' | 'accept' | 'call', interaction: string): Promise<Answer<void>> {
    return this.asAgent({ op, interaction });
  }

  done(interaction: string, o: { disposition?: string | null; callback?: { at: number; personal: boolean } } = {}): Promise<Answer<string>> {
    return this.asAgent({ op: 'done', interaction, ...o });
  }

  status(status: 'Ready' | 'NotReady'): Promise<Answer<void>> {
    return this.asAgent({ op: 'status', status });
  }

  logout(): Promise<Answer<void>> {
    return this.asAgent({ op: 'logout' });
  }

  desk(): Promise<DeskItem[]> {
    return this.ask({ op: 'desk' }) as Promise<DeskItem[]>;
  }

  info(): Promise<{ owner: boolean; now: number; agentId: string | null; status: string | null; hostClock: { now: number; realAt: number; speed: number } | null; inFlight: { recordId: number; agentId: string }[] }> {
    return this.ask({ op: 'info' }) as never;
  }

  work(plan: WorkPlan): Promise<WorkReport> {
    return this.ask({ op: 'work', plan }) as Promise<WorkReport>;
  }

  /** Ends the work loops of this process after their step under way (work resolves then). */
  async stopWork(): Promise<void> {
    await this.ask({ op: 'stopWork' });
  }

  workAll(plan: WorkPlan): Promise<WorkReport[]> {
    return this.ask({ op: 'workAll', plan }) as Promise<WorkReport[]>;
  }

  /** Quits as the desktop does (q): the lease given up, the store closed. */
  async stop(): Promise<void> {
    if (this.gone) return;
    await this.ask({ op: 'stop' }).catch(() => {});
    this.child.disconnect();
    await this.exited;
  }

  /** The desktop dies: no quit, no clean-up. */
  async kill(): Promise<void> {
    if (this.gone) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** `callback-desk host --state S`: its lines as they come. */
export class HostProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private gone = false;

  constructor(
    readonly state: string,
    speed = 1,
  ) {
    this.child = spawn(process.execPath, [BIN, 'host', '--state', state, '--speed', String(speed)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: 'false' } });
    for (const s of [this.child.stdout!, this.child.stderr!]) readline.createInterface({ input: s }).on('line', (l) => this.lines.push(l));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.gone = true;
        resolve({ code, signal });
      }),
    );
  }

  readonly child: ChildProcess;

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first line matching `re` (waiting for it). */
  line(re: RegExp, timeoutMs = 30_000): Promise<string> {
    return waitFor(`a line of host pid ${this.pid} matching ${re} (it said: ${JSON.stringify(this.lines)})`, () => this.lines.find((l) => re.test(l)), timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.gone) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  async kill(): Promise<void> {
    if (this.gone) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Runs the bin with no terminal; its output, exit code and the time it took. */
export function bin(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: 'false' }, timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** A new state (file or database) holding the demo world, its clock at TEAM_NOW. */
export async function teamState(backend: StateBackend, label: string): Promise<string> {
  const state = await backend.fresh(label);
  const r = bin(['agents', 'list', '--state', state, '--now', TEAM_NOW, '--json']);
  if (r.status !== 0) throw new Error(`agents list on a new state failed: ${r.stderr}`);
  return state;
}

export interface LeaseRow {
  epoch: number;
  pid: number;
  role: string;
  heartbeat_at: number;
}

/** The host lease as the store holds it (null before anyone hosted). */
export async function leaseOf(backend: StateBackend, state: string): Promise<LeaseRow | null> {
  const rows = (await backend.rows(state, { tables: ['host_lease'] })).host_lease as Record<string, unknown>[];
  const r = rows[0];
  return r ? { epoch: Number(r.epoch), pid: Number(r.pid), role: String(r.role), heartbeat_at: Number(r.heartbeat_at) } : null;
}

/** The world's saved clock and dialer (meta: world, clock). */
export async function worldMetaOf(backend: StateBackend, state: string): Promise<{ now: number; dialer: { inFlight: { id: number; recordId: number; agentId: string }[]; nextCallId: number }; clock: { now: number; realAt: number; speed: number } | null }> {
  const rows = (await backend.rows(state, { tables: ['meta'] })).meta as { key: string; value: string }[];
  const world = JSON.parse(rows.find((r) => r.key === 'world')!.value);
  const clock = rows.find((r) => r.key === 'clock');
  return { now: world.now, dialer: world.dialer, clock: clock ? JSON.parse(clock.value) : null };
}

/** Every interaction of the state (live and done), parsed. */
export async function interactionsOf(backend: StateBackend, state: string): Promise<import('../../src/engine/domain.js').Interaction[]> {
  const rows = (await backend.rows(state, { tables: ['interaction'] })).interaction as { body: string }[];
  return rows.map((r) => JSON.parse(r.body));
}

export interface RecordRow {
  record_id: number;
  record_type: number;
  record_status: number;
  attempt: number;
  agent_id: string | null;
  campaign_id: string;
  dial_sched_time: number | null;
  disposition: string | null;
  tz: string;
  daily_from: number;
  daily_till: number;
}

/** Every calling-list record of the state, by record_id. */
export async function recordsOf(backend: StateBackend, state: string): Promise<Map<number, RecordRow>> {
  const rows = (await backend.rows(state, { tables: ['calling_list'] })).calling_list as Record<string, unknown>[];
  return new Map(
    rows.map((r) => {
      const row = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^(record_id|record_type|record_status|attempt|dial_sched_time|daily_from|daily_till)$/.test(k) ? Number(v) : v])) as unknown as RecordRow;
      return [Number(row.record_id), row];
    }),
  );
}

export interface MessageRow {
  id: string;
  agent_id: string;
  kind: string;
  subject: string;
  body: string;
}

export async function messagesOf(backend: StateBackend, state: string): Promise<MessageRow[]> {
  return (await backend.rows(state, { tables: ['message'] })).message as MessageRow[];
}

/** The agents as the store holds them (entity rows). */
export async function agentsOf(backend: StateBackend, state: string): Promise<Map<string, { id: string; status: string; session: { place: string } | null; simulated: boolean }>> {
  const rows = (await backend.rows(state, { tables: ['entity'] })).entity as { kind: string; id: string; body: string }[];
  return new Map(rows.filter((r) => r.kind === 'agent').map((r) => [r.id, JSON.parse(r.body)]));
}

/** Runs the bin without waiting on the event loop (several scripts beside the team at once). */
export function binAsync(args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: 'false' } });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('close', (status) => resolve({ stdout, stderr, status }));
  });
}

/** Runs the bin and fails the test, with what it said, unless it exits 0. */
export async function binOk(args: string[]): Promise<string> {
  const r = await binAsync(args);
  if (r.status !== 0) throw new Error(`callback-desk ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The call log as the store holds it, in call_id order (PostgreSQL's bigints parsed). */
export async function callLogOf(backend: StateBackend, state: string): Promise<CallLogEntry[]> {
  const rows = (await backend.rows(state, { tables: ['call_log'] })).call_log as Record<string, unknown>[];
  const times = ['seq', 'record_id', 'started_at', 'delivered_at', 'dialled_at', 'connected_at', 'ended_at', 'call_result', 'rescheduled_at'];
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, times.includes(k) && v !== null ? Number(v) : v])) as unknown as CallLogEntry);
}

/** The world's simulated instant now, as the host's saved clock runs it on (real time × speed). */
export async function hostNowOf(backend: StateBackend, state: string): Promise<number> {
  const { now, clock } = await worldMetaOf(backend, state);
  return clock ? Math.round(clock.now + (Date.now() - clock.realAt) * clock.speed) : now;
}

export const placeOf = (agent: string) => `Place_${agent}`;

/** The processes a test started, ended (SIGKILL) whatever happened to the test. */
export class Team {
  readonly hosts: HostProcess[] = [];
  readonly desks: DeskProcess[] = [];

  host(state: string, speed = 1): HostProcess {
    const h = new HostProcess(state, speed);
    this.hosts.push(h);
    return h;
  }

  async deskStarted(state: string, agent: string, spec: Partial<DeskSpec> = {}): Promise<DeskProcess> {
    const d = await DeskProcess.start({ state, agent, ...spec });
    this.desks.push(d);
    return d;
  }

  async loggedIn(state: string, agents: string[], spec: Partial<DeskSpec> = {}): Promise<DeskProcess[]> {
    const desks = await Promise.all(agents.map((agent) => this.deskStarted(state, agent, spec)));
    for (const d of desks) {
      const r = await d.login(placeOf(d.agent));
      if (!r.ok) throw new Error(`${d.agent} could not log in: ${r.error}`);
    }
    return desks;
  }

  /** Quits every desk and host that still runs (the desks first: nothing is left hosted). */
  async stop(): Promise<void> {
    await Promise.all(this.desks.map((d) => d.stop().catch(() => d.kill())));
    await Promise.all(this.hosts.map((h) => h.stop()));
  }

  async kill(): Promise<void> {
    await Promise.all([...this.desks, ...this.hosts].map((p) => p.kill()));
  }
}

/** The records of a campaign a script can book callbacks on: General, Ready, inside contact hours for a while. */
export async function callableRecords(backend: StateBackend, state: string, campaign: string, at: number): Promise<RecordRow[]> {
  const sod = (tz: string, t: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  };
  return [...(await recordsOf(backend, state)).values()]
    // Open for the next hour at least, so a callback due soon is never held for contact hours.
    .filter((r) => r.campaign_id === campaign && r.record_type === 2 && r.record_status === 1 && sod(r.tz, at) >= Number(r.daily_from) && sod(r.tz, at) + 3600 < Number(r.daily_till))
    .sort((a, b) => b.record_id - a.record_id);
}

/** The instant as callbacks add --at reads it exactly: ISO-8601 in UTC with seconds. */
export const isoAt = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');


/**
 * Books a callback as a script beside the team does (`callbacks add`), due at `at`; when the
 * script started so late on a loaded machine that `at` has passed (refused: "is now", "in the
 * past"), at the host's now plus `marginMs` instead. Returns the due instant booked (ms).
 */
export async function bookCallback(backend: StateBackend, state: string, o: { record: number; at: number; personal?: string; marginMs?: number }): Promise<number> {
  let at = o.at;
  for (let tries = 0; ; tries++) {
    const how = o.personal ? ['--personal', '--agent', o.personal] : ['--campaign'];
    const r = await binAsync(['callbacks', 'add', '--state', state, '--record', String(o.record), '--at', isoAt(at), '--json', ...how]);
    if (r.status === 0) return (JSON.parse(r.stdout) as { dial_sched_time: number }).dial_sched_time * 1000;
    if (!/is now|is in the past/.test(r.stderr) || tries > 5) throw new Error(`callbacks add --record ${o.record} exited ${r.status}: ${r.stderr}`);
    at = (await hostNowOf(backend, state)) + (o.marginMs ?? 3000);
  }
}
