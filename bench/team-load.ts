import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Ack, CommandSample, DeskSpec, WorkPlan, WorkReport } from '../tests/team/desk-process.js';
import { DeskProcess, HostProcess, TEAM_NOW, deskBundle, waitFor } from '../tests/team/team.js';
import { startPgServer, type PgServer } from '../tests/helpers/pg-server.js';
import { callIdOf, type Interaction } from '../src/engine/domain.js';

/**
 * The team load figure of issue 20: a host (and a second one waiting) and N agents, each in a
 * desk process running the engine's real command path on a store connection of its own (SQLite:
 * one process per agent; PostgreSQL: ten agents a process, each with its own pool), each giving
 * a command every 3 s: a Preview record asked for, dialled, hung up, Done with a disposition or
 * a callback (personal or campaign), status changes, the dialers' calls answered. Half way, the
 * host is SIGKILLed and the waiting one takes over. Afterwards, from the store: every write the
 * engine acknowledged is there, no callback was delivered twice, every personal callback went
 * to its owner.
 */

export interface TeamLoadResult {
  backend: 'sqlite' | 'postgres';
  agents: number;
  seconds: number;
  commands: number;
  refused: number;
  /** What the refused commands said, each once (the first few). */
  refusedWhy: string[];
  busyRetries: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  slowest: string;
  acked: number;
  ackedMissing: string[];
  callbacksBooked: number;
  callbacksDelivered: number;
  deliveredTwice: string[];
  wrongOwner: string[];
  failoverMs: number;
  /** Why failoverMs is not a figure, when it is not. */
  failoverNote: string;
}

const DEMO_AGENTS = ['a.lopez', 'b.okafor', 'c.tanaka', 'd.murphy', 'e.silva', 'f.haddad', 'g.nguyen', 'h.patel', 'i.rossi', 'j.chen', 'k.walker', 'l.schmidt', 'm.thapa'];

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);

function bin(args: string[]): string {
  return execFileSync(process.execPath, ['bin/callback-desk.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Rows of a table of the state, as the driver reads them. */
type Rows = (table: string, where?: string) => Promise<Record<string, unknown>[]>;

export async function teamLoad(o: { backend: 'sqlite' | 'postgres'; agents: number; seconds: number; dir: string; pgServer?: PgServer; log?: (s: string) => void }): Promise<TeamLoadResult> {
  const log = o.log ?? (() => {});
  let state: string;
  let rows: Rows;
  let closeRows = async () => {};
  if (o.backend === 'sqlite') {
    state = path.join(o.dir, `team-${o.agents}.db`);
    rows = async (table, where = '') => {
      const db = new Database(state, { readonly: true });
      try {
        return db.prepare(`SELECT * FROM ${table} ${where}`).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    };
  } else {
    const name = `cbd_team_${o.agents}_${process.pid}`;
    const admin = new pg.Client({ connectionString: o.pgServer!.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    state = o.pgServer!.url.replace(/\/postgres$/, `/${name}`);
    const client = new pg.Client({ connectionString: state });
    let connected = false;
    rows = async (table, where = '') => {
      if (!connected) await client.connect();
      connected = true;
      return (await client.query(`SELECT * FROM ${table} ${where}`)).rows;
    };
    closeRows = async () => void (connected && (await client.end()));
  }
  // The demo world, with a calling list of Preview records large enough for everyone's run.
  bin(['agents', 'list', '--state', state, '--now', TEAM_NOW]);
  const csv = bin(['records', 'export', '--state', state, '--campaign', 'care-follow-up']).trim().split('\n');
  const [head, ...body] = csv;
  const cols = head.split(',');
  const chain = cols.indexOf('chain_id');
  const copies = Math.ceil((o.agents * o.seconds) / 3 / 3 / body.length) + 1;
  const more = [head];
  for (let k = 1; k <= copies; k++) for (const line of body) more.push(line.split(',').map((v, i) => (i === chain ? String(Number(v) + k * 100_000) : v)).join(','));
  const csvFile = path.join(o.dir, `more-${o.backend}.csv`);
  fs.writeFileSync(csvFile, `${more.join('\n')}\n`);
  bin(['records', 'import', csvFile, '--state', state, '--campaign', 'care-follow-up', '--new-ids']);
  // The agents of a training room beside the demo's.
  const ids = [...DEMO_AGENTS, ...Array.from({ length: Math.max(0, o.agents - DEMO_AGENTS.length) }, (_, i) => `t${String(i + 1).padStart(3, '0')}`)].slice(0, o.agents);
  const adder = await DeskProcess.start({ state, agent: 'a.lopez', role: 'follower' });
  await adder.ask({ op: 'addAgents', agents: ids.filter((id) => !DEMO_AGENTS.includes(id)).map((id) => ({ id, name: `Trainee ${id}` })) });
  await adder.stop();

  const hostA = new HostProcess(state, 1);
  await hostA.line(/^hosting/, 60_000);
  const hostB = new HostProcess(state, 1);
  await hostB.line(/^waiting/, 60_000);
  log(`  ${o.backend}: starting ${o.agents} agents`);
  // SQLite: one process per agent (better-sqlite3 blocks its thread while it waits for the lock);
  // PostgreSQL: ten agents a process, each with its own engine and pool.
  const perProcess = o.backend === 'sqlite' ? 1 : 10;
  const bundle = await deskBundle();
  const procs: { d: DeskProcess; agents: string[] }[] = [];
  for (let i = 0; i < ids.length; i += perProcess * 4) {
    const batch = [];
    for (let j = i; j < Math.min(ids.length, i + perProcess * 4); j += perProcess) {
      const agents = ids.slice(j, j + perProcess);
      const specs: DeskSpec[] = agents.map((agent) => ({ state, agent, role: 'desktop', speed: 1, busyMs: 150 }));
      batch.push(DeskProcess.startMany(specs, bundle).then((d) => ({ d, agents })));
    }
    procs.push(...(await Promise.all(batch)));
  }
  for (const { d, agents } of procs) {
    for (const [k, agent] of agents.entries()) {
      const r = await d.login(`Place_${agent}`, k);
      if (!r.ok) throw new Error(`${agent} could not log in: ${r.error}`);
    }
  }
  log(`  ${o.backend}: ${o.agents} agents logged in; working ${o.seconds} s`);
  const plan: WorkPlan = { previewCampaign: 'care-follow-up', everyMs: 3000, forMs: o.seconds * 1000, callbackShare: 0.3, personalShare: 0.5, callbackInMs: [20_000, 60_000], notReadyShare: 0.05, seed: 11 };
  const working = Promise.all(procs.map(({ d }, i) => d.workAll({ ...plan, seed: plan.seed + i * 100 })));
  working.catch(() => {});

  // Half way, the host dies; the waiting host takes over.
  await new Promise((r) => setTimeout(r, (o.seconds * 1000) / 2));
  // Whichever host holds the lease now (a host starved of the lock may have lost it already).
  const lease = (await rows('host_lease'))[0];
  const epoch = Number(lease.epoch);
  const holder = [hostA, hostB].find((h) => h.pid === Number(lease.pid));
  // A host starved of the write lock past LEASE_STALE_MS loses the lease to a desktop: then
  // there is no host to kill, and the figure says so rather than timing a takeover that cannot come.
  const failoverNote = holder ? '' : `the lease was held by a desktop (pid ${String(lease.pid)}), not a host: the hosts had lost it to lock waits`;
  const killedAt = Date.now();
  await (holder ?? hostA).kill();
  const failoverMs = holder ? await waitFor('another process to take the lease over', async () => (Number((await rows('host_lease'))[0].epoch) > epoch ? Date.now() - killedAt : null), 120_000, 20).catch(() => NaN) : NaN;

  const reports: WorkReport[] = (await working).flat();
  // Callbacks due before the end are delivered within a few seconds of it.
  await new Promise((r) => setTimeout(r, 5000));
  await Promise.all(procs.map(({ d }) => d.stop()));
  for (const h of [hostA, hostB]) if (h !== (holder ?? hostA)) await h.stop();

  const samples: CommandSample[] = reports.flatMap((r) => r.samples);
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const slow = samples.reduce((a, b) => (b.ms > a.ms ? b : a), samples[0]);
  const acks: (Ack & { agent: string })[] = reports.flatMap((r) => r.acks.map((a) => ({ ...a, agent: r.agent })));

  // Every acknowledged write is there: each Done's interaction done, each preview and each
  // callback set in the call log under its interaction's call id.
  const calls = new Map((await rows('call_log')).map((r) => [String(r.call_id), r]));
  const interactions = new Map((await rows('interaction')).map((r) => [String(r.id), JSON.parse(String(r.body)) as Pick<Interaction, 'id' | 'state' | 'outbound'>]));
  // A call's row is under its call id: the interaction's own for a call begun at a desk, the
  // dialer's (D17) for a line the dialer connected to the agent (engine/call-log.ts).
  const callOf = (interactionId: string) => {
    const it = interactions.get(interactionId);
    return calls.get(it ? callIdOf(it as Interaction) : interactionId);
  };
  const missing: string[] = [];
  for (const a of acks) {
    if (a.kind === 'preview' && !callOf(a.interactionId)?.delivered_at) missing.push(`preview ${a.interactionId}`);
    if (a.kind === 'done' && interactions.get(a.interactionId)?.state !== 'done') missing.push(`done ${a.interactionId}`);
    if (a.kind === 'callback' && (interactions.get(a.interactionId)?.state !== 'done' || !callOf(a.interactionId)?.rescheduled_at)) {
      // Why, as the store has it: the interaction's state and the call log's row.
      const row = callOf(a.interactionId);
      missing.push(`callback set on ${a.interactionId} by ${a.agent} (interaction ${interactions.get(a.interactionId)?.state ?? 'absent'}; call log ${row ? `agent ${String(row.agent_id)}, rescheduled_at ${String(row.rescheduled_at)}, ended_at ${String(row.ended_at)}` : 'absent'})`);
    }
  }
  // Each callback delivered at most once for its booking; a personal one only to its owner.
  const booked = acks.filter((a): a is Extract<Ack, { kind: 'callback' }> & { agent: string } => a.kind === 'callback');
  const deliveries = [...calls.values()].filter((r) => r.delivered_at !== null && (r.mode === 'Personal Callback' || r.mode === 'Campaign Callback'));
  const twice: string[] = [];
  const wrongOwner: string[] = [];
  let delivered = 0;
  for (const b of booked) {
    // The deliveries of this booking: of its record, after it was booked (the next booking on
    // the same record, if any, starts later).
    const later = booked.filter((x) => x.recordId === b.recordId && x.dueAt > b.dueAt).map((x) => x.dueAt);
    const until = later.length ? Math.min(...later) : Infinity;
    const mine = deliveries.filter((r) => Number(r.record_id) === b.recordId && Number(r.delivered_at) >= b.dueAt && Number(r.delivered_at) < until && r.mode === `${b.type} Callback`);
    if (mine.length > 0) delivered++;
    if (mine.length > 1) twice.push(`record ${b.recordId} due ${new Date(b.dueAt).toISOString()}: ${mine.map((r) => r.call_id).join(', ')}`);
    if (b.type === 'Personal') for (const r of mine) if (r.agent_id !== b.owner) wrongOwner.push(`record ${b.recordId}: ${r.agent_id}, not ${b.owner}`);
  }
  await closeRows();
  return {
    backend: o.backend,
    agents: o.agents,
    seconds: o.seconds,
    commands: samples.length,
    refused: samples.filter((s) => !s.ok).length,
    refusedWhy: [...new Set(samples.filter((s) => !s.ok).map((s) => `${s.op}: ${s.error}`))].slice(0, 3),
    busyRetries: samples.reduce((n, s) => n + s.retries, 0),
    p50: pct(ms, 0.5),
    p95: pct(ms, 0.95),
    p99: pct(ms, 0.99),
    max: ms[ms.length - 1] ?? NaN,
    slowest: slow ? `${slow.op} ${slow.ms.toFixed(0)} ms, ${slow.retries} retries` : '-',
    acked: acks.filter((a) => a.kind !== 'status').length,
    ackedMissing: missing,
    callbacksBooked: booked.length,
    callbacksDelivered: delivered,
    deliveredTwice: twice,
    wrongOwner,
    failoverMs,
    failoverNote,
  };
}

/** Both figures, side by side: SQLite with 30 agents, PostgreSQL with 200. */
export async function teamLoadFigures(seconds: number, log: (s: string) => void = console.log): Promise<TeamLoadResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-team-load-'));
  const out: TeamLoadResult[] = [];
  try {
    out.push(await teamLoad({ backend: 'sqlite', agents: Number(process.env.CALLBACK_DESK_BENCH_TEAM_SQLITE_AGENTS ?? 30), seconds, dir, log }));
    // Each agent holds a pool and a LISTEN connection: more than the test server's 300.
    const server = await startPgServer({ max_connections: '1000' });
    try {
      out.push(await teamLoad({ backend: 'postgres', agents: Number(process.env.CALLBACK_DESK_BENCH_TEAM_PG_AGENTS ?? 200), seconds, dir, pgServer: server, log }));
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** One backend's figure alone (profiling). */
export async function teamLoadOne(backend: 'sqlite' | 'postgres', agents: number, seconds: number, dir: string, log: (s: string) => void): Promise<TeamLoadResult> {
  if (backend === 'sqlite') return teamLoad({ backend, agents, seconds, dir, log });
  const server = await startPgServer({ max_connections: '1000' });
  try {
    return await teamLoad({ backend, agents, seconds, dir, pgServer: server, log });
  } finally {
    await server.stop();
  }
}
