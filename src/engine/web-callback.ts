import type { Interaction, WebCallbackWindow } from './domain.js';
import type { Engine } from './engine.js';
import { openIntervals, serviceOf } from './genesys-callback.js';
import { checkPhoneNumber } from './phone-numbers.js';
import { fail, ok, type Result } from './result.js';
import { formatWall, type WallTime } from './time/time-zones.js';
import { notLaterThanNow } from './time/callback-time.js';

/**
 * Web Callback: a customer asks on a web page to be called in a window; the request arrives as
 * a Web Callback Preview at that time. The agent may reschedule it (On, From, Till, To); Done
 * commits, and the notification comes back at the new From time, exactly once.
 */

/** Web callbacks are answered within the hours of this service. */
export const WEB_CALLBACK_SERVICE = 'customer-care';
const REQUEST_MEAN_MS = 25 * 60_000;

export function registerWebCallbacks(engine: Engine): void {
  // Done finishes the request, or sends it back to wait for its new time.
  engine.onDone({ claims: (it) => !!it.web, complete: (it) => completeWebCallback(engine, it) });
  engine.onTimer('WebCallbackRequest', async () => {
    const r = engine.random;
    engine.schedule(engine.now + Math.max(60_000, Math.round(r.exponential(REQUEST_MEAN_MS))), { type: 'WebCallbackRequest' });
    const contact = await engine.db.contacts.pick(r.next());
    if (!contact) return;
    const number = (await engine.db.records.ofContact(contact.id))[0]?.contact_info;
    if (!number) return;
    // Customers ask for a window starting on a quarter hour, soon.
    const q = 15 * 60_000;
    const from = Math.ceil((engine.now + r.int(5, 90) * 60_000) / q) * q;
    const notes = ['Question about my last bill', 'Please call about my order', 'I want to upgrade my plan', 'Call me about the renewal', 'Need help setting up'];
    await createWebCallback(engine, contact.id, { from, till: from + r.pick([15, 30, 30, 60]) * 60_000, to: number }, r.pick(notes));
  });
  engine.onTimer(
    'WebCallbackDue',
    async (ev) => {
      const it = engine.mut.interactions[ev.interactionId];
      if (!it?.web || it.web.window.from !== ev.from || it.state !== 'waiting') return;
      await notify(engine, it);
    },
    (ev) => `WebCallbackDue:${ev.interactionId}@${ev.from}`,
  );
  // A request rescheduled at a desktop that does not host waits for its new time on the host.
  engine.on('externalChange', () => {
    for (const it of Object.values(engine.state.interactions)) {
      if (!it.web || it.state !== 'waiting') continue;
      const ev = { type: 'WebCallbackDue', interactionId: it.id, from: it.web.window.from } as const;
      if (!engine.isScheduled(ev)) engine.schedule(it.web.window.from, ev);
    }
  });
}

/** A new request, waiting off the desktop until its window opens (inside a transaction). */
export async function createWebCallback(engine: Engine, contactId: string, window: WebCallbackWindow, note: string): Promise<Interaction> {
  const id = `WCB${await engine.newId('webcallback')}`;
  const contact = (await engine.contact(contactId))!;
  const it = await engine.openInteraction('web-callback', 'voice', contactId, `Web Callback · ${contact.firstName} ${contact.lastName}`, 'waiting', {
    caseData: { WebCallbackId: id, Note: note },
    web: { requestId: id, window, note, pending: null, history: [], notified: 0 },
  });
  engine.schedule(window.from, { type: 'WebCallbackDue', interactionId: it.id, from: window.from });
  return it;
}

/** The Web Callback notification: on the desktop, and in My Messages when the agent is busy. */
async function notify(engine: Engine, it: Interaction): Promise<void> {
  const web = it.web!;
  it.state = 'alerting';
  it.updatedAt = engine.now;
  web.notified += 1;
  // The agent who rescheduled it, if logged in; else an agent at a desktop, a free one first.
  const logged = engine.loggedInAgents().map((a) => a.id);
  const me = it.agentId && logged.includes(it.agentId) ? it.agentId : (logged.find((a) => engine.agentFreeForVoice(a) === a) ?? logged[0] ?? null);
  it.agentId = me;
  engine.touch('interaction', it.id);
  engine.schedule(engine.now + engine.inviteTimeoutMs, { type: 'InviteTimeout', interactionId: it.id });
  if (!me) return;
  const busy = engine.state.agents[me].status !== 'Ready' || engine.activeVoice(me).some((i) => i.id !== it.id && i.state !== 'alerting');
  if (busy) {
    const c = (await engine.contact(it.contactId!))!;
    await engine.postMessage(me, 'callback', `Web Callback due: ${c.firstName} ${c.lastName}`, `${web.requestId}: call ${web.window.to} between ${engine.zones.format(web.window.from, c.tz, 'HH:mm')} and ${engine.zones.format(web.window.till, c.tz, 'HH:mm')} (${c.tz}). ${web.note}`, 'high', it);
  }
}

export interface WebRescheduleInput {
  /** The date (On) and the From and Till times, in `tz`. */
  on: { year: number; month: number; day: number };
  from: { hour: number; minute: number };
  till: { hour: number; minute: number };
  to: string;
  tz: string;
  /** The customer's zone (the To number is read as a number there). */
  contactTz: string;
}

/** Validates a reschedule and gives the window, without changing anything. */
export function quoteWebReschedule(engine: Engine, id: string, input: WebRescheduleInput): Result<WebCallbackWindow> {
  const it = engine.state.interactions[id];
  if (!it?.web) return fail(`${id} is not a web callback`);
  const zones = engine.zones;
  const resolve = (label: string, t: { hour: number; minute: number }): Result<number> => {
    const w: WallTime = { ...input.on, ...t };
    const r = zones.resolve(input.tz, w);
    if (r.kind === 'gap') return fail(`${label} ${formatWall(w, 'HH:mm')} does not exist in ${input.tz} (daylight saving skips it); nearest valid times: ${zones.format(r.before, input.tz, 'HH:mm')} or ${zones.format(r.after, input.tz, 'HH:mm')}`);
    if (r.kind === 'overlap') return ok(r.earlier);
    return ok(r.utc);
  };
  const from = resolve('From', input.from);
  if (!from.ok) return from;
  const till = resolve('Till', input.till);
  if (!till.ok) return till;
  if (till.value <= from.value) return fail(`Till (${zones.format(till.value, input.tz, 'HH:mm')}) must be after From (${zones.format(from.value, input.tz, 'HH:mm')})`);
  if (from.value <= engine.now) return fail(notLaterThanNow(from.value, engine.now, input.tz, zones));
  const svc = serviceOf(engine, WEB_CALLBACK_SERVICE)!;
  const w = zones.toWall(svc.tz, from.value);
  const open = openIntervals(zones, svc, w);
  if (!open.some(([a, b]) => from.value >= a && till.value <= b)) {
    const hours = open.map(([a, b]) => `${zones.formatPlain(a, svc.tz, 'HH:mm')}-${zones.format(b, svc.tz, 'HH:mm')}`).join(', ');
    return fail(`the window is outside the hours of ${svc.name} on ${zones.formatPlain(from.value, svc.tz, 'ccc d LLL')} (${hours || 'closed'})`);
  }
  const to = checkPhoneNumber(input.to, input.contactTz);
  if (!to.ok) return fail(to.error);
  return ok({ from: from.value, till: till.value, to: to.e164 });
}

/** Closing the Reschedule Callback view keeps the change; the toolbar shows Rescheduled. */
export function setWebPending(engine: Engine, id: string, window: WebCallbackWindow | null): Promise<Result<void>> {
  return engine.run(() => {
    const it = engine.mut.interactions[id];
    if (!it?.web) return fail(`${id} is not a web callback`);
    it.web.pending = window;
    engine.touch('interaction', id);
    return ok(undefined);
  });
}

/**
 * Done on a web callback: with a pending reschedule the request moves (its history grows) and
 * waits for its new From time; without one it is finished.
 */
export async function completeWebCallback(engine: Engine, it: Interaction): Promise<Result<string>> {
  const web = it.web!;
  const refused = webCallbackActionRefusal(it, 'done');
  if (refused) return fail(refused);
  if (!web.pending) {
    it.state = 'done';
    engine.touch('interaction', it.id);
    return ok(`Web Callback ${web.requestId} done`);
  }
  const p = web.pending;
  if (p.from <= engine.now) return fail('the new time has passed meanwhile; reschedule again');
  web.history = [...web.history, { at: engine.now, by: engine.agentId ?? 'agent', window: web.window }];
  web.window = p;
  web.pending = null;
  it.state = 'waiting';
  engine.touch('interaction', it.id);
  engine.schedule(p.from, { type: 'WebCallbackDue', interactionId: it.id, from: p.from });
  const c = (await engine.contact(it.contactId!))!;
  return ok(`Web Callback ${web.requestId} rescheduled to ${engine.zones.formatPlain(p.from, c.tz, 'ccc d LLL HH:mm')}-${engine.zones.format(p.till, c.tz, 'HH:mm')}`);
}

/** What an agent does to a web callback on the desktop (the window's keys). */
export type WebCallbackAction = 'accept' | 'call' | 'end' | 'reschedule' | 'done';

/**
 * Why `action` cannot run on the web callback `it` now, or null when it can: the check the
 * commands make, and the window's keys show as their disabled reason (as call-actions.ts for an
 * outbound call).
 */
export function webCallbackActionRefusal(it: Interaction, action: WebCallbackAction): string | null {
  switch (action) {
    case 'accept':
      return it.state === 'alerting' ? null : 'it is not alerting';
    case 'call':
      if (it.state === 'preview') return null;
      return it.state === 'alerting' ? 'accept the Web Callback first' : `the call is ${it.state}`;
    case 'end':
      return it.state === 'connected' ? null : 'there is no call to end';
    case 'reschedule':
      return it.state === 'alerting' ? 'accept the Web Callback first' : null;
    case 'done':
      if (it.state === 'connected' || it.state === 'dialing') return 'End the call before Done';
      return it.state === 'alerting' ? 'accept the Web Callback first' : null;
  }
}

/** Call on the preview: dial the To number; the simulated customer answers after ringing. */
export function callWebCallback(engine: Engine, id: string): Promise<Result<void>> {
  return engine.run(() => {
    const it = engine.mut.interactions[id];
    if (!it?.web) return fail(`${id} is not a web callback`);
    const refused = webCallbackActionRefusal(it, 'call');
    if (refused) return fail(refused);
    it.state = 'connected';
    it.updatedAt = engine.now;
    engine.touch('interaction', id);
    return ok(undefined);
  });
}

/**
 * Cancels a web callback request that nobody is calling yet (waiting for its time, or offered
 * and not dialed): it leaves the desktop for good, and its history says who cancelled it.
 */
export function cancelWebCallback(engine: Engine, id: string): Promise<Result<Interaction>> {
  return engine.run(() => cancelWebCallbackNow(engine, id));
}

/** The web request's cancel inside the transaction in progress. */
export function cancelWebCallbackNow(engine: Engine, id: string): Result<Interaction> {
  {
    const it = engine.mut.interactions[id];
    if (!it?.web) return fail(`${id} is not a pending web callback`);
    if (it.state === 'dialing' || it.state === 'connected' || it.state === 'ended') {
      return fail(`web callback ${it.web.requestId} has already been called (${it.state}); finish it with Done instead`);
    }
    it.state = 'done';
    it.updatedAt = engine.now;
    it.caseData = { ...it.caseData, Cancelled: `by ${engine.agentId ?? 'agent'}` };
    it.web.pending = null;
    engine.unschedule((e) => (e.type === 'WebCallbackDue' || e.type === 'InviteTimeout') && e.interactionId === id);
    engine.touch('interaction', id);
    return ok(it);
  }
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    WebCallbackRequest: Record<never, never>;
    WebCallbackDue: { interactionId: string; from: number };
  }
}
