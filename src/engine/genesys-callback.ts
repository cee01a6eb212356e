// Long on purpose: one feature, Genesys Callback: its services, availability and booking rules,
// and their timers.
import type { CallbackService, CallbackType, GenesysCallback } from './domain.js';
import type { Engine } from './engine.js';
import { holdsCapacity } from './slot-capacity.js';
import type { StoreReader } from './store-port.js';
import { fail, ok, type Result } from './result.js';
import { addDays } from './time/callback-time.js';
import { isoWeekday, type TimeZones, type WallTime } from './time/time-zones.js';
import { isoLocalTime, isoUtc } from './time/iso-time.js';
import { withinContactHours } from './callbacks.js';

export { isoLocalTime, isoUtc };

/**
 * Genesys Callback (GMS): named services with office hours and a capacity per time bucket,
 * availability in the shape of the GMS v2 answer, and atomic booking.
 */

/** One bucket of a service's capacity. */
export interface CallbackSlot {
  service: string;
  /** UTC ms. Slots step by elapsed time from the opening instant, so a slot may straddle a DST gap. */
  start: number;
  end: number;
  total: number;
  remaining: number;
  /** Why it cannot be booked now, if it cannot. */
  unavailable: 'past' | 'full' | null;
  /** Outside the hours the chosen number may be called (its contact hours, in its zone). */
  outsideContactHours?: boolean;
}

export interface AvailabilityQuery {
  service: string;
  /** UTC ms of the first instant asked about. */
  start: number;
  days: number;
  /** Zone of localTime; the service's own by default. */
  timezone?: string;
  /** report-busy: include full slots (capacity 0). */
  reportBusy?: boolean;
  maxTimeSlots?: number;
}

/** The GMS v2 availability answer. */
export interface AvailabilityAnswer {
  durationMin: number;
  timezone: string;
  slots: { utcTime: string; localTime: string; capacity: number; total: number }[];
}

const DAY = 86_400_000;

// ---- office hours -> slots ------------------------------------------------------------------

function dateKey(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The instant a service-local wall time names: a gap time opens at the gap's end. */
function wallInstant(zones: TimeZones, tz: string, w: WallTime, side: 'earlier' | 'later'): number {
  const r = zones.resolve(tz, w);
  if (r.kind === 'exact') return r.utc;
  if (r.kind === 'overlap') return side === 'earlier' ? r.earlier : r.later;
  return r.after;
}

/** Opening intervals (UTC ms) of one service-local date. */
export function openIntervals(zones: TimeZones, s: CallbackService, date: { year: number; month: number; day: number }): [number, number][] {
  const list = s.officeHours.special[dateKey(date)] ?? s.officeHours.weekly[isoWeekday(date)] ?? [];
  return list.map(([from, to]) => {
    const at = (sec: number, side: 'earlier' | 'later') => {
      const d = sec >= 86400 ? addDays(date, 1) : date;
      const rest = sec % 86400;
      return wallInstant(zones, s.tz, { ...d, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60) }, side);
    };
    return [at(from, 'earlier'), at(to, 'later')] as [number, number];
  });
}

/** Every bucket start of a service whose start lies in [from, to). */
export function slotStarts(zones: TimeZones, s: CallbackService, from: number, to: number): number[] {
  const len = s.slotMinutes * 60_000;
  const out: number[] = [];
  const first = zones.toWall(s.tz, from - DAY);
  const last = zones.toWall(s.tz, to + DAY);
  for (let d = { year: first.year, month: first.month, day: first.day }; dateKey(d) <= dateKey(last); d = addDays(d, 1)) {
    for (const [open, close] of openIntervals(zones, s, d)) {
      for (let t = open; t + len <= close; t += len) if (t >= from && t < to) out.push(t);
    }
  }
  return out;
}

// ---- the booking index ----------------------------------------------------------------------

// ---- availability ---------------------------------------------------------------------------

export function serviceOf(engine: Engine, name: string): CallbackService | undefined {
  return engine.state.services[name];
}

/**
 * Slots of a service starting in [from, to), with what is left of each. `q`: the transaction in
 * progress, or the committed state for a form or a command that only shows them.
 */
export async function slotsBetween(engine: Engine, q: StoreReader, service: string, from: number, to: number): Promise<CallbackSlot[]> {
  const s = serviceOf(engine, service);
  if (!s) return [];
  const len = s.slotMinutes * 60_000;
  const starts = slotStarts(engine.zones, s, from, to);
  const counts = starts.length > 0 ? await q.gcallbacks.bookedBetween(service, starts[0], starts[starts.length - 1] + 1) : new Map<number, number>();
  return starts.map((start) => {
    const remaining = Math.max(0, s.capacity - (counts.get(start) ?? 0));
    return {
      service,
      start,
      end: start + len,
      total: s.capacity,
      remaining,
      unavailable: start < engine.now ? 'past' : remaining === 0 ? 'full' : null,
    };
  });
}

/** The slots starting on one local date of `tz` (the grid of the form's chosen day). */
export function slotsOnDate(engine: Engine, q: StoreReader, service: string, date: { year: number; month: number; day: number }, tz: string): Promise<CallbackSlot[]> {
  const from = wallInstant(engine.zones, tz, { ...date, hour: 0, minute: 0 }, 'earlier');
  const to = wallInstant(engine.zones, tz, { ...addDays(date, 1), hour: 0, minute: 0 }, 'earlier');
  return slotsBetween(engine, q, service, from, to);
}

/**
 * The slots of a day for a contact's number: each marked when it falls outside the number's
 * contact hours, so the form can show it before the agent picks it.
 */
export async function slotsForNumber(engine: Engine, q: StoreReader, service: string, date: { year: number; month: number; day: number }, tz: string, recordId: number | null): Promise<CallbackSlot[]> {
  const slots = await slotsOnDate(engine, q, service, date, tz);
  const r = recordId !== null ? await q.records.get(recordId) : undefined;
  if (!r) return slots;
  return slots.map((s) => (withinContactHours(engine, r, s.start) ? s : { ...s, outsideContactHours: true }));
}

/** Whether the service takes callbacks on a date (its zone): a closed day has no opening interval. */
export function serviceOpenOn(engine: Engine, service: string, date: { year: number; month: number; day: number }): boolean {
  const s = serviceOf(engine, service);
  return !!s && openIntervals(engine.zones, s, date).length > 0;
}

/** GMS v2 availability: open slots (and, with report-busy, full ones) from start for N days. */
export async function availability(engine: Engine, db: StoreReader, q: AvailabilityQuery): Promise<Result<AvailabilityAnswer>> {
  const s = serviceOf(engine, q.service);
  if (!s) return fail(`CallbackExceptionResource: no callback service "${q.service}" (services: ${Object.keys(engine.state.services).join(', ')})`);
  const tz = q.timezone ?? s.tz;
  if (!engine.zones.has(tz)) return fail(`unknown time zone "${tz}"`);
  const from = Math.max(q.start, engine.now);
  const slots = (await slotsBetween(engine, db, q.service, from, q.start + q.days * DAY)).filter((x) => x.remaining > 0 || q.reportBusy);
  const limited = q.maxTimeSlots ? slots.slice(0, q.maxTimeSlots) : slots;
  return ok({
    durationMin: s.slotMinutes,
    timezone: tz,
    slots: limited.map((x) => ({ utcTime: isoUtc(x.start), localTime: isoLocalTime(engine.zones, tz, x.start), capacity: x.remaining, total: x.total })),
  });
}

// ---- booking --------------------------------------------------------------------------------

export interface BookingRequest {
  service: string;
  contactId: string | null;
  customerNumber: string;
  type: CallbackType;
  /** Start of the chosen slot (UTC ms); ignored for Immediate, which takes the current slot. */
  slot: number | null;
  bookedBy: string;
  originInteraction?: string | null;
}

/** The slot that must hold a booking, or why none can. */
async function checkSlot(engine: Engine, service: string, start: number, ignore?: GenesysCallback): Promise<Result<CallbackSlot>> {
  const s = serviceOf(engine, service);
  if (!s) return fail(`CallbackExceptionResource: no callback service "${service}"`);
  const slot = (await slotsBetween(engine, engine.db, service, start, start + 1))[0];
  const label = engine.zones.format(start, s.tz, 'ccc d LLL HH:mm');
  if (!slot) return fail(`CallbackExceptionAvailability: ${service} is closed at ${label}`);
  if (slot.start < engine.now) return fail(`CallbackExceptionAvailability: ${label} is in the past`);
  const mine = ignore && ignore.service === service && ignore.slot === start && holdsCapacity(ignore) ? 1 : 0;
  if (slot.remaining + mine <= 0) return fail(`CallbackExceptionAvailability: the ${label} slot is full (${slot.total} of ${slot.total} booked)`);
  return ok(slot);
}

/** The bucket now, for Immediate callbacks. */
function currentSlot(engine: Engine, service: string): number | null {
  const s = serviceOf(engine, service);
  if (!s) return null;
  const len = s.slotMinutes * 60_000;
  const starts = slotStarts(engine.zones, s, engine.now - len, engine.now + 1);
  const cur = starts.filter((t) => t <= engine.now && t + len > engine.now);
  return cur[0] ?? null;
}

/**
 * Books a callback. Atomic: capacity is checked and taken in one step of the engine, inside
 * the store's exclusive transaction, so a slot is never double-booked even against a script
 * booking from another process.
 */
export function bookGenesysCallback(engine: Engine, req: BookingRequest): Promise<Result<GenesysCallback>> {
  return engine.run(() => bookGenesysCallbackNow(engine, req));
}

/** The booking, inside the transaction in progress (a simulated customer's, or an agent's). */
async function bookGenesysCallbackNow(engine: Engine, req: BookingRequest): Promise<Result<GenesysCallback>> {
  {
      let start: number;
      const capacity = serviceOf(engine, req.service)?.capacity ?? 0;
      const full = `CallbackExceptionAvailability: no capacity left in the current slot of ${req.service}`;
      if (req.type === 'Immediate') {
        const cur = currentSlot(engine, req.service);
        if (cur === null) return fail(`CallbackExceptionAvailability: ${req.service} is closed now`);
        start = cur;
        if ((await engine.db.gcallbacks.booked(req.service, cur)) >= capacity) return fail(full);
      } else {
        if (req.slot === null) return fail('choose a time slot');
        const checked = await checkSlot(engine, req.service, req.slot);
        if (!checked.ok) return checked;
        start = checked.value.start;
      }
      // A retried booking must not take a second place: the contact holds this slot already.
      const held = req.contactId ? (await engine.db.gcallbacks.openOfContact(req.contactId)).find((cb) => cb.service === req.service && cb.slot === start) : undefined;
      if (held) return fail(`${req.contactId} already holds this slot of ${req.service}: callback ${held.id} (${held.state}); nothing was booked`);
      const id = `CB${await engine.newId('gcallback')}`;
      const cb: GenesysCallback = {
        id,
        service: req.service,
        contactId: req.contactId,
        customerNumber: req.customerNumber,
        type: req.type,
        desiredTime: req.type === 'Immediate' ? engine.now : start,
        slot: start,
        state: 'SCHEDULED',
        reason: null,
        bookedBy: req.bookedBy,
        createdAt: engine.now,
        history: [],
        originInteraction: req.originInteraction ?? null,
      };
      // The place is taken by the store's conditional update: another process may have taken
      // the last one since the check above.
      if (!(await engine.claimSlot(cb, capacity))) return fail(`CallbackExceptionAvailability: the slot filled meanwhile (${capacity} of ${capacity} booked)`);
      armGmsDue(engine, cb);
      return ok(cb);
  }
}

/** _new_desired_time: moves a scheduled callback to another slot, atomically. */
export function rescheduleGenesysCallback(engine: Engine, id: string, slot: number | null, by: string, type?: CallbackType): Promise<Result<GenesysCallback>> {
  return engine.run(async () => {
      const cb = await engine.gcallback(id);
      if (!cb) return fail(`no callback ${id}`);
      if (cb.state === 'COMPLETED') return fail(`callback ${id} is completed (${cb.reason})`);
      // Immediate takes the current slot of the service; the other types need a chosen one.
      const wanted = type === 'Immediate' ? currentSlot(engine, cb.service) : slot;
      if (wanted === null) return fail(type === 'Immediate' ? `CallbackExceptionAvailability: ${cb.service} is closed now` : 'choose a time slot');
      const checked = await checkSlot(engine, cb.service, wanted, cb);
      if (!checked.ok) return checked;
      slot = checked.value.start;
      cb.history = [...cb.history, { at: engine.now, desiredTime: cb.desiredTime, by }];
      if (type) cb.type = type;
      cb.desiredTime = type === 'Immediate' ? engine.now : slot;
      cb.slot = slot;
      cb.state = 'SCHEDULED';
      const capacity = serviceOf(engine, cb.service)?.capacity ?? 0;
      if (!(await engine.claimSlot(cb, capacity))) return fail(`CallbackExceptionAvailability: the slot filled meanwhile (${capacity} of ${capacity} booked)`);
      armGmsDue(engine, cb);
      return ok(cb);
  });
}

export function cancelGenesysCallback(engine: Engine, id: string): Promise<Result<GenesysCallback>> {
  return engine.run(() => cancelGenesysCallbackNow(engine, id));
}

/** The GMS cancel inside the transaction in progress. */
export async function cancelGenesysCallbackNow(engine: Engine, id: string): Promise<Result<GenesysCallback>> {
  {
    const cb = await engine.gcallback(id);
    if (!cb) return fail(`no callback ${id}`);
    if (cb.state === 'COMPLETED') return fail(`callback ${id} is already completed (${cb.reason})`);
    cb.state = 'COMPLETED';
    cb.reason = 'CANCELLED';
    engine.touch('gcallback', id);
    return ok(cb);
  }
}

// ---- the simulation: customers booking, callbacks routed when due -----------------------------

const CUSTOMER_MEAN_MS = 4 * 60_000;
/** A due callback nobody takes within this time fails (FAIL_TIMEOUT_TTL). */
const TTL_MS = 30 * 60_000;

export function registerGenesysCallbacks(engine: Engine): void {
  // A callback interaction's lifecycle moves its GMS callback along.
  const callbackOf = (it: { kind: string; caseData: Record<string, string> }) => (it.kind === 'callback' ? it.caseData.GMS_CALLBACK_ID : undefined);
  engine.on('interactionTimedOut', async (it) => {
    const id = callbackOf(it);
    if (id) await callbackInvitationTimedOut(engine, id);
  });
  engine.on('interactionAccepted', async (it) => {
    const id = callbackOf(it);
    if (id) await callbackInteractionAccepted(engine, id);
  });
  engine.on('interactionDone', async (it) => {
    const id = callbackOf(it);
    if (id) await callbackInteractionDone(engine, id);
    await offerHeldCallback(engine, it.agentId ?? null);
  });
  // A callback held for the agent who booked it comes as soon as they are free.
  engine.on('agentLoggedIn', (e) => offerHeldCallback(engine, e.agentId));
  engine.on('agentStatusChanged', (e) => offerHeldCallback(engine, e.agentId));
  engine.onTimer('GmsCustomerBooking', async () => {
    const r = engine.random;
    engine.schedule(engine.now + Math.max(20_000, Math.round(r.exponential(CUSTOMER_MEAN_MS))), { type: 'GmsCustomerBooking' });
    const services = Object.keys(engine.state.services);
    if (services.length === 0) return;
    const service = r.pick(services);
    const dayOffset = r.pick([0, 0, 0, 1, 1, 2, 3]);
    const from = engine.now + dayOffset * DAY;
    const open = (await slotsBetween(engine, engine.db, service, from, from + DAY)).filter((x) => x.unavailable === null);
    if (open.length === 0) return;
    // Customers favour the first slots offered.
    const slot = open[Math.min(open.length - 1, Math.floor(r.exponential(open.length / 4)))];
    const contact = await engine.db.contacts.pick(r.next());
    if (!contact) return;
    const number = (await engine.db.records.ofContact(contact.id))[0]?.contact_info ?? '+12125550100';
    const colleagues = Object.values(engine.state.agents).filter((a) => a.simulated);
    const by = r.chance(0.6) ? 'web' : r.pick(colleagues).id;
    await bookGenesysCallbackNow(engine, { service, contactId: contact.id, customerNumber: number, type: r.chance(0.8) ? 'Scheduled' : 'Delayed (Agent Preview)', slot: slot.start, bookedBy: by });
  });

  engine.onTimer('GmsDue', async (ev) => {
    gmsHandled(engine).set(`${ev.callbackId}@${ev.desiredTime}`, ev.desiredTime);
    const cb = await engine.gcallback(ev.callbackId);
    if (!cb || cb.state !== 'SCHEDULED' || cb.desiredTime !== ev.desiredTime) return;
    cb.state = 'QUEUED';
    engine.touch('gcallback', cb.id);
    // The agent who booked it gets it when free; one logged in but busy or Not Ready has it held
    // (told now, offered when free); every other callback goes to a colleague.
    const me = cb.bookedBy;
    if (engine.agentFreeForVoice(me) === me) await offerToBooker(engine, cb);
    else if (heldForBooker(engine, cb)) {
      const contact = cb.contactId ? await engine.contact(cb.contactId) : undefined;
      await engine.postMessage(me, 'callback', `Genesys callback due: ${contact ? `${contact.firstName} ${contact.lastName}` : cb.customerNumber}`, `Callback ${cb.id} (${cb.type}, ${cb.service}) to ${cb.customerNumber} is due. It comes to your desktop when you are Ready with the voice channel free; My Callbacks (6) lists it until then.`, 'high');
    }
    engine.schedule(engine.now + 15_000 + Math.round(engine.random.exponential(60_000)), { type: 'GmsStep', callbackId: cb.id });
  }, (ev) => `GmsDue:${ev.callbackId}@${ev.desiredTime}`);

  engine.onTimer('GmsStep', async (ev) => {
    const cb = await engine.gcallback(ev.callbackId);
    if (!cb) return;
    if (cb.state === 'QUEUED') {
      if (engine.now - cb.desiredTime > TTL_MS) {
        const held = heldForBooker(engine, cb);
        cb.state = 'COMPLETED';
        cb.reason = 'FAIL_TIMEOUT_TTL';
        if (held) await engine.postMessage(cb.bookedBy, 'callback', `Missed: Genesys callback ${cb.id}`, `Callback ${cb.id} to ${cb.customerNumber} waited ${TTL_MS / 60_000} min for you to be Ready and failed (FAIL_TIMEOUT_TTL).`, 'normal');
      } else if (heldForBooker(engine, cb)) {
        // Held for its booker: no colleague takes it; GMS fails it once its time to live is out.
        engine.schedule(cb.desiredTime + TTL_MS + 1000, { type: 'GmsStep', callbackId: cb.id });
        return;
      } else {
        cb.state = 'PROCESSING';
        engine.schedule(engine.now + 60_000 + Math.round(engine.random.exponential(4 * 60_000)), { type: 'GmsStep', callbackId: cb.id });
      }
      engine.touch('gcallback', cb.id);
    } else if (cb.state === 'PROCESSING' && !openInteractionOf(engine, cb.id)) {
      cb.state = 'COMPLETED';
      cb.reason = 'AGENT_CONNECTED';
      engine.touch('gcallback', cb.id);
    }
  });

  engine.onTimer('GmsHopperFill', () => fillGmsHopper(engine, gmsHopperEnd(engine)), (ev) => ev.type);
  // A restored queue already holds its window; a first start reads one.
  engine.onStart(async () => {
    if (!engine.isScheduled({ type: 'GmsHopperFill' })) await fillGmsHopper(engine, engine.now - LOOKBACK_MS);
  });
  // Another process's bookings inside the window read so far get their timers.
  engine.on('externalChange', async () => {
    for (const cb of await engine.db.gcallbacks.scheduledBetween(engine.now - LOOKBACK_MS, gmsHopperEnd(engine), GMS_HOPPER_BATCH)) armGmsDue(engine, cb);
  });
}

// ---- the GMS hopper: due timers only for bookings due within the next window ----------------

const HOPPER_MS = 10 * 60_000;
const LOOKBACK_MS = 5 * 60_000;
/** Bookings read per fill at most: beyond it the window is shortened and read on at once. */
const GMS_HOPPER_BATCH = 20_000;
function gmsHopperEnd(engine: Engine): number {
  return engine.state.hoppers?.gms ?? engine.now;
}
const gmsHandledBy = new WeakMap<Engine, Map<string, number>>();

function gmsHandled(engine: Engine): Map<string, number> {
  let m = gmsHandledBy.get(engine);
  if (!m) gmsHandledBy.set(engine, (m = new Map()));
  return m;
}

function armGmsDue(engine: Engine, cb: GenesysCallback): void {
  if (cb.state !== 'SCHEDULED' || cb.desiredTime > gmsHopperEnd(engine)) return;
  if (gmsHandled(engine).has(`${cb.id}@${cb.desiredTime}`)) return;
  const due = { type: 'GmsDue', callbackId: cb.id, desiredTime: cb.desiredTime } as const;
  if (engine.isScheduled(due)) return;
  engine.schedule(cb.desiredTime, due);
}

async function fillGmsHopper(engine: Engine, from: number): Promise<void> {
  const rows = await engine.db.gcallbacks.scheduledBetween(from, engine.now + HOPPER_MS, GMS_HOPPER_BATCH);
  // A full batch: the window ends where it stopped, and the next fill comes at once.
  const full = rows.length === GMS_HOPPER_BATCH;
  const last = full ? rows[rows.length - 1].desiredTime : 0;
  const to = full ? (last - 1000 > from ? last - 1000 : last) : engine.now + HOPPER_MS;
  const w = engine.mut;
  w.hoppers = { callbacks: w.hoppers?.callbacks ?? engine.now, gms: to };
  for (const cb of rows) if (cb.desiredTime <= to) armGmsDue(engine, cb);
  engine.schedule(full ? engine.now : engine.now + HOPPER_MS / 2, { type: 'GmsHopperFill' });
  const h = gmsHandled(engine);
  for (const [k, at] of h) if (at < engine.now - 2 * LOOKBACK_MS) h.delete(k);
}

/**
 * Whether a queued callback waits for the agent who booked it: a person logged in at a desktop
 * (not a customer on the web, not a simulated colleague). Once its invitation has timed out it is
 * routed to another agent (callbackInvitationTimedOut) and no longer waits.
 */
function heldForBooker(engine: Engine, cb: GenesysCallback): boolean {
  const a = engine.state.agents[cb.bookedBy];
  return cb.state === 'QUEUED' && !!a && !a.simulated && engine.sessionOf(a.id) !== null;
}

/** The invitation of a due callback on its booker's desktop: ROUTING until accepted or timed out. */
async function offerToBooker(engine: Engine, cb: GenesysCallback): Promise<void> {
  cb.state = 'ROUTING';
  engine.touch('gcallback', cb.id);
  const contact = cb.contactId ? await engine.contact(cb.contactId) : undefined;
  const it = await engine.openInteraction('callback', 'voice', cb.contactId, `Callback ${cb.type} · ${cb.service}${contact ? ` · ${contact.firstName} ${contact.lastName}` : ''}`, 'alerting', {
    agentId: cb.bookedBy,
    caseData: { GMS_CALLBACK_ID: cb.id, _customer_number: cb.customerNumber, _desired_time: isoUtc(cb.desiredTime), service: cb.service, type: cb.type },
  });
  engine.schedule(engine.now + engine.inviteTimeoutMs, { type: 'InviteTimeout', interactionId: it.id });
}

/** The oldest callback held for an agent, offered once they are free (Ready, nothing on the line). */
async function offerHeldCallback(engine: Engine, agentId: string | null): Promise<void> {
  if (!agentId || engine.agentFreeForVoice(agentId) !== agentId) return;
  // Bookings come soonest first: the due ones (QUEUED among them) before any later one.
  const held = (await engine.db.gcallbacks.openBookedBy(agentId, 100)).find((cb) => cb.state === 'QUEUED');
  const cb = held ? await engine.gcallback(held.id) : undefined;
  if (cb && heldForBooker(engine, cb)) await offerToBooker(engine, cb);
}

function openInteractionOf(engine: Engine, callbackId: string) {
  return Object.values(engine.state.interactions).find((i) => i.kind === 'callback' && i.caseData.GMS_CALLBACK_ID === callbackId && i.state !== 'done');
}

/**
 * The agent let the invitation time out (or their desktop was lost): the callback is routed to
 * another agent, as the desktop tells them, and is no longer held for them.
 */
export async function callbackInvitationTimedOut(engine: Engine, callbackId: string): Promise<void> {
  const cb = await engine.gcallback(callbackId);
  if (!cb || cb.state !== 'ROUTING') return;
  cb.state = 'PROCESSING';
  engine.touch('gcallback', cb.id);
  // The colleague's call ends in a while: a later step completes it once nothing is open.
  engine.schedule(engine.now + 60_000, { type: 'GmsStep', callbackId: cb.id });
}

/** The agent accepted a callback interaction: the callback is being processed. */
export async function callbackInteractionAccepted(engine: Engine, callbackId: string): Promise<void> {
  const cb = await engine.gcallback(callbackId);
  if (!cb || cb.state === 'COMPLETED') return;
  cb.state = 'PROCESSING';
  engine.touch('gcallback', cb.id);
}

/** Done on a callback interaction: completed, unless it was rescheduled from that window. */
export async function callbackInteractionDone(engine: Engine, callbackId: string): Promise<void> {
  const cb = await engine.gcallback(callbackId);
  if (!cb || cb.state === 'COMPLETED' || cb.state === 'SCHEDULED') return;
  cb.state = 'COMPLETED';
  cb.reason = 'AGENT_CONNECTED';
  engine.touch('gcallback', cb.id);
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    GmsHopperFill: Record<never, never>;
    GmsCustomerBooking: Record<never, never>;
    GmsDue: { callbackId: string; desiredTime: number };
    GmsStep: { callbackId: string };
  }
}
