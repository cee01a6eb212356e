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

/** Bumped whenever the saved shape changes; a newer file than this build is refused. */
export const SCHEMA_VERSION = 1;

export type EntityKind = 'agent' | 'campaign' | 'contact' | 'record' | 'interaction' | 'message' | 'service' | 'gcallback';

/** Timers of the simulation; each is an entry in the one event queue. */
export type SimEvent =
  | { type: 'InboundArrival' }
  | { type: 'InviteTimeout'; interactionId: string }
  | { type: 'CampaignStart'; campaignId: string }
  | { type: 'CallbackDue'; recordId: number; dueAt: number }
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

/** Everything the simulation knows; plain data, so it can be saved and restored exactly. */
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
  agents: Record<string, Agent>;
  campaigns: Record<string, Campaign>;
  contacts: Record<string, Contact>;
  records: Record<string, CallingListRecord>;
  interactions: Record<string, Interaction>;
  messages: Record<string, AgentMessage>;
  services: Record<string, CallbackService>;
  gcallbacks: Record<string, GenesysCallback>;
}

export const ENTITY_COLLECTIONS: Record<EntityKind, keyof WorldState> = {
  agent: 'agents',
  campaign: 'campaigns',
  contact: 'contacts',
  record: 'records',
  interaction: 'interactions',
  message: 'messages',
  service: 'services',
  gcallback: 'gcallbacks',
};

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
  };
}

export interface EntityRow {
  kind: EntityKind;
  id: string;
  body: unknown;
}

export function* worldEntities(w: WorldState): Generator<EntityRow> {
  for (const [kind, key] of Object.entries(ENTITY_COLLECTIONS) as [EntityKind, keyof WorldState][]) {
    const coll = w[key] as Record<string, unknown>;
    for (const id of Object.keys(coll)) yield { kind, id, body: coll[id] };
  }
}

export function assembleWorld(meta: WorldMeta, rows: Iterable<EntityRow>): WorldState {
  const w: WorldState = {
    ...meta,
    // State files written before the dialer existed have none.
    dialer: meta.dialer ?? { inFlight: [], nextCallId: 1, turn: 0, logout: null },
    agents: {},
    campaigns: {},
    contacts: {},
    records: {},
    interactions: {},
    messages: {},
    services: {},
    gcallbacks: {},
  };
  for (const row of rows) {
    const key = ENTITY_COLLECTIONS[row.kind];
    if (!key) continue;
    (w[key] as Record<string, unknown>)[row.id] = row.body;
  }
  return w;
}
