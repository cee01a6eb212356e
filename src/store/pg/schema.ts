/**
 * The PostgreSQL schema: the tables and columns of the SQLite state file (src/store/schema.ts),
 * so the supervisors' queries read the same on both, e.g.
 * `select count(*) from calling_list where campaign_id = 'collections-q4'`.
 *
 * What differs, and why:
 * - Every text column is COLLATE "C": SQLite compares text byte by byte, and lists ordered by an
 *   id (contacts, interactions, zones) must come out in the same order whatever the database's
 *   own collation (an en_US or ICU database sorts "a.lopez" and "A.Moss" otherwise).
 * - Epoch seconds and ms, ids and revisions are BIGINT; codes and seconds of day INTEGER.
 * - JSON bodies stay TEXT, byte for byte as the engine wrote them (jsonb would reorder keys,
 *   and a case-data map is shown in its own order). The one JSON value a query asks,
 *   the booking's bookedBy, has an expression index.
 * - SQLite appends the rowid to every index, which gives ties an order; here the ordering
 *   columns name record_id where a query sorts on it, and NULLS FIRST where SQLite puts NULL.
 * - `contact.rowid` and `entity.rowid` are SQLite's hidden rowids made explicit: a contact is
 *   drawn by rowid (pick), configuration rows are listed in rowid order, and a replaced contact
 *   gets a new one exactly as SQLite's INSERT OR REPLACE gives it.
 */

export interface PgMigration {
  /** The state schema it brings the database to (SCHEMA_VERSION of src/engine/world.ts). */
  version: number;
  name: string;
  sql: string;
}

const TABLES_V2 = `
CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counter (kind TEXT COLLATE "C" PRIMARY KEY, next BIGINT NOT NULL);
CREATE TABLE entity (
  kind  TEXT COLLATE "C" NOT NULL,
  id    TEXT COLLATE "C" NOT NULL,
  body  TEXT NOT NULL,
  rev   BIGINT NOT NULL,
  rowid BIGINT NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX entity_rev ON entity (rev);
CREATE UNIQUE INDEX entity_rowid ON entity (rowid);

CREATE TABLE calling_list (
  record_id         BIGINT PRIMARY KEY,
  contact_info      TEXT COLLATE "C" NOT NULL,
  contact_info_type INTEGER NOT NULL,
  record_type       INTEGER NOT NULL,
  record_status     INTEGER NOT NULL,
  call_result       INTEGER NOT NULL,
  attempt           INTEGER NOT NULL,
  dial_sched_time   BIGINT,
  call_time         BIGINT,
  daily_from        INTEGER NOT NULL,
  daily_till        INTEGER NOT NULL,
  tz_dbid           INTEGER NOT NULL,
  tz                TEXT COLLATE "C" NOT NULL,
  campaign_id       TEXT COLLATE "C" NOT NULL,
  agent_id          TEXT COLLATE "C",
  chain_id          BIGINT NOT NULL,
  chain_n           INTEGER NOT NULL,
  group_id          TEXT COLLATE "C" NOT NULL,
  contact_id        TEXT COLLATE "C" NOT NULL,
  treatments        TEXT NOT NULL DEFAULT '[]',
  callback_local    TEXT COLLATE "C",
  disposition       TEXT COLLATE "C",
  booked_by         TEXT COLLATE "C"
);
-- PreviewRecordRequest and the dialer: Ready General records of a campaign in one zone, least
-- tried first.
CREATE INDEX calling_list_dialable ON calling_list (campaign_id, record_status, record_type, tz, attempt, record_id);
-- Open callbacks by due time (the callback hopper), and per campaign (due campaign callbacks first).
CREATE INDEX calling_list_open_callback ON calling_list (dial_sched_time, record_id) WHERE record_status = 1 AND record_type IN (5, 6);
CREATE INDEX calling_list_campaign_callback ON calling_list (campaign_id, dial_sched_time, record_id) WHERE record_status = 1 AND record_type = 6;
CREATE INDEX calling_list_personal_callback ON calling_list (agent_id, campaign_id, dial_sched_time NULLS FIRST, record_id) WHERE record_status = 1 AND record_type = 5;
-- Every callback, open or not (callbacks list).
CREATE INDEX calling_list_callback ON calling_list (dial_sched_time NULLS FIRST, record_id) WHERE record_type IN (5, 6);
CREATE INDEX calling_list_chain ON calling_list (chain_id, chain_n);
CREATE INDEX calling_list_contact ON calling_list (contact_id, chain_n);
-- My Callbacks: the campaign callbacks an agent booked.
CREATE INDEX calling_list_booked_callback ON calling_list (booked_by, dial_sched_time NULLS FIRST, record_id) WHERE record_status = 1 AND record_type = 6;
-- The zones a campaign's records are in, with the widest contact hours there: the dialable
-- query asks only the zones where some number may be called now.
CREATE TABLE campaign_zone (
  campaign_id TEXT COLLATE "C" NOT NULL,
  tz          TEXT COLLATE "C" NOT NULL,
  min_from    INTEGER NOT NULL,
  max_till    INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, tz)
);

CREATE TABLE contact (
  id         TEXT COLLATE "C" PRIMARY KEY,
  first_name TEXT COLLATE "C" NOT NULL,
  last_name  TEXT COLLATE "C" NOT NULL,
  tz         TEXT COLLATE "C" NOT NULL,
  email      TEXT COLLATE "C" NOT NULL DEFAULT '',
  fields     TEXT NOT NULL DEFAULT '{}',
  rowid      BIGINT NOT NULL
);
CREATE UNIQUE INDEX contact_rowid ON contact (rowid);

CREATE TABLE interaction (
  id         TEXT COLLATE "C" PRIMARY KEY,
  state      TEXT COLLATE "C" NOT NULL,
  kind       TEXT COLLATE "C" NOT NULL,
  contact_id TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  body       TEXT NOT NULL,
  rev        BIGINT NOT NULL
);
CREATE INDEX interaction_live ON interaction (state) WHERE state <> 'done';
CREATE INDEX interaction_rev ON interaction (rev);

CREATE TABLE message (
  id         TEXT COLLATE "C" PRIMARY KEY,
  agent_id   TEXT COLLATE "C" NOT NULL,
  kind       TEXT COLLATE "C" NOT NULL,
  subject    TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  seq        BIGINT NOT NULL,
  read       INTEGER NOT NULL,
  body       TEXT NOT NULL
);
CREATE INDEX message_agent ON message (agent_id, created_at DESC, seq DESC);
CREATE INDEX message_unread ON message (agent_id) WHERE read = 0;

-- Genesys Callback bookings, and the capacity each bucket has given away (kept in the same
-- transaction as the booking, so availability reads a few rows, never the bookings).
CREATE TABLE gms_callback (
  id              TEXT COLLATE "C" PRIMARY KEY,
  seq             BIGINT NOT NULL,
  service         TEXT COLLATE "C" NOT NULL,
  contact_id      TEXT COLLATE "C",
  customer_number TEXT COLLATE "C" NOT NULL,
  state           TEXT COLLATE "C" NOT NULL,
  reason          TEXT COLLATE "C",
  slot            BIGINT NOT NULL,
  desired_time    BIGINT NOT NULL,
  body            TEXT NOT NULL
);
CREATE INDEX gms_callback_scheduled ON gms_callback (desired_time, seq) WHERE state = 'SCHEDULED';
CREATE INDEX gms_callback_contact ON gms_callback (contact_id) WHERE state <> 'COMPLETED';
CREATE INDEX gms_callback_open ON gms_callback (desired_time, seq) WHERE state <> 'COMPLETED';
CREATE INDEX gms_callback_booked_by ON gms_callback (((body::json) ->> 'bookedBy'), desired_time, seq) WHERE state <> 'COMPLETED';
CREATE TABLE gms_slot (service TEXT COLLATE "C" NOT NULL, slot BIGINT NOT NULL, booked INTEGER NOT NULL, PRIMARY KEY (service, slot));
`;

/** Schema 3: a team on one world (see TEAM_DDL in src/store/schema.ts). Times are real or simulated epoch ms. */
const TEAM_V3 = `
CREATE TABLE host_lease (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  epoch        BIGINT NOT NULL,
  host         TEXT COLLATE "C" NOT NULL,
  pid          INTEGER NOT NULL,
  role         TEXT COLLATE "C" NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
CREATE TABLE agent_heartbeat (
  agent_id   TEXT COLLATE "C" PRIMARY KEY,
  host       TEXT COLLATE "C" NOT NULL,
  pid        INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  beat_at    BIGINT NOT NULL
);
CREATE TABLE call_log (
  call_id      TEXT COLLATE "C" PRIMARY KEY,
  seq          BIGINT NOT NULL,
  record_id    BIGINT,
  campaign_id  TEXT COLLATE "C",
  agent_id     TEXT COLLATE "C",
  mode         TEXT COLLATE "C" NOT NULL,
  started_at   BIGINT NOT NULL,
  delivered_at BIGINT,
  dialled_at   BIGINT,
  connected_at BIGINT,
  ended_at     BIGINT,
  call_result  INTEGER,
  disposition  TEXT,
  rescheduled_at BIGINT
);
CREATE INDEX call_log_started ON call_log (started_at, seq);
CREATE INDEX call_log_campaign ON call_log (campaign_id, started_at, seq);
CREATE INDEX call_log_agent ON call_log (agent_id, started_at, seq);
`;

/**
 * The numbered schema changes, oldest first, each applied in the transaction that opens the
 * database and recorded in `schema_migration`. Numbered as the state schema: there is no 1 here
 * (schema 1 was the SQLite file of JSON rows, before PostgreSQL was offered).
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  { version: 2, name: 'tables', sql: TABLES_V2 },
  { version: 3, name: 'team: host lease, desktop heartbeats, call log', sql: TEAM_V3 },
];

/** The migrations' own table: which have been applied, and when. */
export const MIGRATION_TABLE_DDL = `CREATE TABLE schema_migration (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** The schema this build writes: the newest migration. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

/** Every table of a callback-desk database (what `state copy` and the tests walk). */
export const PG_TABLES = ['schema_migration', 'meta', 'counter', 'entity', 'calling_list', 'campaign_zone', 'contact', 'interaction', 'message', 'gms_callback', 'gms_slot', 'host_lease', 'agent_heartbeat', 'call_log'] as const;
