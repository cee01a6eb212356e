import type {
  Agent,
  AgentMessage,
  CallbackService,
  Campaign,
  CallingListRecord,
  Contact,
  GenesysCallback,
  Interaction,
  Session,
} from './domain.js';
import type { RandomState } from './random.js';
import type { ScheduledEvent } from './event-queue.js';

/** Bumped whenever the saved shape changes; a newer file than this build is refused. 2: tables. */
export const SCHEMA_VERSION = 2;

export type EntityKind = 'agent' | 'campaign' | 'contact' | 'record' | 'interaction' | 'message' | 'service' | 'gcallback';

/** Timers of the simulation; each is an entry in the one event queue. */
export type SimEvent =
  | { type: 'InboundArrival' }
  | { type: 'InviteTimeout'; interactionId: string }
  | { type: 'CampaignStart'; campaignId: string }
  | { type: 'CallbackDue'; recordId: number; dueAt: number }
  | { type: 'HopperFill' }
  | { type: 'GmsHopperFill' }
  | { type: 'CallbackGraceEnd'; recordId: number; dueAt: number }
  | { type: 'CallOutcome'; interactionId: string }
  | { type: 'ColleagueCallback'; recordId: number; dueAt: number; agentId: string }
  | { type: 'GmsCustomerBooking' }
  | { type: 'GmsDue'; callbackId: string; desiredTime: number }
  | { type: 'GmsStep'; callbackId: string }
  | { type: 'WebCallbackRequest' }
  | { type: 'DialerTick' }
  | { type: 'DialerRingEnd'; callId: number }
  | { type: 'LogoutAuthorized'; requestedAt: number }
  | { type: 'LogoutComplete'; requestedAt: number }
  | { type: 'WebCallbackDue'; interactionId: string; from: number };

/** A call the dialer placed for the agent at the keyboard, still ringing. */
export interface DialerCall {
  id: number;
  campaignId: string;
  recordId: number;
  agentId: string;
  dialedAt: number;
  /** When ringing ends (answer, or answer detection, or giving up). */
  ringEnd: number;
  /** The drawn outcome, a call_result code. */
  result: number;
}

export interface DialerState {
  inFlight: DialerCall[];
  nextCallId: number;
  /** Round robin over the agent's automatic campaigns. */
  turn: number;
  /**
   * Negotiated logout in progress (LogOut sent, LogOutTime answered). authorizedAt is null while
   * the countdown is paused for a call that connected meanwhile; remainingMs is what is left.
   */
  logout: NegotiatedLogout | null;
}

export interface NegotiatedLogout {
  requestedAt: number;
  via: 'main' | 'voice';
  /** LogOutTime: the seconds the server asked to wait. */
  waitSec: number;
  authorizedAt: number | null;
  remainingMs: number;
  /** ReadyForLogout received: the agent is logged out a moment later. */
  authorized: boolean;
  messageId: string | null;
}

/**
 * What the engine holds in memory: the clock, randomness, timers and session, the small
 * configuration (agents, campaigns, services) and the interactions on the desktop. The calling
 * list, contacts, bookings, messages and finished interactions live in the store (StorePort).
 */
export interface WorldState {
  schema: number;
  seed: number;
  /** Simulated now, UTC epoch ms. */
  now: number;
  rng: RandomState;
  queue: { items: ScheduledEvent<SimEvent>[]; nextSeq: number };
  nextIds: Record<string, number>;
  session: Session;
  dialer: DialerState;
  /** How far ahead (UTC ms) the callback hoppers have read due callbacks into the queue. */
  hoppers?: { callbacks: number; gms: number };
  agents: Record<string, Agent>;
  campaigns: Record<string, Campaign>;
  services: Record<string, CallbackService>;
  /** Live interactions only (not done). */
  interactions: Record<string, Interaction>;
}

/** A whole new world, as the demo world generator (or a schema-1 state file) gives it. */
export interface WorldSeed extends WorldState {
  contacts: Record<string, Contact>;
  records: Record<string, CallingListRecord>;
  messages: Record<string, AgentMessage>;
  gcallbacks: Record<string, GenesysCallback>;
}

/** The part of the world that is not an entity row: clock, randomness, timers, session. */
export interface WorldMeta {
  schema: number;
  seed: number;
  now: number;
  rng: RandomState;
  queue: WorldState['queue'];
  nextIds: Record<string, number>;
  session: Session;
  dialer: DialerState;
  hoppers?: { callbacks: number; gms: number };
}

export function worldMeta(w: WorldState): WorldMeta {
  return {
    schema: w.schema,
    seed: w.seed,
    now: w.now,
    rng: w.rng,
    queue: w.queue,
    nextIds: w.nextIds,
    session: w.session,
    dialer: w.dialer,
    hoppers: w.hoppers,
  };
}
