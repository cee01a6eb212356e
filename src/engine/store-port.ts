import type { AgentMessage, CallingListRecord, Contact, GenesysCallback, Interaction } from './domain.js';
import type { EntityKind, WorldMeta } from './world.js';

/**
 * What the engine asks of its store. The store is the one source of truth: the calling list,
 * contacts, Genesys bookings, messages and finished interactions stay there and are read by
 * indexed queries; the engine keeps in memory only what is live (the session, the timers, the
 * interactions on the desktop, the small configuration of agents, campaigns and services).
 *
 * The interface is asynchronous because a server database (PostgreSQL, through node-postgres)
 * can only answer that way; the embedded one (SQLite, through better-sqlite3) answers at once
 * and its promises resolve in order, so a simulation on it stays deterministic as long as the
 * engine awaits each step in turn. Implementations live in src/store, one per database; the
 * engine, screens and commands never name a database.
 *
 * Every change runs inside `transaction`, which holds the store's write lock from its first
 * statement (SQLite's BEGIN IMMEDIATE; on PostgreSQL a row lock on the revision that every
 * writer takes first), so what a command reads is still true when it writes, and another
 * process's change is never overwritten by a stale copy. A throw inside rolls everything back.
 */
export interface StorePort {
  /** False for an in-memory store (--ephemeral, a demo without --state): nothing outlives the run. */
  readonly persistent: boolean;
  /** Where the state is, for messages: a file path, or a URL with its password left out. */
  readonly location: string;
  /** Which database, for messages and the figures: 'sqlite' or 'postgres'. */
  readonly backend: 'sqlite' | 'postgres';

  /**
   * Runs fn under the write lock, on one connection; a throw rolls everything back and is
   * rethrown (a store failure as a StoreError). Calls do not nest: the engine keeps one open
   * at a time and hands its `tx` to whatever runs inside.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs fn on a connection outside any write transaction (queries only, for screens and commands). */
  read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T>;
  /** The revision, read without a lock: cheap enough to ask every second. */
  revision(): Promise<number>;
  /**
   * Calls fn soon after another process commits (PostgreSQL: LISTEN/NOTIFY, with a poll after a
   * reconnect; SQLite: a poll of PRAGMA data_version). Returns the function that stops it.
   */
  watch(fn: () => void): () => void;
  /** How long a write waits for another process's lock before giving up (StoreError 'busy'). */
  setBusyTimeout(ms: number): void;

  /** One owner of the clock and timers per state (the desktop, `demo --state`). */
  acquireDesktopLock(pid: number): Promise<void>;
  releaseDesktopLock(pid: number): Promise<void>;

  /** Calling lists in bulk: import, export, list (src/store/*, one implementation per database). */
  readonly bulk: BulkPort;

  close(): Promise<void>;
}

/** The queries every connection answers, in or out of a transaction. */
export interface StoreReader {
  revision(): Promise<number>;
  loadMeta(): Promise<WorldMeta>;
  /** Agents, campaigns, services: small JSON rows, kept in memory by the engine. */
  loadEntities(kind: ConfigKind): Promise<Record<string, unknown>>;
  /** Config rows and interactions another process changed after `rev`. */
  changedSince(rev: number): Promise<{ entities: { kind: ConfigKind; id: string; body: unknown }[]; interactions: Interaction[] }>;

  readonly records: CallingListReader;
  readonly contacts: ContactReader;
  readonly interactions: InteractionReader;
  readonly messages: MessageReader;
  readonly gcallbacks: GenesysCallbackReader;
}

/** A write transaction: the queries, and the writes. */
export interface StoreTx extends StoreReader {
  /** Marks the revision this transaction writes: the store's revision + 1. */
  bumpRevision(): Promise<number>;
  saveMeta(meta: WorldMeta): Promise<void>;
  putEntity(kind: ConfigKind, id: string, body: unknown, rev: number): Promise<void>;
  /** The next id of a kind, shared by every process on the state. */
  allocateId(kind: string, initial: number): Promise<number>;

  readonly records: CallingListTable;
  readonly contacts: ContactTable;
  readonly interactions: InteractionTable;
  readonly messages: MessageTable;
  readonly gcallbacks: GenesysCallbackTable;
}

/** What went wrong in the store, in the engine's words; the message is for the user. */
export type StoreErrorKind =
  /** Another process holds the write lock (a large import) longer than the wait. */
  | 'busy'
  /** The disk (or the server's) is full: nothing was written. */
  | 'full'
  /** The state is damaged: a page, a row. */
  | 'damaged'
  /** Not a callback-desk state, or one of a newer version. */
  | 'foreign'
  /** The server cannot be reached, or the connection was lost (nothing was half-written). */
  | 'connection'
  /** The state cannot be written (permissions, a read-only file system). */
  | 'readonly'
  /** A refused statement (a constraint): a bug or a race, named. */
  | 'refused';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export type ConfigKind = Extract<EntityKind, 'agent' | 'campaign' | 'service'>;

/** Seconds since local midnight in a zone, now: what contact hours are compared with. */
export type LocalSecondsOf = (tz: string) => number;

export interface DialableQuery {
  campaignId: string;
  /** UTC epoch ms. */
  now: number;
  localSeconds: LocalSecondsOf;
  /** Records already dialed and still ringing (not yet Retrieved). */
  exclude?: readonly number[];
}

/**
 * The calling list (OCS): one row per number. Queries name what the dialer and the desk ask,
 * each answered from an index.
 */
export interface CallingListReader {
  get(recordId: number): Promise<CallingListRecord | undefined>;
  /** The records of one contact's chain, in chain order. */
  ofContact(contactId: string): Promise<CallingListRecord[]>;
  ofChain(chainId: number): Promise<CallingListRecord[]>;
  /**
   * The next dialable record of a campaign: Ready, inside its contact hours now, its chain
   * neither busy (a record Retrieved) nor blocked (Do Not Call); due campaign callbacks first
   * (earliest first), then General records due (least tried, then lowest record_id).
   */
  nextDialable(q: DialableQuery): Promise<CallingListRecord | undefined>;
  /** Open callbacks (record_type 5 or 6, Ready) due in (from, to] (UTC ms), earliest first. */
  openCallbacksBetween(from: number, to: number, limit: number): Promise<CallingListRecord[]>;
  /** Open personal callbacks of an agent, optionally in one campaign, earliest first. */
  openPersonalCallbacks(agentId: string, campaignId?: string): Promise<CallingListRecord[]>;
  /** Open campaign callbacks (6, Ready) an agent booked, earliest first (My Callbacks). */
  openCampaignCallbacksBookedBy(agentId: string, limit: number): Promise<CallingListRecord[]>;
  /** Records of callback type (5, 6), open or not, earliest first (callbacks list). */
  callbacks(limit: number): Promise<CallingListRecord[]>;
  /** Distinct contact ids whose numbers contain these digits. */
  contactsWithNumber(digits: string, limit: number): Promise<string[]>;
  count(campaignId?: string): Promise<number>;
}

export interface CallingListTable extends CallingListReader {
  /** Inserts or replaces the row (and widens its campaign's zone hours). */
  put(r: CallingListRecord): Promise<void>;
}

export interface RecordFilter {
  campaignId?: string;
  tz?: string;
  status?: number;
  limit?: number;
}

export interface ContactReader {
  get(id: string): Promise<Contact | undefined>;
  /** Name contains the query (case-insensitive, ASCII letters), in id order. */
  searchByName(query: string, limit: number): Promise<Contact[]>;
  /** A contact drawn with u in [0, 1): the same u on the same table gives the same contact. */
  pick(u: number): Promise<Contact | undefined>;
  /** The first `limit` contact ids, in id order. */
  ids(limit: number): Promise<string[]>;
  /** Up to `limit` contact ids nearest `id` in id order (for "nearest" in a refusal). */
  idsNear(id: string, limit: number): Promise<string[]>;
}

export interface ContactTable extends ContactReader {
  put(c: Contact): Promise<void>;
}

export interface InteractionReader {
  /** Interactions still live (not done): the desktop's working set. */
  live(): Promise<Interaction[]>;
  get(id: string): Promise<Interaction | undefined>;
}

export interface InteractionTable extends InteractionReader {
  put(it: Interaction, rev: number): Promise<void>;
}

export interface MessageReader {
  get(id: string): Promise<AgentMessage | undefined>;
  /** Newest first. */
  forAgent(agentId: string, limit: number): Promise<AgentMessage[]>;
  unreadCount(agentId: string): Promise<number>;
  exists(agentId: string, kind: string, subject: string, since: number): Promise<boolean>;
}

export interface MessageTable extends MessageReader {
  put(m: AgentMessage): Promise<void>;
}

export interface GenesysCallbackReader {
  get(id: string): Promise<GenesysCallback | undefined>;
  /** Bookings holding capacity per bucket start, for bucket starts in [from, to). */
  bookedBetween(service: string, from: number, to: number): Promise<Map<number, number>>;
  booked(service: string, slot: number): Promise<number>;
  /** SCHEDULED callbacks with desired_time in (from, to], earliest first. */
  scheduledBetween(from: number, to: number, limit: number): Promise<GenesysCallback[]>;
  /** Open (not COMPLETED) bookings of a contact. */
  openOfContact(contactId: string): Promise<GenesysCallback[]>;
  list(limit: number): Promise<GenesysCallback[]>;
  /** Bookings an agent made that are not yet COMPLETED, soonest first (My Callbacks). */
  openBookedBy(agentId: string, limit: number): Promise<GenesysCallback[]>;
  /** Bookings not yet COMPLETED, soonest first. */
  open(limit: number): Promise<GenesysCallback[]>;
}

export interface GenesysCallbackTable extends GenesysCallbackReader {
  /**
   * Writes the row and moves its place in the slot counts (before: the row as it was). A
   * booking that takes a place in a bucket takes it with one conditional update of the bucket's
   * counter: when `capacity` is given and the bucket already holds that many, nothing is
   * written and the answer is false (the slot filled meanwhile).
   */
  put(cb: GenesysCallback, before: GenesysCallback | undefined, capacity?: number): Promise<boolean>;
}

// ---- calling lists in bulk -------------------------------------------------------------------

/** One row of a calling list as `records export` writes it and `records import` reads it. */
export interface CallingListExportRow {
  record: CallingListRecord;
  contact: Contact | undefined;
}

export interface BulkPort {
  /** Records in record_id order, streamed (a cursor on PostgreSQL): `records list`. */
  listRecords(filter: RecordFilter): AsyncIterable<CallingListRecord>;
  /** A campaign's records with their contacts, in record_id order, streamed: `records export`. */
  exportCampaign(campaignId: string): AsyncIterable<CallingListExportRow>;
  /** The custom field names of a campaign's contacts, sorted (the export's extra columns). */
  customFieldNames(campaignId: string): Promise<string[]>;
}
