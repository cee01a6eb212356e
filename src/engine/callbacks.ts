import {
  CallResult,
  DialingMode,
  RecordStatus,
  RecordType,
  type CallingListRecord,
  type Campaign,
  type Interaction,
  type OutboundCall,
} from './domain.js';
import type { Engine } from './engine.js';
import { inContactHours } from './dialing-rules.js';
import { formatSecondsOfDay, secondsOfDay } from './time/time-zones.js';
import type { SimEvent } from './world.js';
import { wholeSeconds } from './time/iso-time.js';

/**
 * Outbound callbacks: records rescheduled as Personal (record_type 5, back to the agent who
 * booked it) or Campaign (6, any agent of the campaign) callbacks, and their delivery when due.
 */

const DAY = 86_400_000;

export function isOpenCallback(r: CallingListRecord): boolean {
  return (r.record_type === RecordType.PersonalCallback || r.record_type === RecordType.CampaignCallback) && r.record_status === RecordStatus.Ready && r.dialSchedAt !== null;
}

/**
 * The first instant at or after `utc` inside the record's contact hours (daily_from to
 * daily_till in its zone). The dialer never calls outside them.
 */
export function nextContactable(engine: Engine, r: CallingListRecord, utc: number): number {
  const zones = engine.zones;
  for (let day = 0; day < 8; day++) {
    const w = zones.toWall(r.tz, utc + day * DAY);
    const date = { year: w.year, month: w.month, day: w.day };
    const sod = day === 0 ? secondsOfDay(w) : 0;
    if (day === 0 && sod >= r.daily_from && sod < r.daily_till) return utc;
    if (sod < r.daily_from) {
      const open = zones.instant(r.tz, { ...date, hour: Math.floor(r.daily_from / 3600), minute: Math.floor((r.daily_from % 3600) / 60) }, 'earlier');
      if (open !== null && open >= utc) return open;
    }
  }
  return utc;
}

/** Whether `utc` falls inside the record's contact hours, read in its own zone on that date. */
export function withinContactHours(engine: Engine, r: CallingListRecord, utc: number): boolean {
  return inContactHours(r, secondsOfDay(engine.zones.toWall(r.tz, utc)));
}

export function contactHoursLabel(engine: Engine, r: CallingListRecord, at: number): string {
  return `${formatSecondsOfDay(r.daily_from)}-${formatSecondsOfDay(r.daily_till)} ${engine.zones.abbr(r.tz, at)}`;
}

export interface CallbackBooking {
  recordId: number;
  at: number;
  type: 'Personal' | 'Campaign';
  agentId: string | null;
  /** Who booked it (My Callbacks lists campaign callbacks by it); null for nobody at a desk. */
  bookedBy?: string | null;
}

/**
 * Writes a callback onto a record: record_type 5 or 6, its due time (dial_sched_time),
 * the contact's zone and wall time beside it. RecordReschedule in OCS terms.
 */
export async function bookCallback(engine: Engine, b: CallbackBooking): Promise<void> {
  const r = (await engine.record(b.recordId))!;
  r.record_type = b.type === 'Personal' ? RecordType.PersonalCallback : RecordType.CampaignCallback;
  r.record_status = RecordStatus.Ready;
  r.agent_id = b.type === 'Personal' ? b.agentId : null;
  r.booked_by = b.bookedBy ?? null;
  r.dialSchedAt = wholeSeconds(b.at);
  r.callback_local = engine.zones.formatPlain(b.at, r.tz, 'yyyy-LL-dd HH:mm');
  r.treatments = [...r.treatments, `RecordReschedule ${b.type} ${r.callback_local} by ${b.agentId ?? 'script'}`];
  engine.touch('record', r.record_id);
  armCallback(engine, r);
}

/**
 * The callback hopper. Only callbacks due within the next HOPPER_MS have a timer in the event
 * queue; a HopperFill timer reads the next window from the calling list's index of open
 * callbacks. So a list with a million callbacks costs the queue a few entries, and a callback
 * another process adds, moves or cancels takes effect from the store, not from a stale timer.
 */
const HOPPER_MS = 10 * 60_000;
/** Callbacks read into the queue at most per fill. */
const HOPPER_BATCH = 20_000;
/** How far back a re-read after another process's change looks for callbacks it just added. */
const LOOKBACK_MS = 5 * 60_000;
/** Due timers already run (record@dueAt), so a re-read never arms one twice. */
const handled = new WeakMap<Engine, Map<string, number>>();
/** The end of the window already read into the queue (saved with the clock). */
function hopperEnd(engine: Engine): number {
  return engine.state.hoppers?.callbacks ?? engine.now;
}

function handledOf(engine: Engine): Map<string, number> {
  let m = handled.get(engine);
  if (!m) handled.set(engine, (m = new Map()));
  return m;
}

/** Queues the due timer of one open callback inside the hopper's window, once. */
export function armCallback(engine: Engine, r: CallingListRecord): void {
  if (!isOpenCallback(r)) return;
  const dueAt = r.dialSchedAt!;
  if (dueAt > hopperEnd(engine)) return; // a later HopperFill reads it
  if (handledOf(engine).has(`${r.record_id}@${dueAt}`)) return;
  const due: SimEvent = { type: 'CallbackDue', recordId: r.record_id, dueAt };
  if (engine.isScheduled(due)) return;
  engine.schedule(dueAt, due);
}

/** Reads open callbacks due in (from, now + HOPPER_MS] into the queue and plans the next read. */
async function fillHopper(engine: Engine, from: number): Promise<void> {
  const rows = await engine.db.records.openCallbacksBetween(from, engine.now + HOPPER_MS, HOPPER_BATCH);
  // A full batch: the window ends where it stopped (its last second is read again next time,
  // unless the whole batch fell in that one second).
  const lastMs = rows.length === HOPPER_BATCH ? rows[rows.length - 1].dialSchedAt! : 0;
  const to = rows.length === HOPPER_BATCH ? (lastMs - 1000 > from ? lastMs - 1000 : lastMs) : engine.now + HOPPER_MS;
  const w = engine.mut;
  w.hoppers = { callbacks: to, gms: w.hoppers?.gms ?? engine.now };
  for (const r of rows) armCallback(engine, r); // those past the shortened window wait (armCallback checks)
  engine.schedule(rows.length === HOPPER_BATCH ? engine.now : engine.now + HOPPER_MS / 2, { type: 'HopperFill' });
  // Forget handled timers the window has left behind.
  const h = handledOf(engine);
  for (const [k, at] of h) if (at < engine.now - 2 * LOOKBACK_MS) h.delete(k);
}

/**
 * A new engine on a store: a restored queue already holds the window it read (and its next
 * HopperFill); a first start reads the first window.
 */
export async function armAllCallbacks(engine: Engine): Promise<void> {
  if (!engine.isScheduled({ type: 'HopperFill' })) await fillHopper(engine, engine.now - LOOKBACK_MS);
}

/** After another process's change: its callbacks inside the window read so far get their timers. */
export async function rearmCallbacks(engine: Engine): Promise<void> {
  for (const r of await engine.db.records.openCallbacksBetween(engine.now - LOOKBACK_MS, hopperEnd(engine), HOPPER_BATCH)) armCallback(engine, r);
}

function agentFree(engine: Engine, agentId: string): boolean {
  return engine.agentFreeForVoice(agentId) === agentId;
}

/** Is this still the timer for the record's current schedule (not a stale one)? */
function current(r: CallingListRecord | undefined, dueAt: number): r is CallingListRecord {
  return !!r && isOpenCallback(r) && r.dialSchedAt === dueAt;
}

export function registerCallbackTimers(engine: Engine): void {
  engine.onTimer('HopperFill', () => fillHopper(engine, hopperEnd(engine)), (ev) => ev.type);
  engine.onTimer('CallbackDue', async (ev) => {
    handledOf(engine).set(`${ev.recordId}@${ev.dueAt}`, ev.dueAt);
    const r = await engine.record(ev.recordId);
    if (!current(r, ev.dueAt)) return;
    const c = engine.state.campaigns[r.campaign_id];
    // The dialer never calls outside contact hours: wait for the window to open.
    const openAt = nextContactable(engine, r, engine.now);
    if (openAt > engine.now) {
      engine.schedule(openAt, { type: 'CallbackDue', recordId: r.record_id, dueAt: ev.dueAt });
      return;
    }
    if (r.record_type === RecordType.PersonalCallback) {
      if (r.agent_id && agentFree(engine, r.agent_id)) await deliverScheduledCall(engine, r, 'ScheduledCall', r.agent_id);
      else engine.schedule(ev.dueAt + c.personalCallbackGraceMin * 60_000, { type: 'CallbackGraceEnd', recordId: r.record_id, dueAt: ev.dueAt });
      return;
    }
    await routeCampaignCallback(engine, r, c, ev.dueAt);
  }, (ev) => `CallbackDue:${ev.recordId}@${ev.dueAt}`);

  engine.onTimer('CallbackGraceEnd', async (ev) => {
    const r = await engine.record(ev.recordId);
    if (!current(r, ev.dueAt) || r.record_type !== RecordType.PersonalCallback) return;
    const c = engine.state.campaigns[r.campaign_id];
    // Its agent never took it: Missed Callback, Agent Callback Error; the campaign may take it.
    r.record_status = RecordStatus.MissedCallback;
    r.call_result = CallResult.AgentCallbackError;
    r.treatments = [...r.treatments, `Missed personal callback of ${r.agent_id}`];
    engine.touch('record', r.record_id);
    if (r.agent_id && engine.sessionOf(r.agent_id)) {
      await engine.postMessage(r.agent_id, 'callback', `Missed personal callback ${r.record_id}`, `Your personal callback to ${r.contact_info} (${r.callback_local}) was not taken within ${c.personalCallbackGraceMin} minutes${c.missedCallbackToCampaign ? '; it goes to the campaign.' : '.'}`, 'high');
    }
    if (c.missedCallbackToCampaign) {
      r.record_type = RecordType.CampaignCallback;
      r.record_status = RecordStatus.Ready;
      r.agent_id = null;
      r.dialSchedAt = wholeSeconds(engine.now);
      engine.touch('record', r.record_id);
      await routeCampaignCallback(engine, r, c, r.dialSchedAt!);
    }
  });

  engine.onTimer('ColleagueCallback', async (ev) => {
    const r = await engine.record(ev.recordId);
    if (!r || r.record_status !== RecordStatus.Retrieved || r.agent_id !== ev.agentId) return;
    const result = engine.random.chance(0.7) ? CallResult.Answer : engine.random.pick([CallResult.NoAnswer, CallResult.Busy, CallResult.AnsweringMachine]);
    r.record_status = RecordStatus.Updated;
    r.call_result = result;
    r.attempt += 1;
    r.callAt = wholeSeconds(engine.now);
    r.treatments = [...r.treatments, `Campaign callback dialed by ${ev.agentId}`];
    engine.touch('record', r.record_id);
    // The colleague's call is simulated whole at once: dialled, answered or not, ended.
    const call = { callId: `R${r.record_id}@${Math.floor(ev.dueAt / 1000)}`, recordId: r.record_id, campaignId: r.campaign_id, agentId: ev.agentId };
    await engine.emit('callDialled', call);
    if (result === CallResult.Answer) await engine.emit('callConnected', { ...call, callResult: result });
    await engine.emit('callEnded', { ...call, callResult: result });
  });
}

/**
 * A due campaign callback returns to its campaign: in Preview it waits at the head of the
 * preview queue; in the automatic modes the next free agent of the campaign gets it, the agent
 * at the keyboard if free, else a simulated colleague.
 */
async function routeCampaignCallback(engine: Engine, r: CallingListRecord, c: Campaign, dueAt: number): Promise<void> {
  if (c.dialingMode === DialingMode.Preview || c.status !== 'Started') {
    engine.touch('record', r.record_id);
    return; // stays Ready with its due time; PreviewRecordRequest serves due callbacks first
  }
  // The agent of the campaign's group Ready longest gets it (one agent: the transaction marks it Retrieved).
  const [free] = engine.freeAgentsOf(c.groupId);
  if (free) {
    await deliverScheduledCall(engine, r, 'CampaignCallback', free);
    return;
  }
  // Colleagues at a desktop are people now, not simulated.
  const colleagues = Object.values(engine.state.agents).filter((a) => a.simulated && !a.session && a.groupId === c.groupId && a.status === 'Ready');
  if (colleagues.length === 0) return;
  const who = engine.random.pick(colleagues);
  r.record_status = RecordStatus.Retrieved;
  r.agent_id = who.id;
  engine.touch('record', r.record_id);
  engine.schedule(engine.now + Math.round(5_000 + engine.random.exponential(20_000)), { type: 'ColleagueCallback', recordId: r.record_id, dueAt, agentId: who.id });
}

/**
 * A record reaches the agent's desk: retrieved for them (record_status 2) and shown as an
 * outbound voice interaction with its OCS case data. Every way a record arrives goes through here.
 */
export async function putRecordOnDesk(
  engine: Engine,
  r: CallingListRecord,
  how: {
    agentId: string;
    origin: OutboundCall['origin'];
    state: Interaction['state'];
    subject?: string;
    callResult?: CallResult;
    connectedAt?: number | null;
    /** The call it continues (the dialer's line that connected): its row in the call log. */
    callId?: string;
  },
): Promise<Interaction> {
  const me = how.agentId;
  r.record_status = RecordStatus.Retrieved;
  r.agent_id = me;
  engine.touch('record', r.record_id);
  const c = engine.state.campaigns[r.campaign_id];
  const contact = (await engine.contact(r.contact_id))!;
  const it = await engine.openInteraction('outbound-voice', 'voice', r.contact_id, how.subject ?? `${c.name} · ${contact.firstName} ${contact.lastName}`, how.state, {
    agentId: me,
    recordId: r.record_id,
    campaignId: c.id,
    caseData: outboundCaseData(engine, r),
    outbound: {
      recordId: r.record_id,
      origin: how.origin,
      callResult: how.callResult ?? CallResult.Unknown,
      disposition: null,
      pendingReschedule: null,
      rescheduled: false,
      connectedAt: how.connectedAt ?? null,
      ...(how.callId ? { callId: how.callId } : {}),
    },
  });
  await engine.emit('recordDelivered', it);
  return it;
}

/** ScheduledCall: the due callback pushed to the agent as a preview, with a notification. */
export async function deliverScheduledCall(engine: Engine, r: CallingListRecord, origin: 'ScheduledCall' | 'CampaignCallback', me: string): Promise<Interaction> {
  const c = engine.state.campaigns[r.campaign_id];
  const contact = (await engine.contact(r.contact_id))!;
  const it = await putRecordOnDesk(engine, r, { agentId: me, origin, state: 'preview', subject: `${origin === 'ScheduledCall' ? 'Personal callback' : 'Campaign callback'} · ${c.name}` });
  await engine.postMessage(me, 'callback', `${origin === 'ScheduledCall' ? 'Personal' : 'Campaign'} callback due: ${contact.firstName} ${contact.lastName}`, `Callback to ${r.contact_info} booked for ${r.callback_local ?? 'now'} (${c.name}). It is on your desktop as a preview.`, 'high', it);
  return it;
}

/** Personal callbacks of an agent that fell due while they were busy are delivered once they are free. */
export async function deliverWaitingCallbacks(engine: Engine, me: string | null): Promise<void> {
  if (!me || !agentFree(engine, me)) return;
  const due = (await engine.db.records.openPersonalCallbacks(me)).find((r) => r.dialSchedAt !== null && r.dialSchedAt <= engine.now && withinContactHours(engine, r, engine.now));
  if (due) await deliverScheduledCall(engine, engine.adopt([due])[0], 'ScheduledCall', me);
}

export function outboundCaseData(engine: Engine, r: CallingListRecord): Record<string, string> {
  const c = engine.state.campaigns[r.campaign_id];
  const off = engine.zones.offset(r.tz, engine.now);
  return {
    GSW_CAMPAIGN_NAME: c.name,
    GSW_RECORD_HANDLE: String(r.record_id),
    GSW_PHONE: r.contact_info,
    GSW_TZ_NAME: r.tz,
    GSW_TZ_OFFSET: String(Math.round(off * 60)),
    GSW_CHAIN_ID: String(r.chain_id),
    GSW_ATTEMPTS: String(r.attempt),
    GSW_CALL_RESULT: String(r.call_result),
  };
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    CallbackDue: { recordId: number; dueAt: number };
    HopperFill: Record<never, never>;
    CallbackGraceEnd: { recordId: number; dueAt: number };
    ColleagueCallback: { recordId: number; dueAt: number; agentId: string };
  }
}
