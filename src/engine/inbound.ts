import type { InteractionKind, MediaChannel } from './domain.js';
import type { Engine } from './engine.js';

/** Chats, e-mails and SMS from simulated customers: one every seven minutes on average. */
const INBOUND_MEAN_MS = 7 * 60_000;

const SUBJECTS: Record<string, string[]> = {
  chat: ['Question about my bill', 'Change my appointment', 'Delivery status', 'Need a call back'],
  email: ['Re: your account', 'Request for information', 'Complaint follow-up', 'Please call me'],
  sms: ['Call me later pls', 'Is my order shipped?', 'Reschedule?', 'STOP reminders'],
};

/** The inbound simulation: interactions offered on the agent's Ready channels. */
export function registerInbound(engine: Engine): void {
  engine.onTimer('InboundArrival', async () => {
    const r = engine.random;
    engine.schedule(engine.now + Math.max(30_000, Math.round(r.exponential(INBOUND_MEAN_MS))), { type: 'InboundArrival' });
    const kinds: InteractionKind[] = ['chat', 'email', 'sms'];
    const openOf = (agentId: string) => kinds.filter((k) => engine.sessionOf(agentId)?.channels[k as MediaChannel] === 'Ready');
    // To an agent at a desktop with a chat, e-mail or SMS channel Ready (drawn when there are several).
    const candidates = engine.loggedInAgents().filter((a) => openOf(a.id).length > 0);
    if (candidates.length === 0) return;
    const agent = candidates.length === 1 ? candidates[0] : r.pick(candidates);
    const kind = r.pick(openOf(agent.id));
    const contact = await engine.db.contacts.pick(r.next());
    if (!contact) return;
    const it = await engine.openInteraction(kind, kind as MediaChannel, contact.id, r.pick(SUBJECTS[kind]), 'alerting', { agentId: agent.id });
    engine.schedule(engine.now + engine.inviteTimeoutMs, { type: 'InviteTimeout', interactionId: it.id });
  });
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module './world.js' {
  interface SimEventMap {
    InboundArrival: Record<never, never>;
  }
}
