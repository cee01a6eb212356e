import {
  campaignStatusLabel,
  type AgentMessage,
  type AgentStatus,
  type ChannelState,
  type Contact,
  type Interaction,
  type InteractionKind,
  type MediaChannel,
  type MessageKind,
} from './domain.js';
import { EventQueue } from './event-queue.js';
import { Random } from './random.js';
import type { TimeZones } from './time/time-zones.js';
import {
  ENTITY_COLLECTIONS,
  worldMeta,
  type EntityKind,
  type EntityRow,
  type SimEvent,
  type WorldMeta,
  type WorldState,
} from './world.js';
import { fail, ok, type Result } from './result.js';
// Feature modules: each registers the handlers of its own timers on the engine.
import { completeOutbound, deliverWaitingCallbacks, registerOutbound, returnPushedRecord } from './outbound.js';
import { completeWebCallback, registerWebCallbacks } from './web-callback.js';
import { registerDeskDialer } from './dialer/desk-dialer.js';
import { reconsiderLogout, registerNegotiatedLogout } from './logout.js';
import { callbackInteractionAccepted, callbackInteractionDone, callbackInvitationTimedOut, registerGenesysCallbacks } from './genesys-callback.js';

export { fail, ok, type Result };

/** What one save writes: the entities that changed and the world's meta (clock, timers...). */
export interface PersistBatch {
  meta: WorldMeta;
  rows: EntityRow[];
}

export interface EngineOptions {
  zones: TimeZones;
  /**
   * Writes a batch durably (one transaction). Called before a command that the agent commits
   * returns, so the screen only says "done" once it is on disk.
   */
  persist?: (batch: PersistBatch) => void;
  /**
   * Hands out ids shared with other processes on the same store; without it ids come from the
   * world's own counters.
   */
  allocateId?: (kind: string, initial: number) => number;
  /**
   * Runs a step that must see every other process's latest writes and no one else's in between
   * (booking the last place of a slot): the store's exclusive transaction.
   */
  exclusive?: <T>(fn: () => T) => T;
}

type Handler = (ev: SimEvent, at: number) => void;

const INBOUND_MEAN_MS = 7 * 60_000;
/** An invitation not accepted in this time goes to another agent (WDE's auto-decline). */
const INVITE_TIMEOUT_MS = 30_000;

/**
 * The simulation. Plain TypeScript: it never reads the real clock, draws randomness other than
 * from its seeded source, or touches files or the terminal; the host passes all of that in.
 */
export class Engine {
  readonly zones: TimeZones;
  private world: WorldState;
  private rng: Random;
  private queue: EventQueue<SimEvent>;
  private dirty = new Map<string, { kind: EntityKind; id: string }>();
  private listeners = new Set<() => void>();
  private clockListeners = new Set<() => void>();
  private persistFn?: (batch: PersistBatch) => void;
  private allocateIdFn?: (kind: string, initial: number) => number;
  private exclusiveFn?: <T>(fn: () => T) => T;
  private handlers = new Map<SimEvent['type'], Handler>();
  /** Incremented on every state change; screens select on it. */
  revision = 0;

  constructor(world: WorldState, opts: EngineOptions) {
    this.world = world;
    this.zones = opts.zones;
    this.persistFn = opts.persist;
    this.allocateIdFn = opts.allocateId;
    this.exclusiveFn = opts.exclusive;
    this.rng = new Random(world.rng);
    this.queue = new EventQueue(world.queue);
    this.on('InboundArrival', () => this.inboundArrival());
    this.on('CampaignStart', (ev) => ev.type === 'CampaignStart' && this.startCampaign(ev.campaignId));
    this.on('InviteTimeout', (ev) => {
      if (ev.type !== 'InviteTimeout') return;
      const it = this.world.interactions[ev.interactionId];
      if (!it || it.state !== 'alerting') return;
      it.state = 'done';
      it.caseData = { ...it.caseData, Routed: 'to another agent (invitation timed out)' };
      it.updatedAt = this.now;
      this.touch('interaction', it.id);
      if (it.kind === 'callback' && it.caseData.GMS_CALLBACK_ID) callbackInvitationTimedOut(this, it.caseData.GMS_CALLBACK_ID);
      if (it.outbound) returnPushedRecord(this, it, 'reject');
    });
    registerOutbound(this);
    registerGenesysCallbacks(this);
    registerWebCallbacks(this);
    registerDeskDialer(this);
    registerNegotiatedLogout(this);
  }

  /** See EngineOptions.exclusive. */
  exclusive<T>(fn: () => T): T {
    return this.exclusiveFn ? this.exclusiveFn(fn) : fn();
  }

  /** Feature modules register the handler of their own timers. */
  on(type: SimEvent['type'], handler: Handler): void {
    this.handlers.set(type, handler);
  }

  get state(): Readonly<WorldState> {
    return this.world;
  }

  /** The mutable world, for the engine's own feature modules (never for screens). */
  get mut(): WorldState {
    return this.world;
  }

  get now(): number {
    return this.world.now;
  }

  get random(): Random {
    return this.rng;
  }

  // ---- subscriptions (the screens' bridge) ------------------------------------------------

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Clock-only listeners: a tick that changes nothing else re-renders only the clock digits. */
  subscribeClock(fn: () => void): () => void {
    this.clockListeners.add(fn);
    return () => this.clockListeners.delete(fn);
  }

  private changed(): void {
    this.revision++;
    for (const fn of [...this.listeners]) fn();
  }

  // ---- time -------------------------------------------------------------------------------

  schedule(at: number, event: SimEvent): void {
    this.queue.push(Math.max(at, this.world.now), event);
  }

  unschedule(pred: (e: SimEvent) => boolean): void {
    this.queue.removeWhere(pred);
  }

  hasScheduled(pred: (e: SimEvent) => boolean): boolean {
    return this.queue.find(pred) !== undefined;
  }

  /** Runs every timer due up to `t`, in order, then sets the clock to `t`. */
  advanceTo(t: number): void {
    if (t < this.world.now) return;
    let any = false;
    for (let next = this.queue.peek(); next && next.at <= t; next = this.queue.peek()) {
      this.queue.pop();
      this.world.now = next.at;
      const h = this.handlers.get(next.event.type);
      if (h) h(next.event, next.at);
      if (this.world.dialer.logout) reconsiderLogout(this);
      any = true;
    }
    this.world.now = t;
    if (any) this.changed();
    for (const fn of [...this.clockListeners]) fn();
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.world.now + ms);
  }

  // ---- persistence ------------------------------------------------------------------------

  touch(kind: EntityKind, id: string | number): void {
    const key = `${kind}:${id}`;
    this.dirty.set(key, { kind, id: String(id) });
  }

  /** Builds the batch of what changed since the last save (and forgets it). */
  takeBatch(): PersistBatch {
    this.world.rng = this.rng.state();
    this.world.queue = this.queue.snapshot();
    const rows: EntityRow[] = [];
    for (const { kind, id } of this.dirty.values()) {
      const coll = this.world[ENTITY_COLLECTIONS[kind]] as Record<string, unknown>;
      rows.push({ kind, id, body: coll[id] ?? null });
    }
    this.dirty.clear();
    return { meta: worldMeta(this.world), rows };
  }

  /** Snapshot of the whole world as plain data, with the live rng and queue folded in. */
  snapshot(): WorldState {
    this.world.rng = this.rng.state();
    this.world.queue = this.queue.snapshot();
    return structuredClone(this.world);
  }

  /**
   * Saves what changed. Agent commands call this before they report success; the host also
   * calls it now and then so the simulation's own progress survives a restart.
   */
  commit(): void {
    if (!this.persistFn) {
      this.dirty.clear();
      return;
    }
    const batch = this.takeBatch();
    try {
      this.persistFn(batch);
    } catch (e) {
      // Not saved: keep the rows dirty so the next save retries them.
      for (const r of batch.rows) this.touch(r.kind, r.id);
      throw e;
    }
  }

  /**
   * Takes in rows another process wrote to the shared state file (a script's `callbacks add`
   * while the desktop runs); feature modules re-arm their timers from the new data.
   */
  applyExternal(rows: EntityRow[]): void {
    if (rows.length === 0) return;
    for (const r of rows) {
      const coll = this.world[ENTITY_COLLECTIONS[r.kind]] as Record<string, unknown>;
      if (r.body === null) delete coll[r.id];
      else coll[r.id] = r.body;
    }
    for (const fn of this.reconcilers) fn(rows);
    this.changed();
  }

  private reconcilers: ((rows: EntityRow[]) => void)[] = [];

  /** Registers a hook that re-derives timers after external changes. */
  onExternal(fn: (rows: EntityRow[]) => void): void {
    this.reconcilers.push(fn);
  }

  /** Runs an agent command and saves its effects before reporting success. */
  run<T>(fn: () => Result<T>): Result<T> {
    return this.command(fn);
  }

  private command<T>(fn: () => Result<T>): Result<T> {
    const r = fn();
    if (r.ok) {
      try {
        this.commit();
      } catch (e) {
        return fail(`not saved: ${(e as Error).message}`);
      }
      this.changed();
    }
    return r;
  }

  private nextId(kind: string): number {
    const local = this.world.nextIds[kind] ?? 1;
    const n = this.allocateIdFn ? this.allocateIdFn(kind, local) : local;
    this.world.nextIds[kind] = n + 1;
    return n;
  }

  newId(kind: string): number {
    return this.nextId(kind);
  }

  // ---- session ----------------------------------------------------------------------------

  get agentId(): string | null {
    return this.world.session.agentId;
  }

  login(agentId: string, place: string): Result<void> {
    return this.command(() => {
      const agent = this.world.agents[agentId];
      if (!agent) return fail(`unknown agent "${agentId}"`);
      if (agent.simulated) return fail(`"${agentId}" is a simulated colleague; log in as yourself`);
      if (!place.trim()) return fail('place is required');
      agent.status = 'Ready';
      agent.place = place.trim();
      agent.loggedInAt = this.now;
      this.touch('agent', agentId);
      this.world.session = {
        agentId,
        place: place.trim(),
        channels: { voice: 'Ready', chat: 'Ready', email: 'Ready', sms: 'Ready' },
      };
      // A campaign that started before this login is announced now (WDE shows the warning at login).
      for (const c of Object.values(this.world.campaigns)) {
        if (c.status === 'Started' && c.groupId === agent.groupId) this.announceCampaign(agentId, c.id);
      }
      deliverWaitingCallbacks(this);
      return ok(undefined);
    });
  }

  logout(): Result<void> {
    return this.command(() => {
      const id = this.world.session.agentId;
      if (!id) return fail('not logged in');
      const agent = this.world.agents[id];
      agent.status = 'LoggedOut';
      agent.loggedInAt = null;
      this.touch('agent', id);
      this.world.session = {
        agentId: null,
        place: null,
        channels: { voice: 'LoggedOut', chat: 'LoggedOut', email: 'LoggedOut', sms: 'LoggedOut' },
      };
      this.world.dialer.logout = null;
      return ok(undefined);
    });
  }

  setStatus(status: Exclude<AgentStatus, 'LoggedOut'>): Result<void> {
    return this.command(() => {
      const id = this.world.session.agentId;
      if (!id) return fail('not logged in');
      this.world.agents[id].status = status;
      this.touch('agent', id);
      const ch = status === 'Ready' ? 'Ready' : 'NotReady';
      for (const c of Object.keys(this.world.session.channels) as MediaChannel[]) {
        if (this.world.session.channels[c] !== 'LoggedOut') this.world.session.channels[c] = ch;
      }
      deliverWaitingCallbacks(this);
      return ok(undefined);
    });
  }

  setChannel(channel: MediaChannel, state: ChannelState): Result<void> {
    return this.command(() => {
      if (!this.world.session.agentId) return fail('not logged in');
      this.world.session.channels[channel] = state;
      return ok(undefined);
    });
  }

  // ---- messages ---------------------------------------------------------------------------

  postMessage(agentId: string, kind: MessageKind, subject: string, body: string, priority: AgentMessage['priority'] = 'normal'): AgentMessage {
    const id = `M${this.nextId('message')}`;
    const m: AgentMessage = { id, agentId, kind, priority, subject, body, createdAt: this.now, read: false };
    this.world.messages[id] = m;
    this.touch('message', id);
    return m;
  }

  markMessageRead(id: string): Result<void> {
    return this.command(() => {
      const m = this.world.messages[id];
      if (!m) return fail(`no message ${id}`);
      if (m.read) return ok(undefined);
      m.read = true;
      this.touch('message', id);
      return ok(undefined);
    });
  }

  messagesFor(agentId: string): AgentMessage[] {
    return Object.values(this.world.messages)
      .filter((m) => m.agentId === agentId)
      .sort((a, b) => b.createdAt - a.createdAt || Number(b.id.slice(1)) - Number(a.id.slice(1)));
  }

  private announceCampaign(agentId: string, campaignId: string): void {
    const c = this.world.campaigns[campaignId];
    const subject = `Campaign ${c.name} started`;
    const already = Object.values(this.world.messages).some(
      (m) => m.agentId === agentId && m.kind === 'campaign' && m.subject === subject && m.createdAt >= (c.startedAt ?? 0),
    );
    if (already) return;
    this.postMessage(
      agentId,
      'campaign',
      subject,
      `You are assigned to campaign ${c.name} (${campaignStatusLabel(c.status)}).`,
      'high',
    );
  }

  startCampaign(campaignId: string): void {
    const c = this.world.campaigns[campaignId];
    if (!c || c.status === 'Started') return;
    c.status = 'Started';
    c.startedAt = this.now;
    this.touch('campaign', campaignId);
    const me = this.world.session.agentId;
    if (me && this.world.agents[me].groupId === c.groupId) this.announceCampaign(me, campaignId);
  }

  // ---- interactions -----------------------------------------------------------------------

  private inboundArrival(): void {
    const r = this.rng;
    this.schedule(this.now + Math.max(30_000, Math.round(r.exponential(INBOUND_MEAN_MS))), { type: 'InboundArrival' });
    const me = this.world.session.agentId;
    if (!me) return;
    const kinds: InteractionKind[] = ['chat', 'email', 'sms'];
    const open = kinds.filter((k) => this.world.session.channels[k as MediaChannel] === 'Ready');
    if (open.length === 0) return;
    const kind = r.pick(open);
    const contacts = Object.keys(this.world.contacts);
    const contact = this.world.contacts[contacts[Math.floor(r.next() * contacts.length)]];
    const subjects: Record<string, string[]> = {
      chat: ['Question about my bill', 'Change my appointment', 'Delivery status', 'Need a call back'],
      email: ['Re: your account', 'Request for information', 'Complaint follow-up', 'Please call me'],
      sms: ['Call me later pls', 'Is my order shipped?', 'Reschedule?', 'STOP reminders'],
    };
    const it = this.openInteraction(kind, kind as MediaChannel, contact.id, r.pick(subjects[kind]), 'alerting');
    this.schedule(this.now + INVITE_TIMEOUT_MS, { type: 'InviteTimeout', interactionId: it.id });
  }

  openInteraction(
    kind: InteractionKind,
    channel: MediaChannel,
    contactId: string | null,
    subject: string,
    state: Interaction['state'],
    extra: Partial<Interaction> = {},
  ): Interaction {
    const id = `I${this.nextId('interaction')}`;
    const it: Interaction = {
      id,
      kind,
      channel,
      state,
      contactId,
      recordId: null,
      campaignId: null,
      subject,
      caseData: {},
      createdAt: this.now,
      updatedAt: this.now,
      ...extra,
    };
    this.world.interactions[id] = it;
    this.touch('interaction', id);
    return it;
  }

  /** Interactions on the desktop (not waiting, not done): what the interaction area lists. */
  openInteractions(): Interaction[] {
    return Object.values(this.world.interactions)
      .filter((i) => i.state !== 'done' && i.state !== 'waiting')
      // Latest activity first: a callback that just came back is on top, not where it was made.
      .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  acceptInteraction(id: string): Result<void> {
    return this.command(() => {
      const it = this.world.interactions[id];
      if (!it) return fail(`no interaction ${id}`);
      if (it.state !== 'alerting') return fail(`interaction ${id} is ${it.state}`);
      // A web callback or a pushed record opens as a preview: the agent reads it, then calls.
      it.state = it.kind === 'web-callback' || it.outbound ? 'preview' : 'connected';
      it.updatedAt = this.now;
      this.touch('interaction', id);
      if (it.kind === 'callback' && it.caseData.GMS_CALLBACK_ID) callbackInteractionAccepted(this, it.caseData.GMS_CALLBACK_ID);
      return ok(undefined);
    });
  }

  endInteraction(id: string): Result<void> {
    return this.command(() => {
      const it = this.world.interactions[id];
      if (!it) return fail(`no interaction ${id}`);
      if (it.state === 'ended' || it.state === 'done') return ok(undefined);
      it.state = 'ended';
      it.updatedAt = this.now;
      this.touch('interaction', id);
      return ok(undefined);
    });
  }

  /**
   * Done: the interaction leaves the desktop. On an outbound call this commits the record to
   * OCS (RecordProcessed, or RecordReschedule when a callback is set); the answer says which.
   */
  markDone(id: string): Result<string> {
    return this.command(() => {
      const it = this.world.interactions[id];
      if (!it) return fail(`no interaction ${id}`);
      if (it.state === 'done') return ok('already done');
      let ack = 'done';
      if (it.web) {
        // Done either finishes the request or sends it back to wait for its new time.
        const r = completeWebCallback(this, it);
        if (r.ok) reconsiderLogout(this);
        return r;
      }
      if (it.outbound) {
        const r = completeOutbound(this, it);
        if (!r.ok) return r;
        ack = r.value;
      } else if (it.state === 'alerting' || it.state === 'connected') return fail('end the interaction before marking it done');
      if (it.kind === 'callback' && it.caseData.GMS_CALLBACK_ID) callbackInteractionDone(this, it.caseData.GMS_CALLBACK_ID);
      it.state = 'done';
      it.updatedAt = this.now;
      this.touch('interaction', id);
      deliverWaitingCallbacks(this);
      reconsiderLogout(this);
      return ok(ack);
    });
  }

  // ---- queries ----------------------------------------------------------------------------

  /** Voice interactions that occupy the agent: offered, previewed, ringing or talking. */
  activeVoice(): Interaction[] {
    return Object.values(this.world.interactions).filter((i) => i.channel === 'voice' && (i.state === 'alerting' || i.state === 'preview' || i.state === 'dialing' || i.state === 'connected'));
  }

  /**
   * The agent at the keyboard, if a voice call may be given to them now: logged in, Ready on
   * the voice channel, nothing on the line, no logout under way. Callbacks and the dialer ask this.
   */
  agentFreeForVoice(): string | null {
    const w = this.world;
    const me = w.session.agentId;
    if (!me || w.dialer.logout || w.agents[me].status !== 'Ready' || w.session.channels.voice !== 'Ready') return null;
    return this.activeVoice().length === 0 ? me : null;
  }

  /** Team Communicator: contacts whose name or number contains the query. */
  searchContacts(query: string, limit = 20): Contact[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const digitsQ = q.replace(/[^\d]/g, '');
    const numbers = new Map<string, string[]>();
    for (const r of Object.values(this.world.records)) {
      const list = numbers.get(r.contact_id) ?? [];
      list.push(r.contact_info);
      numbers.set(r.contact_id, list);
    }
    const out: Contact[] = [];
    for (const c of Object.values(this.world.contacts)) {
      const name = `${c.firstName} ${c.lastName}`.toLowerCase();
      const hit = name.includes(q) || (digitsQ.length >= 3 && (numbers.get(c.id) ?? []).some((n) => n.includes(digitsQ)));
      if (hit) out.push(c);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The records of one contact's chain, in chain order. */
  chainOf(contactId: string) {
    return Object.values(this.world.records)
      .filter((r) => r.contact_id === contactId)
      .sort((a, b) => a.chain_n - b.chain_n);
  }

  /** Campaigns of the logged-in agent's group that agents see: Loaded (Active) and Started (Running). */
  myCampaigns() {
    const me = this.world.session.agentId;
    if (!me) return [];
    const group = this.world.agents[me].groupId;
    return Object.values(this.world.campaigns).filter(
      (c) => c.groupId === group && (c.status === 'Loaded' || c.status === 'Started'),
    );
  }
}
