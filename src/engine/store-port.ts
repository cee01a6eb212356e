import type { AgentMessage, CallingListRecord, Contact, GenesysCallback, Interaction } from './domain.js';
import type { EntityKind, WorldMeta } from './world.js';

/**
 * What the engine asks of its store. The store is the one source of truth: the calling list,
 * contacts, Genesys bookings, messages and finished interactions stay there and are read by
 * indexed queries; the engine keeps in memory only what is live (the session, the timers, the
 * interactions on the desktop, the small configuration of agents, campaigns and services).
 *
 * Every change runs inside `transaction`, which holds the store's write lock from the first
 * read (SQLite's BEGIN IMMEDIATE), so what a command reads is still true when it writes, and
 * another process's change is never overwritten by a stale copy. The implementation lives in
 * src/store (better-sqlite3); the engine sees only this interface.
 */
export interface StorePort {
  /** False for an in-memory store (--ephemeral, a demo without --state): nothing outlives the run. */
  readonly persistent: boolean;
  /** Runs fn under the write lock; a throw rolls everything back. Nested calls join the outer one. */
  transaction<T>(fn: () => T): T;
  readonly inTransaction: boolean;

  /** The file's revision: bumped by every process's write transaction. */
  revision(): number;
  /** Marks the revision this process has taken in; a write sets its own revision + 1. */
  bumpRevision(): number;

  loadMeta(): WorldMeta;
  saveMeta(meta: WorldMeta): void;

  /** Agents, campaigns, services: small JSON rows, kept in memory by the engine. */
  loadEntities(kind: ConfigKind): Record<string, unknown>;
  putEntity(kind: ConfigKind, id: string, body: unknown, rev: number): void;
  /** Config rows and interactions another process changed after `rev`. */
  changedSince(rev: number): { entities: { kind: ConfigKind; id: string; body: unknown }[]; interactions: Interaction[] };

  allocateId(kind: string, initial: number): number;

  readonly records: CallingListTable;
  readonly contacts: ContactTable;
  readonly interactions: InteractionTable;
  readonly messages: MessageTable;
  readonly gcallbacks: GenesysCallbackTable;
}

export type ConfigKind = Extract<EntityKind, 'agent' | 'campaign' | 'service'>;

/** Seconds since local midnight in a zone, now: what contact hours are compared with. */
export type LocalSecondsOf = (tz: string) => number;

export interface DialableQuery {
  campaignId: string;
  /** UTC epoch seconds. */
  now: number;
  localSeconds: LocalSecondsOf;
  /** Records already dialed and still ringing (not yet Retrieved). */
  exclude?: readonly number[];
}

/**
 * The calling list (OCS): one row per number. Queries name what the dialer and the desk ask,
 * each answered from an index.
 */
export interface CallingListTable {
  get(recordId: number): CallingListRecord | undefined;
  /** Inserts or replaces the row. */
  put(r: CallingListRecord): void;
  /** The records of one contact's chain, in chain order. */
  ofContact(contactId: string): CallingListRecord[];
  ofChain(chainId: number): CallingListRecord[];
  /**
   * The next dialable record of a campaign: Ready, inside its contact hours now, its chain
   * neither busy (a record Retrieved) nor blocked (Do Not Call); due campaign callbacks first
   * (earliest first), then General records due (least tried, then lowest record_id).
   */
  nextDialable(q: DialableQuery): CallingListRecord | undefined;
  /** Open callbacks (record_type 5 or 6, Ready) due in (from, to] (UTC ms), earliest first. */
  openCallbacksBetween(from: number, to: number, limit: number): CallingListRecord[];
  /** Open personal callbacks of an agent, optionally in one campaign, earliest first. */
  openPersonalCallbacks(agentId: string, campaignId?: string): CallingListRecord[];
  /** Open campaign callbacks (6, Ready) an agent booked, earliest first (My Callbacks). */
  openCampaignCallbacksBookedBy(agentId: string, limit: number): CallingListRecord[];
  /** Records of callback type (5, 6), open or not, earliest first (callbacks list). */
  callbacks(limit: number): CallingListRecord[];
  /** Distinct contact ids whose numbers contain these digits. */
  contactsWithNumber(digits: string, limit: number): string[];
  /** Records, in record_id order, for `records list`. */
  list(filter: RecordFilter): Iterable<CallingListRecord>;
  count(campaignId?: string): number;
}

export interface RecordFilter {
  campaignId?: string;
  tz?: string;
  status?: number;
  limit?: number;
}

export interface ContactTable {
  get(id: string): Contact | undefined;
  put(c: Contact): void;
  /** Name contains the query (case-insensitive), in id order. */
  searchByName(query: string, limit: number): Contact[];
  /** A contact drawn with u in [0, 1): the same u on the same table gives the same contact. */
  pick(u: number): Contact | undefined;
}

export interface InteractionTable {
  /** Interactions still live (not done): the desktop's working set. */
  live(): Interaction[];
  get(id: string): Interaction | undefined;
  put(it: Interaction, rev: number): void;
}

export interface MessageTable {
  get(id: string): AgentMessage | undefined;
  put(m: AgentMessage): void;
  /** Newest first. */
  forAgent(agentId: string, limit: number): AgentMessage[];
  unreadCount(agentId: string): number;
  exists(agentId: string, kind: string, subject: string, since: number): boolean;
}

export interface GenesysCallbackTable {
  get(id: string): GenesysCallback | undefined;
  /** Writes the row and moves its place in the slot counts (before: the row as it was). */
  put(cb: GenesysCallback, before: GenesysCallback | undefined): void;
  /** Bookings holding capacity per bucket start, for bucket starts in [from, to). */
  bookedBetween(service: string, from: number, to: number): Map<number, number>;
  booked(service: string, slot: number): number;
  /** SCHEDULED callbacks with desired_time in (from, to], earliest first. */
  scheduledBetween(from: number, to: number, limit: number): GenesysCallback[];
  /** Open (not COMPLETED) bookings of a contact. */
  openOfContact(contactId: string): GenesysCallback[];
  list(limit: number): GenesysCallback[];
  /** Bookings an agent made that are not yet COMPLETED, soonest first (My Callbacks). */
  openBookedBy(agentId: string, limit: number): GenesysCallback[];
  /** Bookings not yet COMPLETED, soonest first. */
  open(limit: number): GenesysCallback[];
}
