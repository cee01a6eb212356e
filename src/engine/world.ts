import type {
  NegotiatedLogout,
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

/**
 * Bumped whenever the saved shape changes; a newer file than this build is refused. 2: tables.
 * 3: a team on one world (the host's lease, the desktops' heartbeats, the call log).
 */
export const SCHEMA_VERSION = 3;

export type EntityKind = 'agent' | 'campaign' | 'contact' | 'record' | 'interaction' | 'message' | 'service' | 'gcallback' | 'call';

/**
 * The timers of the simulation by type, each an entry in the one event queue. The core's own are
 * here; a feature adds its own where it handles them, by declaration merging
 * (`declare module './world.js' { interface SimEventMap { ... } }` beside its `onTimer`), so the
 * core names no feature's timer.
 */
export interface SimEventMap {
  CampaignStart: { campaignId: string };
  InviteTimeout: { interactionId: string };
}

/** A timer: its type and what it carries. */
export type SimEvent = { [K in keyof SimEventMap]: { type: K } & SimEventMap[K] }[keyof SimEventMap];

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

/**
 * The dialer's saved state, kept in the world's meta row (`dialer`). The core declares the part
 * it writes itself (a new world's empty dialer, the negotiated logout of a state saved before
 * per-agent sessions); the dialer declares the rest where it keeps it, by declaration merging as
 * with SimEventMap (`declare module '../world.js' { interface DialerState { ... } }`), so the core
 * names no type of the feature. A feature's part is optional: the core never makes it.
 */
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

export type { NegotiatedLogout };

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
