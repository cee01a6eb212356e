import type { AgentStatus, Interaction } from './domain.js';
import type { Result } from './result.js';
import type { SimEvent } from './world.js';

/**
 * What the engine core announces as it happens. The core imports no feature: features
 * (outbound calls and OCS callbacks, Genesys Callback, Web Callback, the desk dialer,
 * negotiated logout, the inbound simulation) subscribe to these, each with its own payload type.
 */
export interface LifecycleEvents {
  /** An interaction the agent was offered was accepted. */
  interactionAccepted: Interaction;
  /** An offered interaction was not accepted in time and went to another agent. */
  interactionTimedOut: Interaction;
  /** The agent marked an interaction Done (it has left the desktop, or waits off it). */
  interactionDone: Interaction;
  agentLoggedIn: { agentId: string };
  agentLoggedOut: { agentId: string };
  agentStatusChanged: { agentId: string; status: AgentStatus };
  /** After each timer of the event queue has run. */
  timerFired: SimEvent;
  /** Another process changed the store; derived timers may need to be re-read. */
  externalChange: undefined;
  /** The agent ended an interaction (hung up): it waits for Done. */
  interactionEnded: Interaction;

  // Announced by the features (Engine.emit), for the call log (call-log.ts).
  /** A calling-list record reached an agent's desk: an outbound interaction was made for it. */
  recordDelivered: Interaction;
  /** A record on a desk left it without Done: rejected, declined, not taken in time, its desktop lost. */
  recordReturned: { interaction: Interaction; how: 'reject' | 'decline' };
  /** A number of a calling-list record was dialled. */
  callDialled: CallEvent;
  /** The dialled number answered and the call is connected (to the agent, or a simulated colleague). */
  callConnected: CallEvent;
  /** The call ended: the ringing without a live answer, a hang-up, an abandoned call. */
  callEnded: CallEvent;
}

/** A call of a calling-list record, as the call log follows it. */
export interface CallEvent {
  /** The call's row in the call log (callIdOf for a call on a desk; the dialer's D17 for its line). */
  callId: string;
  recordId: number;
  campaignId: string;
  /** Whose call: the agent at a desk, a simulated colleague; null for a colleague of the group dialer. */
  agentId: string | null;
  /** call_result, when this settles it. */
  callResult?: number;
  /** When it happened, UTC ms: the engine's now unless said (a simulated colleague's talk ends later). */
  at?: number;
}

export type LifecycleListener<K extends keyof LifecycleEvents> = (payload: LifecycleEvents[K]) => void | Promise<void>;

/** The handler of one kind of timer, given the event with its own fields. */
export type TimerHandler<K extends SimEvent['type']> = (ev: Extract<SimEvent, { type: K }>, at: number) => void | Promise<void>;

/**
 * Done on an interaction a feature owns (an outbound call, a web callback): the feature checks
 * and commits it, or refuses with the reason. `claims` says whether it is that feature's.
 */
export interface DoneHandler {
  claims(it: Interaction): boolean;
  complete(it: Interaction): Promise<Result<string>>;
}

/**
 * A typed publish/subscribe of the lifecycle events; listeners run in the order they subscribed,
 * each after the one before has finished (they change the world inside one transaction).
 */
export class Lifecycle {
  private readonly listeners: { [K in keyof LifecycleEvents]?: LifecycleListener<K>[] } = {};

  on<K extends keyof LifecycleEvents>(name: K, fn: LifecycleListener<K>): () => void {
    const list = (this.listeners[name] ??= []) as LifecycleListener<K>[];
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  async emit<K extends keyof LifecycleEvents>(name: K, payload: LifecycleEvents[K]): Promise<void> {
    const list = this.listeners[name] as LifecycleListener<K>[] | undefined;
    if (list) for (const fn of [...list]) await fn(payload);
  }
}
