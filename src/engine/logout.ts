import { DialingMode } from './domain.js';
import type { Engine } from './engine.js';
import { fail, ok, type Result } from './result.js';
import { DEFAULT_LOGOUT_WAIT_CAP_SEC, automaticCampaigns } from './dialer/desk-dialer.js';

/**
 * Negotiated logout (WDE): logging out of a progressive or predictive campaign waits until the
 * calls already dialed for the agent have resolved (ring time plus answer detection, capped by a
 * campaign setting), so no customer is left waiting for an agent who just left. The server
 * stops assigning calls at once (LogOut), answers with the wait (LogOutTime) and later says
 * ReadyForLogout.
 */

/** How long after ReadyForLogout the agent stays, so the confirmation can be read. */
export const LOGOUT_CONFIRM_MS = 3_000;

/** Open interactions that a logout would leave behind (the desktop asks what to do). */
export function openInteractionsAtLogout(engine: Engine) {
  return engine.openInteractions().filter((i) => i.state !== 'ended');
}

/** The wait the server answers with: in-flight calls' remaining ring plus answer detection, capped. */
export function logoutWaitMs(engine: Engine): number {
  const me = engine.state.session.agentId;
  if (!me) return 0;
  const negotiated = automaticCampaigns(engine).filter((c) => c.dialingMode !== DialingMode.PushPreview);
  // Preview and Push Preview agents, and agents in no campaign, log out at once.
  if (negotiated.length === 0) return 0;
  const cap = Math.max(...negotiated.map((c) => (c.logoutWaitCapSec ?? DEFAULT_LOGOUT_WAIT_CAP_SEC) * 1000));
  let wait = 0;
  for (const call of engine.state.dialer.inFlight) if (call.agentId === me) wait = Math.max(wait, call.ringEnd - engine.now);
  return Math.min(cap, Math.max(0, Math.ceil(wait / 1000) * 1000));
}

export function requestLogout(engine: Engine, via: 'main' | 'voice'): Promise<Result<{ waitSec: number }>> {
  return engine.run(async () => {
    const me = engine.state.session.agentId;
    if (!me) return fail('not logged in');
    const d = engine.mut.dialer;
    if (d.logout) return fail('a logout is already in progress');
    const wait = logoutWaitMs(engine);
    if (wait === 0 && engine.activeVoice().length === 0) {
      return (await engine.endSession()).ok ? ok({ waitSec: 0 }) : fail('logout failed');
    }
    const m = await engine.postMessage(me, 'logout', 'Awaiting logoff authorization', `You asked to log out${via === 'voice' ? ' of the voice channel' : ''}. The dialer may still be connecting a call for you; the logout is authorized when it has resolved.`, 'high');
    d.logout = { requestedAt: engine.now, via, waitSec: wait / 1000, authorizedAt: null, remainingMs: wait, authorized: false, messageId: m.id };
    resume(engine);
    return ok({ waitSec: wait / 1000 });
  });
}

/** Cancels a logout still waiting (the agent changed their mind). */
export function cancelLogout(engine: Engine): Promise<Result<void>> {
  return engine.run(() => {
    const d = engine.mut.dialer;
    if (!d.logout || d.logout.authorized) return fail('no logout to cancel');
    engine.unschedule((e) => e.type === 'LogoutAuthorized');
    d.logout = null;
    return ok(undefined);
  });
}

/** Starts (or resumes) the countdown unless a call is still open: that call comes first. */
function resume(engine: Engine): void {
  const l = engine.mut.dialer.logout;
  if (!l || l.authorized || l.authorizedAt !== null) return;
  if (engine.activeVoice().length > 0) return;
  l.authorizedAt = engine.now + l.remainingMs;
  engine.schedule(l.authorizedAt, { type: 'LogoutAuthorized', requestedAt: l.requestedAt });
}

/** A call connected during the countdown: the countdown waits until it is finished. */
function pause(engine: Engine): void {
  const l = engine.mut.dialer.logout;
  if (!l || l.authorized || l.authorizedAt === null) return;
  l.remainingMs = Math.max(0, l.authorizedAt - engine.now);
  l.authorizedAt = null;
  engine.unschedule((e) => e.type === 'LogoutAuthorized');
}

/** Whether the countdown should run or wait, after anything that opens or closes a call. */
export function reconsiderLogout(engine: Engine): void {
  const l = engine.state.dialer.logout;
  if (!l || l.authorized) return;
  if (engine.activeVoice().length > 0) pause(engine);
  else resume(engine);
}

/** Milliseconds left, for the countdown on screen (paused: what will be left when it resumes). */
export function logoutRemainingMs(engine: Engine, now = engine.now): number | null {
  const l = engine.state.dialer.logout;
  if (!l || l.authorized) return null;
  return l.authorizedAt === null ? l.remainingMs : Math.max(0, l.authorizedAt - now);
}

export function registerNegotiatedLogout(engine: Engine): void {
  // The countdown follows the calls dialed for the agent: reconsidered after every timer and Done.
  engine.on('timerFired', () => {
    if (engine.state.dialer.logout) reconsiderLogout(engine);
  });
  engine.on('interactionDone', () => reconsiderLogout(engine));
  engine.onTimer('LogoutAuthorized', async (ev) => {
    const l = engine.mut.dialer.logout;
    if (!l || l.requestedAt !== ev.requestedAt || l.authorized) return;
    if (engine.activeVoice().length > 0) {
      l.authorizedAt = null;
      l.remainingMs = 0;
      return;
    }
    l.authorized = true;
    l.remainingMs = 0;
    const me = engine.state.session.agentId!;
    await engine.postMessage(me, 'logout', 'Logout authorized', 'ReadyForLogout: you may log out now; you are being logged out.', 'high');
    engine.schedule(engine.now + LOGOUT_CONFIRM_MS, { type: 'LogoutComplete', requestedAt: l.requestedAt });
  });
  engine.onTimer('LogoutComplete', async (ev) => {
    const l = engine.state.dialer.logout;
    if (!l || l.requestedAt !== ev.requestedAt) return;
    engine.mut.dialer.logout = null;
    await engine.endSession();
  });
}
