import { DialingMode, type NegotiatedLogout } from './domain.js';
import type { Engine } from './engine.js';
import { fail, ok, type Result } from './result.js';
import { DEFAULT_LOGOUT_WAIT_CAP_SEC, automaticCampaigns } from './dialer/desk-dialer.js';

/**
 * Negotiated logout (WDE): logging out of a progressive or predictive campaign waits until the
 * calls already dialed for the agent have resolved (ring time plus answer detection, capped by a
 * campaign setting), so no customer is left waiting for an agent who just left. The server
 * stops assigning calls at once (LogOut), answers with the wait (LogOutTime) and later says
 * ReadyForLogout. Each agent's logout is their own, kept in their session; the host decides it
 * from the dialer's calls for that agent.
 */

/** How long after ReadyForLogout the agent stays, so the confirmation can be read. */
export const LOGOUT_CONFIRM_MS = 3_000;

/** Open interactions that a logout would leave behind (the desktop asks what to do). */
export function openInteractionsAtLogout(engine: Engine) {
  return engine.openInteractions().filter((i) => i.state !== 'ended');
}

/** The wait the server answers with: in-flight calls' remaining ring plus answer detection, capped. */
export function logoutWaitMs(engine: Engine, me: string | null = engine.agentId): number {
  if (!me) return 0;
  const negotiated = automaticCampaigns(engine, me).filter((c) => c.dialingMode !== DialingMode.PushPreview);
  // Preview and Push Preview agents, and agents in no campaign, log out at once.
  if (negotiated.length === 0) return 0;
  const cap = Math.max(...negotiated.map((c) => (c.logoutWaitCapSec ?? DEFAULT_LOGOUT_WAIT_CAP_SEC) * 1000));
  let wait = 0;
  for (const call of engine.state.dialer.inFlight) if (call.agentId === me) wait = Math.max(wait, call.ringEnd - engine.now);
  return Math.min(cap, Math.max(0, Math.ceil(wait / 1000) * 1000));
}

export function requestLogout(engine: Engine, via: 'main' | 'voice'): Promise<Result<{ waitSec: number }>> {
  return engine.run(async () => {
    const me = engine.agentId;
    const session = engine.sessionOf(me);
    if (!me || !session) return fail('not logged in');
    if (session.logout) return fail('a logout is already in progress');
    if (!engine.owner) {
      // The host knows the calls its dialer placed for the agent: it answers (LogOutTime).
      const m = await postAwaiting(engine, me, via);
      session.logout = { requestedAt: engine.now, via, waitSec: 0, authorizedAt: null, remainingMs: 0, authorized: false, messageId: m.id, decided: false };
      engine.touch('agent', me);
      return ok({ waitSec: 0 });
    }
    const wait = logoutWaitMs(engine, me);
    if (wait === 0 && engine.activeVoice(me).length === 0) {
      return (await engine.endSession(me)).ok ? ok({ waitSec: 0 }) : fail('logout failed');
    }
    const m = await postAwaiting(engine, me, via);
    session.logout = { requestedAt: engine.now, via, waitSec: wait / 1000, authorizedAt: null, remainingMs: wait, authorized: false, messageId: m.id };
    engine.touch('agent', me);
    resume(engine, me);
    return ok({ waitSec: wait / 1000 });
  });
}

function postAwaiting(engine: Engine, me: string, via: 'main' | 'voice') {
  return engine.postMessage(me, 'logout', 'Awaiting logoff authorization', `You asked to log out${via === 'voice' ? ' of the voice channel' : ''}. The dialer may still be connecting a call for you; the logout is authorized when it has resolved.`, 'high');
}

/**
 * The host answers the logouts desktops asked for (LogOutTime, from its dialer's calls for each
 * agent), and arms the countdowns it does not hold yet (a host that took over).
 */
async function answerLogouts(engine: Engine): Promise<void> {
  if (!engine.owner) return;
  for (const a of engine.loggedInAgents()) {
    const l = a.session?.logout;
    if (!l || l.authorized) continue;
    if (l.decided === false) {
      const wait = logoutWaitMs(engine, a.id);
      if (wait === 0 && engine.activeVoice(a.id).length === 0) {
        await engine.endSession(a.id);
        continue;
      }
      Object.assign(l, { waitSec: wait / 1000, remainingMs: wait, authorizedAt: null, decided: true });
      engine.touch('agent', a.id);
      resume(engine, a.id);
    } else if (l.authorizedAt !== null) {
      const ev = { type: 'LogoutAuthorized', requestedAt: l.requestedAt } as const;
      if (!engine.isScheduled(ev)) engine.schedule(l.authorizedAt, ev);
    }
  }
}

/** Cancels a logout still waiting (the agent changed their mind). */
export function cancelLogout(engine: Engine): Promise<Result<void>> {
  return engine.run(() => {
    const me = engine.agentId;
    const session = engine.sessionOf(me);
    const l = session?.logout;
    if (!me || !session || !l || l.authorized) return fail('no logout to cancel');
    engine.unschedule((e) => e.type === 'LogoutAuthorized' && e.requestedAt === l.requestedAt);
    session.logout = null;
    engine.touch('agent', me);
    return ok(undefined);
  });
}

/** An agent's logout under way. */
function logoutOf(engine: Engine, agentId: string): NegotiatedLogout | null {
  return engine.sessionOf(agentId)?.logout ?? null;
}

/** The agent whose logout was asked for at `requestedAt` (a timer names it by that instant). */
function agentOfLogout(engine: Engine, requestedAt: number): string | null {
  return engine.loggedInAgents().find((a) => a.session?.logout?.requestedAt === requestedAt)?.id ?? null;
}

/** Starts (or resumes) the countdown unless a call is still open: that call comes first. */
function resume(engine: Engine, agentId: string): void {
  const l = logoutOf(engine, agentId);
  if (!l || l.authorized || l.authorizedAt !== null) return;
  if (engine.activeVoice(agentId).length > 0) return;
  l.authorizedAt = engine.now + l.remainingMs;
  engine.touch('agent', agentId);
  engine.schedule(l.authorizedAt, { type: 'LogoutAuthorized', requestedAt: l.requestedAt });
}

/** A call connected during the countdown: the countdown waits until it is finished. */
function pause(engine: Engine, agentId: string): void {
  const l = logoutOf(engine, agentId);
  if (!l || l.authorized || l.authorizedAt === null) return;
  l.remainingMs = Math.max(0, l.authorizedAt - engine.now);
  l.authorizedAt = null;
  engine.touch('agent', agentId);
  engine.unschedule((e) => e.type === 'LogoutAuthorized' && e.requestedAt === l.requestedAt);
}

/** Whether an agent's countdown should run or wait, after anything that opens or closes a call. */
export function reconsiderLogout(engine: Engine, agentId: string): void {
  const l = logoutOf(engine, agentId);
  if (!l || l.authorized) return;
  if (engine.activeVoice(agentId).length > 0) pause(engine, agentId);
  else resume(engine, agentId);
}

/** Milliseconds left of this desktop's logout, for the countdown on screen (paused: what will be left when it resumes). */
export function logoutRemainingMs(engine: Engine, now = engine.now): number | null {
  const l = engine.myLogout;
  if (!l || l.authorized) return null;
  return l.authorizedAt === null ? l.remainingMs : Math.max(0, l.authorizedAt - now);
}

export function registerNegotiatedLogout(engine: Engine): void {
  engine.on('externalChange', () => answerLogouts(engine));
  // The countdown follows the calls dialed for the agent: reconsidered after every timer and Done.
  engine.on('timerFired', () => {
    for (const a of engine.loggedInAgents()) if (a.session?.logout) reconsiderLogout(engine, a.id);
  });
  engine.on('interactionDone', (it) => {
    if (it.agentId) reconsiderLogout(engine, it.agentId);
  });
  engine.onTimer(
    'LogoutAuthorized',
    async (ev) => {
      const me = agentOfLogout(engine, ev.requestedAt);
      const l = me ? logoutOf(engine, me) : null;
      if (!me || !l || l.authorized) return;
      engine.touch('agent', me);
      if (engine.activeVoice(me).length > 0) {
        l.authorizedAt = null;
        l.remainingMs = 0;
        return;
      }
      l.authorized = true;
      l.remainingMs = 0;
      await engine.postMessage(me, 'logout', 'Logout authorized', 'ReadyForLogout: you may log out now; you are being logged out.', 'high');
      engine.schedule(engine.now + LOGOUT_CONFIRM_MS, { type: 'LogoutComplete', requestedAt: l.requestedAt });
    },
    (ev) => `LogoutAuthorized:${ev.requestedAt}`,
  );
  engine.onTimer(
    'LogoutComplete',
    async (ev) => {
      const me = agentOfLogout(engine, ev.requestedAt);
      if (me) await engine.endSession(me);
    },
    (ev) => `LogoutComplete:${ev.requestedAt}`,
  );
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    LogoutAuthorized: { requestedAt: number };
    LogoutComplete: { requestedAt: number };
  }
}
