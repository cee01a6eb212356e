// Long on purpose: the outbound call at the desk, from the Preview request to Done, with
// Reschedule Callback's quote; each command beside the checks it shares.
import {
  acknowledgement,
  CallResult,
  callIdOf,
  CONTACT_INFO_TYPE_NAMES,
  DialingMode,
  RecordStatus,
  RecordType,
  NEW_RECORD,
  type CallingListRecord,
  type ContactInfoType,
  type Interaction,
  type PendingReschedule,
} from './domain.js';
import type { Engine } from './engine.js';
import { callActionRefusal } from './call-actions.js';
import type { StoreReader } from './store-port.js';
import type { CallEvent } from './lifecycle.js';
import { fail, ok, type Result } from './result.js';
import { drawCallOutcome } from './dialer/call-model.js';
import {
  armAllCallbacks,
  isOpenCallback,
  rearmCallbacks,
  putRecordOnDesk,
  bookCallback,
  contactHoursLabel,
  deliverWaitingCallbacks,
  nextContactable,
  registerCallbackTimers,
} from './callbacks.js';
import { checkPhoneNumber } from './phone-numbers.js';
import { notLaterThanNow, type ParsedWhen } from './time/callback-time.js';
import { formatSecondsOfDay, formatWall, secondsOfDay, type WallTime } from './time/time-zones.js';
import { wholeSeconds } from './time/iso-time.js';

/**
 * Outbound campaign calls at the agent's desk: Preview records, dialing, the call-action
 * toolbar (End Call, Done, disposition, customer record, Do Not Call, new numbers) and
 * Reschedule Callback.
 */

export function registerOutbound(engine: Engine): void {
  registerCallbackTimers(engine);
  engine.onTimer(
    'CallOutcome',
    async (ev) => {
      const it = engine.mut.interactions[ev.interactionId];
      if (!it?.outbound || it.state !== 'dialing') return;
      const answered = it.outbound.callResult === CallResult.Answer;
      it.state = answered ? 'connected' : 'ended';
      it.outbound.connectedAt = answered ? engine.now : null;
      it.updatedAt = engine.now;
      engine.touch('interaction', it.id);
      await engine.emit(answered ? 'callConnected' : 'callEnded', { ...callOnDesk(it), callResult: it.outbound.callResult });
    },
    (ev) => `CallOutcome:${ev.interactionId}`,
  );
  engine.onStart(() => armAllCallbacks(engine));
  engine.on('externalChange', async () => {
    await rearmCallbacks(engine);
    // A number dialed at a desktop that does not host rings until its time; the host answers it.
    for (const it of Object.values(engine.state.interactions)) {
      const at = it.outbound?.ringEndsAt;
      if (it.state === 'dialing' && at !== undefined) {
        const ev = { type: 'CallOutcome', interactionId: it.id } as const;
        if (!engine.isScheduled(ev)) engine.schedule(at, ev);
      }
    }
  });
  // Done on an outbound call commits the record (RecordProcessed or RecordReschedule).
  engine.onDone({ claims: (it) => !!it.outbound && !it.web, complete: (it) => completeOutbound(engine, it) });
  // A pushed record nobody took goes back to the list.
  engine.on('interactionTimedOut', async (it) => {
    if (!it.outbound) return;
    await returnPushedRecord(engine, it, 'reject');
    it.caseData = { ...it.caseData, Routed: 'back to the calling list (RecordReject)' };
  });
  // Personal callbacks that fell due while the agent was busy or away come once they are free.
  engine.on('agentLoggedIn', (e) => deliverWaitingCallbacks(engine, e.agentId));
  engine.on('agentStatusChanged', (e) => deliverWaitingCallbacks(engine, e.agentId));
  engine.on('interactionDone', (it) => deliverWaitingCallbacks(engine, it.agentId ?? null));
}

function me(engine: Engine): string | null {
  return engine.agentId;
}

/** An outbound interaction's call, as the call log follows it. */
function callOnDesk(it: Interaction): CallEvent {
  return { callId: callIdOf(it), recordId: it.outbound!.recordId, campaignId: it.campaignId ?? '', agentId: it.agentId ?? null };
}

/**
 * The next dialable record of a campaign, as OCS selects it: the one rule the Preview request
 * and the dialer share (Ready, contact hours now, chain neither busy nor Do Not Call, due
 * campaign callbacks first, then the least tried).
 */
export async function nextDialableRecord(engine: Engine, campaignId: string, exclude: readonly number[] = []): Promise<CallingListRecord | undefined> {
  const now = engine.now;
  const zones = engine.zones;
  const r = await engine.db.records.nextDialable({
    campaignId,
    now,
    localSeconds: (tz) => secondsOfDay(zones.toWall(tz, now)),
    exclude,
  });
  return r ? engine.adopt([r])[0] : undefined;
}

/**
 * PreviewRecordRequest: the next record of a Manual campaign, due campaign callbacks first,
 * only numbers inside their contact hours now. "No Records Available" when there is none.
 */
export function requestPreviewRecord(engine: Engine, campaignId: string): Promise<Result<Interaction>> {
  return engine.run(async () => {
    const agent = me(engine);
    if (!agent) return fail('not logged in');
    const c = engine.state.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    if (c.dialingMode !== DialingMode.Preview) return fail(`${c.name} is an automatic campaign: calls come to you`);
    if (c.status !== 'Started') return fail(`${c.name} is not running`);
    const busy = engine.activeVoice()[0];
    if (busy) return fail(`finish ${busy.id} first`);
    const r = await nextDialableRecord(engine, campaignId);
    if (!r) return fail('No Records Available');
    return ok(await putRecordOnDesk(engine, r, { agentId: agent, origin: 'PreviewRecord', state: 'preview' }));
  });
}

function outboundOf(engine: Engine, id: string): Result<Interaction & { outbound: NonNullable<Interaction['outbound']> }> {
  const it = engine.mut.interactions[id];
  if (!it) return fail(`no interaction ${id}`);
  if (!it.outbound) return fail(`${id} is not an outbound campaign call`);
  return ok(it as Interaction & { outbound: NonNullable<Interaction['outbound']> });
}

/** The agent dials the previewed number; the simulated contact answers or not after ringing. */
export function dialPreview(engine: Engine, id: string): Promise<Result<void>> {
  return engine.run(async () => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const it = got.value;
    const r = (await engine.record(it.outbound.recordId))!;
    const refused = callActionRefusal(engine, 'dial', it, r);
    if (refused) return fail(refused);
    // A preview's contact was chosen by hand and often expects the call: most answer.
    const { result, ringSec } = drawCallOutcome(engine.random, 0.72);
    const ringMs = Math.round(ringSec * 1000);
    const rec = r;
    rec.attempt += 1;
    rec.callAt = wholeSeconds(engine.now);
    engine.touch('record', rec.record_id);
    it.outbound.callResult = result;
    it.state = 'dialing';
    it.updatedAt = engine.now;
    it.caseData = { ...it.caseData, GSW_PHONE: rec.contact_info, GSW_ATTEMPTS: String(rec.attempt) };
    it.outbound.ringEndsAt = engine.now + ringMs;
    engine.touch('interaction', id);
    engine.schedule(engine.now + ringMs, { type: 'CallOutcome', interactionId: id });
    await engine.emit('callDialled', callOnDesk(it));
    return ok(undefined);
  });
}

/** End Call: hang up; the agent goes to After Call Work until Done. */
export function endCall(engine: Engine, id: string): Promise<Result<void>> {
  return engine.run(async () => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const it = got.value;
    const refused = callActionRefusal(engine, 'end', it);
    if (refused) return fail(refused);
    if (it.state === 'dialing') it.outbound.callResult = CallResult.DroppedOnNoAnswer;
    engine.unschedule((e) => e.type === 'CallOutcome' && e.interactionId === id);
    it.state = 'ended';
    it.updatedAt = engine.now;
    engine.touch('interaction', id);
    const agent = me(engine);
    if (agent) {
      const before = engine.state.agents[agent].status;
      if (before !== 'AfterCallWork') engine.mut.agents[agent].statusAfterWork = before === 'NotReady' ? 'NotReady' : 'Ready';
      engine.changeStatus(agent, 'AfterCallWork');
    }
    await engine.emit('callEnded', { ...callOnDesk(it), callResult: it.outbound.callResult });
    return ok(undefined);
  });
}

export function setDisposition(engine: Engine, id: string, code: string | null): Promise<Result<void>> {
  return engine.run(() => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const c = engine.state.campaigns[got.value.campaignId!];
    if (code !== null && !c.dispositionCodes.some((d) => d.code === code)) return fail(`${code} is not a disposition code of ${c.name}`);
    got.value.outbound.disposition = code;
    engine.touch('interaction', id);
    return ok(undefined);
  });
}

/** Update customer record: edits the campaign's custom business fields of the contact. */
export function updateCustomerRecord(engine: Engine, contactId: string, fields: Record<string, string>): Promise<Result<void>> {
  return engine.run(async () => {
    const contact = await engine.contactToChange(contactId);
    if (!contact) return fail(`no contact ${contactId}`);
    for (const k of Object.keys(fields)) if (!(k in contact.fields)) return fail(`${k} is not a field of this customer record`);
    contact.fields = { ...contact.fields, ...fields };
    engine.saveContact(contact);
    return ok(undefined);
  });
}

/** Do Not Call: the whole chain is never dialed again (call_result 51, record_type 7). */
export function doNotCall(engine: Engine, id: string): Promise<Result<void>> {
  return engine.run(async () => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const r0 = (await engine.record(got.value.outbound.recordId))!;
    for (const r of engine.adopt(await engine.db.records.ofChain(r0.chain_id))) {
      r.record_type = RecordType.NoCall;
      r.call_result = CallResult.DoNotCall;
      r.treatments = [...r.treatments, 'DoNotCall'];
      engine.touch('record', r.record_id);
    }
    got.value.outbound.callResult = CallResult.DoNotCall;
    got.value.outbound.pendingReschedule = null;
    engine.touch('interaction', id);
    return ok(undefined);
  });
}

export interface NewNumber {
  phone: string;
  type: ContactInfoType;
  /** Seconds of day in the contact's zone. */
  from: number;
  until: number;
}

/** AddRecord: a new number joins the contact's chain with its own contact hours. */
export function addChainNumber(engine: Engine, contactId: string, n: NewNumber): Promise<Result<CallingListRecord>> {
  return engine.run(async () => {
    const chain = await engine.chainOf(contactId);
    if (chain.length === 0) return fail(`contact ${contactId} has no calling-list records`);
    const first = chain[0];
    const phone = checkPhoneNumber(n.phone, first.tz);
    if (!phone.ok) return fail(phone.error);
    if (chain.some((r) => r.contact_info === phone.e164)) return fail(`${phone.international} is already in this contact's numbers`);
    if (!(n.type in CONTACT_INFO_TYPE_NAMES)) return fail(`unknown phone type ${n.type}`);
    if (!(n.from >= 0 && n.until <= 86400 && n.until > n.from)) return fail(`Until (${formatSecondsOfDay(n.until)}) must be after From (${formatSecondsOfDay(n.from)})`);
    const id = await engine.newId('record');
    const rec: CallingListRecord = {
      ...first,
      record_id: id,
      ...NEW_RECORD,
      contact_info: phone.e164,
      contact_info_type: n.type,
      daily_from: n.from,
      daily_till: n.until,
      agent_id: null,
      chain_n: Math.max(...chain.map((r) => r.chain_n)) + 1,
      treatments: ['AddRecord'],
      callback_local: null,
      disposition: null,
    };
    engine.insertRecord(rec);
    return ok(rec);
  });
}

// ---- Reschedule Callback --------------------------------------------------------------------

export interface RescheduleInput {
  /** The chain number to call back on. */
  recordId: number;
  when: ParsedWhen;
  /** Zone a wall time is read in; the record's own zone by default. */
  tz?: string;
  /** For a time in the fall-back hour. */
  overlap?: 'earlier' | 'later';
  personal: boolean;
  agentId: string | null;
  /** The record the call is about (its campaign's policy and horizon apply). */
  campaignId?: string;
}

export type RescheduleProblem =
  | { code: 'gap' | 'overlap'; message: string; choices: [number, number] }
  | { code: 'past' | 'horizon' | 'policy' | 'cap' | 'record'; message: string };

export interface RescheduleQuote extends PendingReschedule {
  agentId: string | null;
  /** Contact hours warning with the next allowed time, when outside them. */
  warning: string | null;
  /** What will happen: "personal until 15:20 EST, then to the campaign". */
  routing: string;
}

/** The Personal Callback box as the campaign's policy shows it. */
export function personalChoice(engine: Engine, campaignId: string): 'free' | 'locked-on' | 'hidden' {
  const p = engine.state.campaigns[campaignId].callbackPolicy;
  return p === 'personal-only' ? 'locked-on' : p === 'campaign-only' ? 'hidden' : 'free';
}

export type QuoteResult = { ok: true; value: RescheduleQuote } | { ok: false; error: RescheduleProblem };

/**
 * Validates a callback time and says what will happen, without changing anything. `q` is what
 * it reads the record and the agent's open callbacks from: the transaction in progress, or the
 * committed state for a form that shows the quote as the agent types.
 */
export async function quoteReschedule(engine: Engine, q: StoreReader, input: RescheduleInput): Promise<QuoteResult> {
  const r = await q.records.get(input.recordId);
  const c = r && engine.state.campaigns[input.campaignId ?? r.campaign_id];
  const openPersonal = r && c && input.agentId ? await q.records.openPersonalCallbacks(input.agentId, c.id) : [];
  return quoteRescheduleWith(engine, { record: r, openPersonal }, input);
}

/** What a quote reads from the store: the record, and the agent's open personal callbacks in its campaign. */
export interface QuoteFacts {
  record: CallingListRecord | undefined;
  openPersonal: readonly CallingListRecord[];
}

/**
 * The quote on facts already read (a form reads them once and quotes at every change, without
 * a query while it draws).
 */
export function quoteRescheduleWith(engine: Engine, facts: QuoteFacts, input: RescheduleInput): QuoteResult {
  const r = facts.record;
  if (!r) return { ok: false, error: { code: 'record', message: `no record ${input.recordId}` } };
  if (r.record_type === RecordType.NoCall) return { ok: false, error: { code: 'record', message: `${r.contact_info} is on the Do Not Call list` } };
  const c = engine.state.campaigns[input.campaignId ?? r.campaign_id];
  const zones = engine.zones;
  let at: number;
  if (input.when.kind === 'instant') at = input.when.utc;
  else {
    const w: WallTime = input.when.wall;
    // A zone named in the text ("10:00 Europe/Berlin") wins over the contact's.
    const tz = input.when.zone ?? input.tz ?? r.tz;
    const res = zones.resolve(tz, w);
    if (res.kind === 'gap') {
      return {
        ok: false,
        error: {
          code: 'gap',
          message: `${formatWall(w, 'yyyy-LL-dd HH:mm')} does not exist in ${tz} (the clocks skip it for daylight saving); nearest valid times: ${zones.format(res.before, tz, 'HH:mm')} or ${zones.format(res.after, tz, 'HH:mm')}`,
          choices: [res.before, res.after],
        },
      };
    }
    if (res.kind === 'overlap') {
      if (!input.overlap) {
        return {
          ok: false,
          error: {
            code: 'overlap',
            message: `${formatWall(w, 'yyyy-LL-dd HH:mm')} happens twice in ${tz} (clocks fall back): choose ${zones.format(res.earlier, tz, 'HH:mm')} (first) or ${zones.format(res.later, tz, 'HH:mm')} (second)`,
            choices: [res.earlier, res.later],
          },
        };
      }
      at = input.overlap === 'earlier' ? res.earlier : res.later;
    } else at = res.utc;
  }
  if (at <= engine.now) {
    return { ok: false, error: { code: 'past', message: notLaterThanNow(at, engine.now, r.tz, zones) } };
  }
  if (at > engine.now + c.callbackHorizonDays * 86_400_000) {
    return { ok: false, error: { code: 'horizon', message: `${c.name} books callbacks at most ${c.callbackHorizonDays} days ahead (until ${zones.format(engine.now + c.callbackHorizonDays * 86_400_000, r.tz, 'ccc d LLL yyyy')})` } };
  }
  const choice = personalChoice(engine, c.id);
  let personal = input.personal;
  if (choice === 'locked-on') personal = true;
  if (choice === 'hidden') {
    if (personal) return { ok: false, error: { code: 'policy', message: `${c.name} books campaign callbacks only` } };
  }
  if (personal) {
    if (!input.agentId) return { ok: false, error: { code: 'policy', message: 'a personal callback needs an agent' } };
    const open = facts.openPersonal.filter((x) => x.campaign_id === c.id && x.record_id !== r.record_id).length;
    if (open >= c.personalCallbackCap) {
      return { ok: false, error: { code: 'cap', message: `you already hold ${open} open personal callbacks in ${c.name} (the limit is ${c.personalCallbackCap}); book a campaign callback instead` } };
    }
  }
  const dialable = nextContactable(engine, r, at);
  const warning = dialable > at ? `outside the contact hours of ${r.contact_info} (${contactHoursLabel(engine, r, at)}); the dialer waits until ${zones.format(dialable, r.tz, 'ccc d LLL HH:mm')}` : null;
  const dueAt = dialable;
  const routing = personal
    ? c.missedCallbackToCampaign
      ? `personal until ${zones.format(dueAt + c.personalCallbackGraceMin * 60_000, r.tz, 'HH:mm')}, then to the campaign`
      : `personal: only you get it (missed after ${zones.format(dueAt + c.personalCallbackGraceMin * 60_000, r.tz, 'HH:mm')})`
    : `campaign callback: any agent of ${c.name}`;
  return {
    ok: true,
    value: {
      at,
      tz: r.tz,
      local: zones.formatPlain(at, r.tz, 'yyyy-LL-dd HH:mm'),
      callbackType: personal ? 'Personal' : 'Campaign',
      recordId: r.record_id,
      dialableFrom: dialable > at ? dialable : undefined,
      agentId: personal ? input.agentId : null,
      warning,
      routing,
    },
  };
}

/** Sets (or clears) the callback the call will be rescheduled to when the agent clicks Done. */
export function setPendingReschedule(engine: Engine, id: string, quote: RescheduleQuote | null): Promise<Result<void>> {
  return engine.run(() => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const refused = callActionRefusal(engine, 'reschedule', got.value);
    if (refused) return fail(refused);
    got.value.outbound.pendingReschedule = quote
      ? { at: quote.at, tz: quote.tz, local: quote.local, callbackType: quote.callbackType, recordId: quote.recordId, dialableFrom: quote.dialableFrom }
      : null;
    engine.touch('interaction', id);
    return ok(undefined);
  });
}

/**
 * Done on an outbound call: RecordReschedule when a callback is set (RecordProcessed
 * otherwise), then the interaction leaves the desktop. Called by Engine.markDone.
 */
export async function completeOutbound(engine: Engine, it: Interaction): Promise<Result<string>> {
  const ob = it.outbound!;
  const refused = callActionRefusal(engine, 'done', it);
  if (refused) return fail(refused);
  const agent = me(engine);
  const rec = (await engine.record(ob.recordId))!;
  const wasCallback = rec.record_type === RecordType.PersonalCallback || rec.record_type === RecordType.CampaignCallback;
  let ack: string;
  if (ob.pendingReschedule) {
    const p = ob.pendingReschedule;
    // Re-check: time moves on while the form is open, and caps may have filled meanwhile.
    const q = await quoteReschedule(engine, engine.db, {
      recordId: p.recordId,
      when: { kind: 'instant', utc: p.at },
      personal: p.callbackType === 'Personal',
      agentId: agent,
      campaignId: rec.campaign_id,
    });
    if (!q.ok) return fail(`the callback cannot be booked: ${q.error.message}`);
    // The call itself is processed; the callback is booked on the chosen number.
    if (p.recordId !== rec.record_id) {
      rec.record_status = RecordStatus.Updated;
      rec.call_result = ob.callResult;
      rec.disposition = ob.disposition;
      engine.touch('record', rec.record_id);
    }
    const target = (await engine.record(p.recordId))!;
    target.call_result = p.recordId === rec.record_id ? ob.callResult : target.call_result;
    target.disposition = ob.disposition;
    await bookCallback(engine, { recordId: p.recordId, at: p.at, type: p.callbackType, agentId: p.callbackType === 'Personal' ? agent : null, bookedBy: agent });
    ob.rescheduled = true;
    const when = engine.zones.format(p.at, p.tz, 'ccc d LLL HH:mm');
    ack = wasCallback ? acknowledgement(`${p.callbackType} callback moved to ${when}`, 'ScheduledRecordRescheduleAcknowledge') : acknowledgement(`${p.callbackType} callback set for ${when}`, 'RecordRescheduleAcknowledge');
  } else if (it.state === 'preview' && ob.callResult === CallResult.Unknown) {
    // Done on a preview never dialed: RecordReject, the record goes back to the list.
    // A rejected callback is not called back: it returns as a general record.
    rec.record_status = RecordStatus.Ready;
    rec.agent_id = null;
    if (wasCallback) {
      rec.record_type = RecordType.General;
      rec.dialSchedAt = null;
    }
    engine.touch('record', rec.record_id);
    ack = acknowledgement(`Record ${rec.record_id} not called: back to the list`, 'RecordRejectAcknowledge');
  } else {
    if (rec.record_type !== RecordType.NoCall) {
      rec.record_status = RecordStatus.Updated;
      rec.call_result = ob.callResult;
    }
    rec.disposition = ob.disposition;
    engine.touch('record', rec.record_id);
    ack = acknowledgement(`Record ${rec.record_id} done`, 'RecordProcessedAcknowledge');
  }
  if (agent && engine.state.agents[agent].status === 'AfterCallWork') {
    // Back to the status the agent had before the call: Not Ready stays Not Ready.
    engine.changeStatus(agent, engine.state.agents[agent].statusAfterWork ?? 'Ready');
  }
  return ok(ack);
}

export { deliverWaitingCallbacks };

export interface ScriptedCallback {
  recordId: number;
  when: ParsedWhen;
  tz?: string;
  overlap?: 'earlier' | 'later';
  /** undefined: as the campaign's policy has it (campaign callbacks where there is a choice). */
  personal?: boolean;
  agentId: string;
  /** A chain number (any format) to call back on instead of the record's own. */
  phone?: string;
  /** Move the record's open callback, if it has one (otherwise that is refused). */
  replace?: boolean;
  /**
   * Who booked it. Default: whoever booked the open callback being moved, else the owner of a
   * personal callback; a script's campaign callback has nobody.
   */
  bookedBy?: string | null;
}

/** What `callbacks add` booked, and the contact-hours warning the form would show. */
export interface ScheduledCallback {
  record: CallingListRecord;
  warning: string | null;
}

/**
 * Whether a day (in `tz`) lies past the campaign's callback horizon: its first instant is beyond
 * it. The calendar marks such days before the agent picks one.
 */
export function beyondCallbackHorizon(engine: Engine, campaignId: string, date: { year: number; month: number; day: number }, tz: string): boolean {
  const c = engine.state.campaigns[campaignId];
  if (!c) return false;
  const start = engine.zones.instant(tz, { ...date, hour: 0, minute: 0 }, 'earlier');
  return start !== null && start > engine.now + c.callbackHorizonDays * 86_400_000;
}

/** `callbacks add` / `callbacks reschedule`: the form's rules, without the form. */
export type ScheduleResult = { ok: true; value: ScheduledCallback } | { ok: false; error: RescheduleProblem };

export async function scheduleCallback(engine: Engine, s: ScriptedCallback): Promise<ScheduleResult> {
  // Read and written in one transaction: the record cannot change between the check and the booking.
  let out!: ScheduleResult;
  const r = await engine.run(async () => {
    out = await scheduleCallbackNow(engine, s);
    // A refusal changes nothing: roll the transaction back.
    return out.ok ? ok(undefined) : fail(out.error.message);
  });
  if (!r.ok && out?.ok !== false) return { ok: false, error: { code: 'record', message: r.error } };
  return out;
}

/** `callbacks add` inside the transaction in progress (My Callbacks' reschedule runs it too). */
export async function scheduleCallbackNow(engine: Engine, s: ScriptedCallback): Promise<ScheduleResult> {
  const base = await engine.record(s.recordId);
  if (!base) return { ok: false, error: { code: 'record', message: `no record ${s.recordId}` } };
  let target = base;
  if (s.phone) {
    const p = checkPhoneNumber(s.phone, base.tz);
    if (!p.ok) return { ok: false, error: { code: 'record', message: p.error } };
    const hit = (await engine.chainOf(base.contact_id)).find((r) => r.contact_info === p.e164);
    if (!hit) return { ok: false, error: { code: 'record', message: `${p.international} is not one of the contact's numbers` } };
    target = hit;
  }
  if (target.record_status === RecordStatus.Retrieved) return { ok: false, error: { code: 'record', message: `record ${target.record_id} is on an agent's desktop right now` } };
  const choice = personalChoice(engine, target.campaign_id);
  const c = engine.state.campaigns[target.campaign_id];
  // The form's rules: a campaign that makes every callback personal has no campaign callbacks.
  if (s.personal === false && choice === 'locked-on') {
    return { ok: false, error: { code: 'policy', message: `${c.name} makes every callback personal (callback policy personal-only); leave out --campaign` } };
  }
  const personal = s.personal ?? choice === 'locked-on';
  if (personal && !engine.state.agents[s.agentId]) {
    return { ok: false, error: { code: 'policy', message: `no agent "${s.agentId}" (agents: ${Object.keys(engine.state.agents).sort().join(', ')})` } };
  }
  const q = await quoteReschedule(engine, engine.db, { recordId: target.record_id, when: s.when, tz: s.tz, overlap: s.overlap, personal, agentId: s.agentId });
  if (!q.ok) return q;
  // A retried script must not book twice: the same callback again, or a second one on the record.
  if (isOpenCallback(target)) {
    const same = target.dialSchedAt === wholeSeconds(q.value.at) && (target.record_type === RecordType.PersonalCallback) === (q.value.callbackType === 'Personal') && (q.value.callbackType === 'Campaign' || target.agent_id === q.value.agentId);
    const what = `${target.record_type === RecordType.PersonalCallback ? 'Personal' : 'Campaign'} callback at ${target.callback_local ?? ''} ${target.tz}`;
    if (same) return { ok: false, error: { code: 'record', message: `callback ${target.record_id} already exists (${what}); nothing was added` } };
    if (!s.replace) return { ok: false, error: { code: 'record', message: `record ${target.record_id} already has an open callback (${what}); pass --replace to move it, or use callbacks reschedule ${target.record_id}` } };
  }
  const bookedBy = s.bookedBy !== undefined ? s.bookedBy : isOpenCallback(target) && target.booked_by ? target.booked_by : q.value.agentId;
  await bookCallback(engine, { recordId: target.record_id, at: q.value.at, type: q.value.callbackType, agentId: q.value.agentId, bookedBy });
  return { ok: true, value: { record: (await engine.record(target.record_id))!, warning: q.value.warning } };
}

/** RecordCancel of a callback: record_status 5 Cancelled; it will not be called. */
export function cancelCallback(engine: Engine, recordId: number): Promise<Result<CallingListRecord>> {
  return engine.run(() => cancelCallbackNow(engine, recordId));
}

/** RecordCancel inside the transaction in progress. */
export async function cancelCallbackNow(engine: Engine, recordId: number): Promise<Result<CallingListRecord>> {
  {
    const r = await engine.record(recordId);
    if (!r) return fail(`no record ${recordId}`);
    if (r.record_type !== RecordType.PersonalCallback && r.record_type !== RecordType.CampaignCallback) return fail(`record ${recordId} is not a callback`);
    if (r.record_status !== RecordStatus.Ready && r.record_status !== RecordStatus.MissedCallback) return fail(`callback ${recordId} is not open (record_status ${r.record_status})`);
    r.record_status = RecordStatus.Cancelled;
    r.call_result = CallResult.CancelRecord;
    r.treatments = [...r.treatments, 'RecordCancel'];
    engine.touch('record', recordId);
    return ok(r);
  }
}

/**
 * A pushed record the agent did not take: RecordReject returns it to the list (another agent
 * or a later push gets it); RecordCancel (decline) takes it out of this campaign's dialing.
 */
export async function returnPushedRecord(engine: Engine, it: Interaction, how: 'reject' | 'decline'): Promise<void> {
  const rec = (await engine.record(it.outbound!.recordId))!;
  rec.record_status = how === 'reject' ? RecordStatus.Ready : RecordStatus.Cancelled;
  // A personal callback given back (its agent's desktop was lost) stays its owner's: it comes to
  // them at their next login, or to the campaign once the grace period has passed, as one never
  // delivered does. Without its owner it waited for nobody.
  const ownersStill = how === 'reject' && rec.record_type === RecordType.PersonalCallback && rec.agent_id !== null && rec.dialSchedAt !== null;
  if (ownersStill) {
    const grace = engine.state.campaigns[rec.campaign_id]?.personalCallbackGraceMin ?? 0;
    engine.schedule(Math.max(engine.now, rec.dialSchedAt! + grace * 60_000), { type: 'CallbackGraceEnd', recordId: rec.record_id, dueAt: rec.dialSchedAt! });
  } else rec.agent_id = null;
  if (how === 'decline') rec.call_result = CallResult.CancelRecord;
  rec.treatments = [...rec.treatments, how === 'reject' ? 'RecordReject' : 'RecordCancel'];
  engine.touch('record', rec.record_id);
  it.state = 'done';
  it.updatedAt = engine.now;
  engine.touch('interaction', it.id);
  await engine.emit('recordReturned', { interaction: it, how });
}

/** Push Preview: the agent rejects or declines the pushed record instead of accepting it. */
export function answerPushPreview(engine: Engine, id: string, how: 'reject' | 'decline'): Promise<Result<string>> {
  return engine.run(async () => {
    const got = outboundOf(engine, id);
    if (!got.ok) return got;
    const it = got.value;
    const refused = callActionRefusal(engine, how, it);
    if (refused) return fail(refused);
    await returnPushedRecord(engine, it, how);
    await deliverWaitingCallbacks(engine, me(engine));
    const recordId = it.outbound.recordId;
    return ok(how === 'reject' ? acknowledgement(`Record ${recordId} rejected: back to the list`, 'RecordRejectAcknowledge') : acknowledgement(`Record ${recordId} declined: not called in this campaign`, 'RecordCancelAcknowledge'));
  });
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    CallOutcome: { interactionId: string };
  }
}
