// Long on purpose: the whole contract between the engine and a store, read as one interface; each
// backend implements all of it.
import type { AgentMessage, CallLogEntry, CallingListRecord, Contact, GenesysCallback, Interaction } from './domain.js';
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
 * Every change runs inside `transaction`, and another process's change is never overwritten by
 * a stale copy. SQLite holds its write lock from the first statement (BEGIN IMMEDIATE), so what
 * a command reads is still true when it writes. PostgreSQL lets the team's writers run side by
 * side: the rows of the store a command reads to change are locked as it reads them, and the
 * agents, campaigns and interactions it writes are checked at COMMIT against what it caught up
 * to; when another process wrote one of them meanwhile, the store throws StoreError 'conflict'
 * and the engine runs the command again on the newer rows. A throw inside rolls everything back.
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
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, hint?: TransactionHint): Promise<T>;
  /** Runs fn on a connection outside any write transaction (queries only, for screens and commands). */
  read<T>(fn: (q: StoreReader) => Promise<T>): Promise<T>;
  /** The revision, read without a lock: cheap enough to ask every second. */
  revision(): Promise<number>;
  /**
   * Calls fn once as soon as it listens (what was committed before then was not heard: the
   * caller re-reads), then within 300 ms of each commit by another connection (PostgreSQL:
   * LISTEN/NOTIFY, called once more after a reconnect, since notifications sent meanwhile are
   * lost; SQLite: PRAGMA data_version, looked at every 100 ms). Never for this store's own
   * commits, a rollback, or a transaction that wrote nothing. Returns the function that stops it.
   */
  watch(fn: () => void): () => void;
  /** How long a write waits for another process's lock before giving up (StoreError 'busy'). */
  setBusyTimeout(ms: number): void;

  /** One owner of the clock and timers per state (the desktop, `demo --state`). */
  acquireDesktopLock(pid: number): Promise<void>;
  releaseDesktopLock(pid: number): Promise<void>;

  /** Calling lists in bulk: import, export, list (src/store/*, one implementation per database). */
  readonly bulk: BulkPort;

  /** A team on one world: the host's lease, the desktops' heartbeats. */
  readonly team: TeamPort;

  close(): Promise<void>;
}

/**
 * What the caller will ask first inside a transaction: a server database answers it in the round
 * trip that takes the write lock, so the lock is held that much less (SQLite ignores it).
 */
export interface TransactionHint {
  /** The caller will ask catchUp(since) first. */
  catchUpSince?: number;
  /** The caller hosts: it will ask hostEpoch() (its fence) before it writes. */
  hostEpoch?: boolean;
}

/** Config rows and interactions another process changed (see StoreReader.changedSince). */
export interface Changes {
  entities: { kind: ConfigKind; id: string; body: unknown }[];
  interactions: Interaction[];
}

/** See StoreReader.catchUp. */
export interface CatchUp {
  revision: number;
  changes: Changes | null;
  clock: HostClock | null;
}

/** The queries every connection answers, in or out of a transaction. */
export interface StoreReader {
  revision(): Promise<number>;
  loadMeta(): Promise<WorldMeta>;
  /** Agents, campaigns, services: small JSON rows, kept in memory by the engine. */
  loadEntities(kind: ConfigKind): Promise<Record<string, unknown>>;
  /** The world's clock as the host last saved it (null before any host saved one). */
  clock(): Promise<HostClock | null>;
  /** Config rows and interactions another process changed after `rev`. */
  changedSince(rev: number): Promise<Changes>;
  /**
   * What a process that last saw revision `since` has to take in: the revision now, the rows
   * changed after `since` (null when the revision is still `since`) and the host's clock. One
   * round trip on PostgreSQL, where every desktop asks it after every commit of the team.
   */
  catchUp(since: number): Promise<CatchUp>;

  readonly records: CallingListReader;
  readonly contacts: ContactReader;
  readonly interactions: InteractionReader;
  readonly messages: MessageReader;
  readonly gcallbacks: GenesysCallbackReader;
  readonly calls: CallLogReader;
}

/** A write transaction: the queries, and the writes. */
export interface StoreTx extends StoreReader {
  /** Marks the revision this transaction writes: the store's revision + 1. */
  bumpRevision(): Promise<number>;
  saveMeta(meta: WorldMeta): Promise<void>;
  putEntity(kind: ConfigKind, id: string, body: unknown, rev: number): Promise<void>;
  /** The next id of a kind, shared by every process on the state. */
  allocateId(kind: string, initial: number): Promise<number>;
  /** The host saves its clock with its every write, for the processes that follow it. */
  saveClock(clock: HostClock): Promise<void>;
  /**
   * The host lease's epoch now (null when no process ever hosted): a host's writes are fenced by
   * it. A store that does not hold its write lock from the start (PostgreSQL) checks it again at
   * COMMIT and refuses the commit (StoreError 'fenced') when it moved meanwhile.
   */
  hostEpoch(): Promise<number | null>;
  /**
   * Set once the transaction committed, by a store whose writers run side by side
   * (PostgreSQL): the revision through which the caller's memory is now whole. Its own commit's
   * revision when nobody committed between its catch-up and its commit; else the revision it
   * caught up to (the next catch-up reads the others' rows, and its own again). Undefined on a
   * store whose transactions run one at a time: the revision bumpRevision gave.
   */
  readonly seenThrough?: number;

  readonly records: CallingListTable;
  readonly contacts: ContactTable;
  readonly interactions: InteractionTable;
  readonly messages: MessageTable;
  readonly gcallbacks: GenesysCallbackTable;
  readonly calls: CallLogTable;
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
  | 'refused'
  /**
   * Another process changed a row this transaction changed, after this one read it (or the two
   * waited for each other): nothing was written, and the engine runs the command again.
   */
  | 'conflict'
  /** A host's commit found the lease taken over: nothing was written, the process stops hosting. */
  | 'fenced';

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
  /**
   * Distinct contact ids whose numbers contain these digits (taken literally: LIKE's % and _
   * are not wildcards), the first `limit` of them in contact id order (byte order).
   */
  contactsWithNumber(digits: string, limit: number): Promise<string[]>;
  count(campaignId?: string): Promise<number>;
  /** The time zones of a campaign's numbers (its `campaign_zone` rows), in zone-name order. */
  zonesOf(campaignId: string): Promise<string[]>;
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
  /** Those of `ids` that exist, by id: one query for a list's rows (never one per row). */
  getMany(ids: readonly string[]): Promise<Map<string, Contact>>;
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
  /**
   * A contact read to be changed in this transaction: PostgreSQL locks it until COMMIT (`get`
   * does not: a contact is read far more often than it is edited, and a lock on every read made
   * two agents on one customer's records wait for each other).
   */
  getToChange(id: string): Promise<Contact | undefined>;
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

/**
 * An agent's own figures from the call log over a span (My Statistics: the agent's day). Each
 * counts the calls whose instant of that kind falls in the span.
 */
export interface AgentCallFigures {
  /** Records that reached the agent's desk. */
  delivered: number;
  /** Numbers dialled. */
  attempts: number;
  /** Calls that connected (the contact answered, or the dialer connected the call). */
  connected: number;
  /** Connected calls that ended in the span: the calls handled. */
  handled: number;
  /** Talk time of the calls handled (connected to ended), ms. */
  talkMs: number;
  /** The longest of them, ms. */
  longestTalkMs: number;
  /** Calls the agent booked a callback on (RecordReschedule at Done). */
  callbacksSet: number;
}

/**
 * The call log: every delivery of a calling-list record to a desk and every attempt on one, a
 * row each (CallLogEntry), by call_id.
 */
export interface CallLogReader {
  get(callId: string): Promise<CallLogEntry | undefined>;
  /**
   * An agent's figures over [from, to) (UTC ms), from the agent's index: calls that started up
   * to a day before `from` count with what happened in the span (a call does not last a day).
   */
  agentFigures(agentId: string, from: number, to: number): Promise<AgentCallFigures>;
}

export interface CallLogTable extends CallLogReader {
  /** Inserts the row, or replaces the one with its call_id. */
  put(row: CallLogEntry): Promise<void>;
}

/** `calls list`: rows of one campaign, of one agent, started at or after an instant. */
export interface CallLogFilter {
  campaignId?: string;
  agentId?: string;
  /** UTC ms: started_at at or after it. */
  since?: number;
}

// ---- calling lists in bulk -------------------------------------------------------------------

/** One row of a calling list as `records export` writes it and `records import` reads it. */
export interface CallingListExportRow {
  record: CallingListRecord;
  contact: Contact | undefined;
}

/** The calling-list fields a CSV carries, in the export's order: campaign, group and treatments come from the import. */
export const CSV_RECORD_FIELDS = [
  'record_id',
  'contact_info',
  'contact_info_type',
  'record_type',
  'record_status',
  'call_result',
  'attempt',
  'dial_sched_time',
  'call_time',
  'daily_from',
  'daily_till',
  'tz_dbid',
  'tz',
  'agent_id',
  'chain_id',
  'chain_n',
  'contact_id',
  'callback_local',
  'disposition',
] as const;

/** The contact's own fields in a calling-list CSV, after the record's. */
export const CSV_CONTACT_FIELDS = ['first_name', 'last_name', 'email'] as const;

export type CsvRecordField = (typeof CSV_RECORD_FIELDS)[number];
export type CsvContactField = (typeof CSV_CONTACT_FIELDS)[number];

/**
 * A row of an import, checked on its own (src/commands/records/import-rows.ts): every value in
 * range, the zone known, the agent one of the state's. What only the store can check (an id
 * already taken, a chain's rows that disagree) is the loader's. Fields the CSV leaves out, or
 * leaves empty, are null; the loader fills them in (ids from the counters, the contact's id
 * from its chain).
 */
export interface ImportRow {
  /** The line of the CSV the row starts on: what a refusal names. */
  line: number;
  /** Given (null: the next id; always null with new ids). */
  record_id: number | null;
  contact_info: string;
  contact_info_type: number;
  record_type: number;
  record_status: number;
  call_result: number;
  attempt: number;
  /** UTC epoch seconds. */
  dial_sched_time: number | null;
  call_time: number | null;
  daily_from: number;
  daily_till: number;
  /** Given: the zone's number if the zone is new to the state and the number is free. */
  tz_dbid: number | null;
  tz: string;
  agent_id: string | null;
  /** Given: the chain's id (with new ids, a label that rows of one chain share). */
  chain_id: number | null;
  chain_n: number | null;
  /** Given (ignored with new ids). */
  contact_id: string | null;
  callback_local: string | null;
  disposition: string | null;
  /** The contact's names and e-mail ('' when the CSV has no such column). */
  first_name: string;
  last_name: string;
  email: string;
  /** The contact's custom fields as a JSON object's text ('{}' for none). */
  fields: string;
}

/** What an import is, beside its rows: read from the CSV's header and the command's options. */
export interface ImportPlan {
  campaignId: string;
  groupId: string;
  /** New record, chain and contact ids instead of the CSV's (rows with one chain_id stay one chain). */
  newIds: boolean;
  /** Bad rows are skipped (each passed to onBad) rather than the end of the import. */
  skipBad: boolean;
  /** The optional columns the CSV has: a column it lacks is a constant for every row. */
  columns: ReadonlySet<CsvRecordField | CsvContactField>;
  /** The custom field names, in the CSV's order. */
  customFields: readonly string[];
  /** A bad row the store found (with skipBad). */
  onBad(line: number, reason: string): void;
  /** What the import does after the last row, for a progress bar: "building index 1 of 3", "committing". */
  onStep(step: string): void;
}

/** The row an import stops at (without skipBad): nothing was imported. */
export class ImportRefusal extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ImportRefusal';
  }
}

/**
 * An import under way: the rows go in, in line order, and are written in one transaction by
 * `finish`. Only the store's checks are made here (ids taken, chains); the rest is the caller's.
 */
export interface RecordImport {
  /** A checked row. True when the caller should await `drain` before the next. */
  push(row: ImportRow): boolean;
  drain(): Promise<void>;
  /**
   * About how many rows the file holds, once known: a loader may prepare for a large import
   * (SQLite sets its full indexes aside). Answers the work after the last row as a share of the
   * reading time, for the progress bar's time left.
   */
  expect(rows: number): number;
  /**
   * Without skipBad: the caller's checks refused line `line`. Throws the ImportRefusal of the
   * first bad line, that one or an earlier one the store finds bad; rolls everything back.
   */
  refuse(line: number, reason: string): Promise<never>;
  /** Writes what was pushed and commits: the rows imported. Throws ImportRefusal (without skipBad). */
  finish(): Promise<{ imported: number }>;
  /** Rolls back (after a failure of the caller's). */
  abort(): Promise<void>;
}

/** The tables of a world, in the order `state copy` writes them, each with the columns it copies. */
export const WORLD_TABLES = {
  meta: ['key', 'value'],
  counter: ['kind', 'next'],
  entity: ['kind', 'id', 'body', 'rev', 'rowid'],
  contact: ['id', 'first_name', 'last_name', 'tz', 'email', 'fields', 'rowid'],
  calling_list: [...CSV_RECORD_FIELDS.slice(0, 13), 'campaign_id', 'agent_id', 'chain_id', 'chain_n', 'group_id', 'contact_id', 'treatments', 'callback_local', 'disposition', 'booked_by'],
  campaign_zone: ['campaign_id', 'tz', 'min_from', 'max_till'],
  interaction: ['id', 'state', 'kind', 'contact_id', 'created_at', 'body', 'rev'],
  message: ['id', 'agent_id', 'kind', 'subject', 'created_at', 'seq', 'read', 'body'],
  gms_callback: ['id', 'seq', 'service', 'contact_id', 'customer_number', 'state', 'reason', 'slot', 'desired_time', 'body'],
  gms_slot: ['service', 'slot', 'booked'],
  call_log: ['call_id', 'seq', 'record_id', 'campaign_id', 'agent_id', 'mode', 'started_at', 'delivered_at', 'dialled_at', 'connected_at', 'ended_at', 'call_result', 'disposition', 'rescheduled_at'],
} as const;

export type WorldTable = keyof typeof WORLD_TABLES;

/** Rows of one table of a world, in WORLD_TABLES' column order: `state copy` moves them in batches. */
export interface WorldRows {
  table: WorldTable;
  rows: unknown[][];
}

export interface BulkPort {
  /** Records in record_id order, streamed (a cursor on PostgreSQL): `records list`. */
  listRecords(filter: RecordFilter): AsyncIterable<CallingListRecord>;
  /** A campaign's records with their contacts, in record_id order, streamed. */
  exportCampaign(campaignId: string): AsyncIterable<CallingListExportRow>;
  /**
   * A campaign's records as `records export` writes them, in record_id order, streamed: each an
   * array of CSV_RECORD_FIELDS, then CSV_CONTACT_FIELDS, then the given custom fields (null
   * where the contact has none).
   */
  exportRows(campaignId: string, customFields: readonly string[]): AsyncIterable<unknown[]>;
  /** The custom field names of a campaign's contacts, sorted (the export's extra columns). */
  customFieldNames(campaignId: string): Promise<string[]>;
  /** Starts an import into a campaign (one transaction; see RecordImport). */
  importRecords(plan: ImportPlan): Promise<RecordImport>;
  /**
   * A damaged row, named by table and id ("calling_list row record_id 1003 is damaged (tz ... is
   * not a time zone)"), looked for after an error no command expected; `hint` is its message.
   * Read only. Null when every row reads well.
   */
  findDamagedRow(hint: string, isZone: (tz: string) => boolean): Promise<string | null>;
  /** Every row of the world, table by table in WORLD_TABLES' order, in batches (`state copy`'s source). */
  readWorld(): AsyncIterable<WorldRows>;
  /**
   * The call log in started_at, seq order, streamed (a cursor on PostgreSQL, one snapshot
   * however long the reader takes): `calls list`. Each filter is answered from an index.
   */
  listCalls(filter: CallLogFilter): AsyncIterable<CallLogEntry>;
}

// ---- a team on one world ----------------------------------------------------------------------

/** A process of a team on one state: the machine it runs on and its pid. */
export interface ProcessRef {
  host: string;
  pid: number;
}

/** Who hosts the world (runs its clock, dialer and timers), and since when. Times: real epoch ms. */
export interface HostLease extends ProcessRef {
  /** Bumped at every takeover: a host's writes are fenced by the epoch it holds. */
  epoch: number;
  /** `host` (callback-desk host) or `desktop` (a desktop hosting while no host runs). */
  role: 'host' | 'desktop';
  startedAt: number;
  heartbeatAt: number;
}

/** A desktop's heartbeat for the agent logged in at it. Times: real epoch ms. */
export interface AgentHeartbeat extends ProcessRef {
  agentId: string;
  startedAt: number;
  beatAt: number;
}

/** The world's clock as the host last saved it: followers run it on from there at `speed`. */
export interface HostClock {
  /** Simulated now, UTC epoch ms, at real instant `realAt`. */
  now: number;
  realAt: number;
  /** Simulated ms per real ms (0: paused). */
  speed: number;
}

/**
 * The roles of a team's processes on one state. Outside the revision: a lease renewed or a
 * heartbeat is not a change the other processes must read, so it wakes nobody.
 */
export interface TeamPort {
  /**
   * Becomes the host when no process holds a live lease (its heartbeat older than `staleMs`, or
   * its process gone): the new epoch, or null while another holds it. PostgreSQL also takes an
   * advisory lock on a connection of its own, released by the server when the process dies.
   */
  acquireHost(me: ProcessRef & { role: HostLease['role'] }, nowMs: number, staleMs: number): Promise<number | null>;
  /** Keeps the lease: false when another process took it over (its epoch moved on). */
  renewHost(epoch: number, nowMs: number): Promise<boolean>;
  /** Gives the lease up at once (a host that quits). */
  releaseHost(epoch: number): Promise<void>;
  /** Who holds the lease, if anyone ever did. */
  host(): Promise<HostLease | null>;
  /** A desktop says it is alive, for the agent logged in at it. */
  beat(agentId: string, me: ProcessRef, startedAt: number, nowMs: number): Promise<void>;
  heartbeats(): Promise<AgentHeartbeat[]>;
  /** The heartbeat of an agent whose session ended (of this desktop's only, when `me` is given). */
  forget(agentId: string, me?: ProcessRef): Promise<void>;
}
