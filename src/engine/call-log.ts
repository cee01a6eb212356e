import { CallResult, DIALING_MODE_NAMES, RECORD_TYPE_NAMES, RecordType, callIdOf, type CallLogEntry, type Interaction } from './domain.js';
import type { Engine } from './engine.js';
import type { CallEvent } from './lifecycle.js';

/**
 * The call log: every delivery of a calling-list record to an agent's desk and every attempt on
 * one is a row of the store's `call_log`. A row is made when a record reaches a desk (a Preview
 * record, a pushed record, a personal or campaign callback delivered, a dialer call connected to
 * the agent) or when a number is dialled (a preview dialled, the dialer's line for an agent at a
 * desktop, a simulated colleague's campaign callback), and is updated as the call connects, ends
 * and is done (call_result, disposition, a callback booked on it).
 *
 * One call is one row whatever path it took: its call_id is the interaction's id for a call that
 * began on a desk, and the dialer's call id (D17) for a line the dialer dialled; when that line
 * connects to the agent, the interaction made for it keeps the id (outbound.callId). A simulated
 * colleague's campaign callback, which has neither, is R<record_id>@<due, epoch seconds>.
 *
 * Not logged: the lines of generated numbers the group dialer dials for the simulated colleagues
 * (no calling-list record is behind them; the campaign's live figures count them), and Genesys
 * and web callbacks (not calling-list records).
 *
 * The rule lives here and nowhere else: the features announce what happens (Engine.emit), and
 * this module writes the rows through the transaction's pending writes (Engine.logCall). It reads
 * no clock but the engine's and draws nothing from the random stream, so a demo's frames are
 * the same with it as without it.
 */
export function registerCallLog(engine: Engine): void {
  engine.on('recordDelivered', (it) => delivered(engine, it));
  engine.on('recordReturned', (e) => returned(engine, e.interaction, e.how));
  engine.on('callDialled', (e) => dialled(engine, e));
  engine.on('callConnected', (e) => connected(engine, e));
  engine.on('callEnded', (e) => ended(engine, e));
  engine.on('interactionEnded', (it) => (it.outbound ? hungUp(engine, it) : undefined));
  engine.on('interactionDone', (it) => (it.outbound ? done(engine, it) : undefined));
}

/**
 * The mode a call is logged under: the callback kind for a callback (record_type 5 or 6 when the
 * row is made), else the campaign's dialing mode.
 */
export function callMode(engine: Engine, campaignId: string, recordType: RecordType | undefined): string {
  if (recordType === RecordType.PersonalCallback || recordType === RecordType.CampaignCallback) return RECORD_TYPE_NAMES[recordType];
  const c = engine.state.campaigns[campaignId];
  return c ? DIALING_MODE_NAMES[c.dialingMode] : 'Unknown';
}

type CallOf = Pick<CallEvent, 'callId' | 'recordId' | 'campaignId' | 'agentId'>;

function callOf(it: Interaction): CallOf {
  return { callId: callIdOf(it), recordId: it.outbound!.recordId, campaignId: it.campaignId ?? '', agentId: it.agentId ?? null };
}

/** The call's row, or a new one started at `at` (its seq the store's next). */
async function rowOf(engine: Engine, c: CallOf, at: number): Promise<CallLogEntry> {
  const have = await engine.callLogEntry(c.callId);
  if (have) return have;
  const r = await engine.record(c.recordId);
  return {
    call_id: c.callId,
    seq: await engine.newId('call'),
    record_id: c.recordId,
    campaign_id: c.campaignId,
    agent_id: c.agentId,
    mode: callMode(engine, c.campaignId, r?.record_type),
    started_at: at,
    delivered_at: null,
    dialled_at: null,
    connected_at: null,
    ended_at: null,
    call_result: null,
    disposition: null,
    rescheduled_at: null,
  };
}

async function delivered(engine: Engine, it: Interaction): Promise<void> {
  const ob = it.outbound;
  if (!ob) return;
  const row = await rowOf(engine, callOf(it), engine.now);
  row.agent_id = it.agentId ?? row.agent_id;
  row.delivered_at = engine.now;
  // A dialer call arrives connected, with its result.
  if (ob.connectedAt !== null) row.connected_at = ob.connectedAt;
  if (ob.callResult !== CallResult.Unknown) row.call_result = ob.callResult;
  engine.logCall(row);
}

async function dialled(engine: Engine, e: CallEvent): Promise<void> {
  const at = e.at ?? engine.now;
  const row = await rowOf(engine, e, at);
  row.dialled_at = at;
  engine.logCall(row);
}

async function connected(engine: Engine, e: CallEvent): Promise<void> {
  const at = e.at ?? engine.now;
  const row = await rowOf(engine, e, at);
  row.connected_at = at;
  // A line of the desk agent's that a simulated colleague took is no longer the agent's call.
  row.agent_id = e.agentId;
  if (e.callResult !== undefined) row.call_result = e.callResult as CallLogEntry['call_result'];
  engine.logCall(row);
}

async function ended(engine: Engine, e: CallEvent): Promise<void> {
  const at = e.at ?? engine.now;
  const row = await rowOf(engine, e, at);
  row.ended_at ??= at;
  if (e.callResult !== undefined) row.call_result = e.callResult as CallLogEntry['call_result'];
  engine.logCall(row);
}

/**
 * An outbound interaction ended from the interactions list (Engine.endInteraction): a call hung
 * up while it still rang is Dropped on No Answer, as End Call says.
 */
async function hungUp(engine: Engine, it: Interaction): Promise<void> {
  const row = await rowOf(engine, callOf(it), it.createdAt);
  if (row.dialled_at !== null && row.connected_at === null && row.ended_at === null) row.call_result = CallResult.DroppedOnNoAnswer;
  row.ended_at ??= engine.now;
  engine.logCall(row);
}

/** A record left the desk without Done: it ends there (a decline is Cancel Record). */
async function returned(engine: Engine, it: Interaction, how: 'reject' | 'decline'): Promise<void> {
  if (!it.outbound) return;
  const row = await rowOf(engine, callOf(it), it.createdAt);
  row.ended_at ??= engine.now;
  if (how === 'decline') row.call_result = CallResult.CancelRecord;
  engine.logCall(row);
}

/**
 * Done: the disposition, a callback booked on the call, and the result for a call the agent
 * settled without its ringing doing so (a record never dialled keeps none, unless Do Not Call).
 */
async function done(engine: Engine, it: Interaction): Promise<void> {
  const ob = it.outbound!;
  const row = await rowOf(engine, callOf(it), it.createdAt);
  row.ended_at ??= engine.now;
  row.disposition = ob.disposition;
  if (ob.callResult === CallResult.DoNotCall || (row.call_result === null && ob.callResult !== CallResult.Unknown)) row.call_result = ob.callResult;
  if (ob.rescheduled) row.rescheduled_at = engine.now;
  engine.logCall(row);
}
