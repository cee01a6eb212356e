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
import type { PacingStats } from './dialer/pacing.js';
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
  /** The group dialer of each Progressive or Predictive campaign that has run (absent in older states). */
  groups?: Record<string, GroupDialer>;
}

/** A line the group dialer placed for the colleagues (a number of their generated list). */
export interface GroupLine {
  id: number;
  dialedAt: number;
  ringEnd: number;
  result: number;
}

/** An answered call waiting (2 seconds at most) for an agent. */
export interface WaitingCall {
  callId: number;
  answeredAt: number;
  /** The calling-list record of a line dialed for the desk agent; null for a colleagues' line. */
  recordId: number | null;
  result: number;
}

/**
 * One campaign's dialer at the desk: its group is the logged-in agent plus the simulated
 * colleagues, paced by dialer/pacing.ts on the engine's event queue. Saved with the world, so a
 * restart goes on exactly where it was.
 */
export interface GroupDialer {
  /** The campaign start this group belongs to (a restart of the campaign starts a new group). */
  startedAt: number;
  /** The group's own random stream: the dialer's draws never shift the rest of the world. */
  rng: RandomState;
  /** Per colleague: 0 free, 1 busy, 2 gone (their shift is over); pace scales their handle time. */
  colleagueState: number[];
  colleaguePace: number[];
  colleagueBusySince: number[];
  colleaguesFree: number;
  colleaguesIn: number;
  /** The colleagues' lines ringing; the desk agent's are `DialerState.inFlight`. */
  lines: GroupLine[];
  waiting: WaitingCall[];
  stats: PacingStats;
  /** Live answers and abandons by minute since the start, the last 64 minutes (index minute & 63). */
  minuteLive: number[];
  minuteAbandoned: number[];
  /** The last minute written into the two rings. */
  minute: number;
  lastSteerAt: number;
  /** No record of the calling list was dialable for the desk agent: the next look is then. */
  nothingDialableUntil?: number;
  /** The pacing wake-ups queued (a few instants). */
  wakes: number[];
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
