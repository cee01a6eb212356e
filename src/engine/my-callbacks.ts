import { acknowledgement, CALL_RESULT_NAMES, RecordStatus, RecordType, type CallingListRecord, type Contact, type GenesysCallback, type Interaction, type InteractionState } from './domain.js';
import type { Engine } from './engine.js';
import type { StoreReader } from './store-port.js';
import { isOpenCallback } from './callbacks.js';
import { cancelGenesysCallbackNow } from './genesys-callback.js';
import { cancelCallbackNow, scheduleCallbackNow, type RescheduleQuote } from './outbound.js';
import { fail, ok, type Result } from './result.js';
import { WEB_CALLBACK_SERVICE, cancelWebCallbackNow } from './web-callback.js';

/**
 * My Callbacks: the callbacks an agent has pending, whatever booked them: OCS personal
 * callbacks they own (record_type 5), campaign callbacks they booked (6), Genesys Callback
 * bookings they made, and the web callbacks on their desktop. Each source is read from its own
 * index (the calling list may hold a million rows; nothing here walks it).
 */

export type MyCallbackKind = 'Personal' | 'Campaign' | 'Genesys' | 'Web';

/** Where a callback lives, to act on it: a calling-list record, a GMS booking, a web request. */
export type MyCallbackRef = { source: 'ocs'; recordId: number } | { source: 'gms'; callbackId: string } | { source: 'web'; interactionId: string };

export interface MyCallback {
  /** Unique across the sources: "ocs:1003", "gms:CB12", "web:I40". */
  key: string;
  /** The id its system knows it by: the record_id, the GMS callback id, the web request id. */
  id: string;
  kind: MyCallbackKind;
  ref: MyCallbackRef;
  /** When it is due (UTC ms): dial_sched_time, _desired_time, the start of the web window. */
  dueAt: number;
  /** The end of a web callback's window (UTC ms). */
  till: number | null;
  contactId: string | null;
  contactName: string;
  /** The zone the contact is called in: the number's zone, else the contact's, else the service's. */
  contactTz: string;
  /** E.164. */
  number: string;
  /** The campaign's name, or the Genesys Callback service. */
  campaign: string;
  /** The campaign's id, for a calling-list callback. */
  campaignId: string | null;
  /** The callback's wall time in the contact's zone as it was booked (callback_local), for a calling-list callback. */
  callbackLocal: string | null;
  state: string;
  /** The interaction on the desktop for it (a due GMS callback offered, a web callback shown). */
  interactionId: string | null;
  bookedBy: string | null;
}

/** How many of each source are read at most (a list nobody could scroll through anyway). */
const LIMIT = 1000;

const WEB_STATE: Record<InteractionState, string> = {
  waiting: 'Scheduled',
  alerting: 'Alerting',
  preview: 'Preview',
  dialing: 'Dialing',
  connected: 'On call',
  ended: 'Wrap-up',
  done: 'Done',
};

const GMS_STATE: Record<GenesysCallback['state'], string> = {
  SCHEDULED: 'Scheduled',
  // Due and held for the agent who booked it (every booking listed here): it comes when they are free.
  QUEUED: 'Due',
  ROUTING: 'Routing',
  PROCESSING: 'Processing',
  COMPLETED: 'Completed',
};

/** The agent's pending callbacks, soonest first (read from `q`: what was committed). */
export async function myCallbacks(engine: Engine, q: StoreReader, agentId: string, limit = LIMIT): Promise<MyCallback[]> {
  // Each source from its index first, then every contact they name in one read (a round trip
  // per row on PostgreSQL would make a full list slow to follow a change).
  // calling_list_personal_callback: the agent's open personal callbacks.
  const personal = (await q.records.openPersonalCallbacks(agentId)).slice(0, limit).filter((r) => r.dialSchedAt !== null);
  // calling_list_booked_callback: open campaign callbacks the agent booked.
  const booked = (await q.records.openCampaignCallbacksBookedBy(agentId, limit)).filter((r) => r.dialSchedAt !== null);
  // gms_callback_booked_by: bookings the agent made, not yet COMPLETED.
  const gms = await q.gcallbacks.openBookedBy(agentId, limit);
  // Web callbacks come to the desktop of the agent logged in on it: they are live interactions
  // (a few, in memory), waiting for their window or already shown. Its agent's, once it came to
  // a desktop; before that, the desktop's own agent's.
  const live = Object.values(engine.state.interactions);
  const web = live.filter((it) => it.web && it.state !== 'done' && (it.agentId ? it.agentId === agentId : engine.agentId === agentId));
  const contacts = await q.contacts.getMany(
    [...personal.map((r) => r.contact_id), ...booked.map((r) => r.contact_id), ...gms.map((cb) => cb.contactId), ...web.map((it) => it.contactId)].filter((id): id is string => !!id),
  );
  const contact = (id: string | null) => (id ? contacts.get(id) : undefined);
  const nameOf = (c: Contact | undefined, fallback: string) => (c ? `${c.firstName} ${c.lastName}`.trim() : fallback);
  const out: MyCallback[] = [];

  const ocs = (r: CallingListRecord, kind: 'Personal' | 'Campaign') => {
    const c = contact(r.contact_id);
    out.push({
      key: `ocs:${r.record_id}`,
      id: String(r.record_id),
      kind,
      ref: { source: 'ocs', recordId: r.record_id },
      dueAt: r.dialSchedAt!,
      till: null,
      contactId: r.contact_id,
      contactName: nameOf(c, r.contact_id),
      contactTz: r.tz,
      number: r.contact_info,
      campaign: engine.state.campaigns[r.campaign_id]?.name ?? r.campaign_id,
      campaignId: r.campaign_id,
      callbackLocal: r.callback_local ?? null,
      // Due but not yet dialed: waiting for the agent to be free or for the contact hours.
      state: r.dialSchedAt! <= engine.now ? 'Due' : 'Scheduled',
      interactionId: null,
      bookedBy: r.booked_by ?? (kind === 'Personal' ? r.agent_id : null),
    });
  };
  for (const r of personal) ocs(r, 'Personal');
  for (const r of booked) ocs(r, 'Campaign');

  const gmsInteraction = new Map(live.filter((i) => i.kind === 'callback' && i.caseData.GMS_CALLBACK_ID).map((i) => [i.caseData.GMS_CALLBACK_ID, i.id]));
  for (const cb of gms) {
    const c = contact(cb.contactId);
    out.push({
      key: `gms:${cb.id}`,
      id: cb.id,
      kind: 'Genesys',
      ref: { source: 'gms', callbackId: cb.id },
      dueAt: cb.desiredTime,
      till: null,
      contactId: cb.contactId,
      contactName: nameOf(c, cb.customerNumber),
      contactTz: c?.tz ?? engine.state.services[cb.service]?.tz ?? 'UTC',
      number: cb.customerNumber,
      campaign: cb.service,
      campaignId: null,
      callbackLocal: null,
      state: GMS_STATE[cb.state],
      interactionId: gmsInteraction.get(cb.id) ?? null,
      bookedBy: cb.bookedBy,
    });
  }

  for (const it of web) {
    const c = contact(it.contactId);
    const w = it.web!.window;
    out.push({
      key: `web:${it.id}`,
      id: it.web!.requestId,
      kind: 'Web',
      ref: { source: 'web', interactionId: it.id },
      dueAt: w.from,
      till: w.till,
      contactId: it.contactId,
      contactName: nameOf(c, w.to),
      contactTz: c?.tz ?? 'UTC',
      number: w.to,
      campaign: WEB_CALLBACK_SERVICE,
      campaignId: null,
      callbackLocal: null,
      state: WEB_STATE[it.state],
      interactionId: it.state === 'waiting' ? null : it.id,
      bookedBy: null,
    });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
}

/** Why an OCS callback can no longer be changed from My Callbacks, in the agent's words. */
function notPending(r: CallingListRecord | undefined, recordId: number): string | null {
  if (!r) return `no record ${recordId}`;
  if (r.record_type !== RecordType.PersonalCallback && r.record_type !== RecordType.CampaignCallback) return `record ${recordId} is no longer a callback`;
  switch (r.record_status) {
    case RecordStatus.Ready:
      return null;
    case RecordStatus.Retrieved:
      return `the callback to ${r.contact_info} is being dialled (on ${r.agent_id ?? 'an agent'}'s desktop); it can no longer be changed`;
    case RecordStatus.Updated:
      return `the callback to ${r.contact_info} has already been dialled (${CALL_RESULT_NAMES[r.call_result] ?? r.call_result})`;
    case RecordStatus.Cancelled:
      return `the callback to ${r.contact_info} is already cancelled`;
    case RecordStatus.MissedCallback:
      return `the callback to ${r.contact_info} was missed (its time passed); it is no longer pending`;
    default:
      return `callback ${recordId} is not pending (record_status ${r.record_status})`;
  }
}

/**
 * Cancels one of the agent's callbacks through its own system's command: RecordCancel (as
 * `callbacks cancel`), the GMS cancel, or the web request's. A callback already being dialled
 * is refused, saying so.
 */
export function cancelMyCallback(engine: Engine, ref: MyCallbackRef): Promise<Result<string>> {
  return engine.run(async () => {
    if (ref.source === 'ocs') {
      const why = notPending(await engine.record(ref.recordId), ref.recordId);
      if (why) return fail(why);
      const r = await cancelCallbackNow(engine, ref.recordId);
      return r.ok ? ok(`RecordCancelAcknowledge: ${ref.recordId}`) : r;
    }
    if (ref.source === 'gms') {
      const cb = await engine.gcallback(ref.callbackId);
      if (!cb) return fail(`no callback ${ref.callbackId}`);
      if (cb.state === 'COMPLETED') return fail(`callback ${cb.id} is already completed (${cb.reason})`);
      if (cb.state === 'PROCESSING') return fail(`callback ${cb.id} is already being dialled (PROCESSING); it can no longer be cancelled`);
      if (cb.state === 'ROUTING') return fail(`callback ${cb.id} is being offered to you now (ROUTING); take it or let it pass on the desktop`);
      const r = await cancelGenesysCallbackNow(engine, cb.id);
      return r.ok ? ok(`${cb.id} COMPLETED (CANCELLED)`) : r;
    }
    const r = cancelWebCallbackNow(engine, ref.interactionId);
    return r.ok ? ok(`Web Callback ${r.value.web!.requestId} cancelled`) : r;
  });
}

/**
 * Reschedule of an OCS callback from My Callbacks: the Reschedule Callback form's quote,
 * booked at once (there is no call whose Done would commit it) through the same command as
 * `callbacks reschedule`. A new number of the chain takes the callback; the old one is cancelled.
 * Whoever booked it keeps it.
 */
export function rescheduleMyOutboundCallback(engine: Engine, recordId: number, quote: RescheduleQuote): Promise<Result<string>> {
  return engine.run(async () => {
    const from = await engine.record(recordId);
    const why = notPending(from, recordId);
    if (why) return fail(why);
    const wasPersonal = from!.record_type === RecordType.PersonalCallback;
    const personal = quote.callbackType === 'Personal';
    if (quote.recordId === recordId && from!.dialSchedAt === quote.at && wasPersonal === personal) return ok('Callback not moved (same time)');
    const target = await engine.record(quote.recordId);
    if (!target) return fail(`no record ${quote.recordId}`);
    const r = await scheduleCallbackNow(engine, {
      recordId: quote.recordId,
      when: { kind: 'instant', utc: quote.at },
      personal,
      agentId: quote.agentId ?? engine.agentId ?? from!.agent_id ?? '',
      replace: true,
      bookedBy: from!.booked_by ?? engine.agentId,
    });
    if (!r.ok) return fail(r.error.message);
    if (quote.recordId !== recordId && isOpenCallback(from!)) {
      const c = await cancelCallbackNow(engine, recordId);
      if (!c.ok) return c;
    }
    return ok(acknowledgement(`${quote.callbackType} callback moved to ${engine.zones.format(quote.at, quote.tz, 'ccc d LLL HH:mm')}`, 'ScheduledRecordRescheduleAcknowledge'));
  });
}

/**
 * A web callback waiting for its window, rescheduled from My Callbacks: the Reschedule
 * Callback view set its pending window; Done commits it now (the request waits for the new
 * time). One on the desktop is left for the agent's own Done in its window.
 */
export async function commitWebReschedule(engine: Engine, interactionId: string): Promise<Result<string>> {
  const it: Interaction | undefined = engine.state.interactions[interactionId];
  if (!it?.web) return fail(`${interactionId} is not a pending web callback`);
  if (!it.web.pending) return ok('not rescheduled');
  if (it.state !== 'waiting') return ok('Rescheduled; Done in its window commits it');
  return engine.markDone(interactionId);
}
