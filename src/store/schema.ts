/**
 * The state file's tables (schema 2). The calling list is a real table in the OCS field names,
 * one column per field, so a supervisor can query it with sqlite3 and the dialer selects
 * records by index instead of scanning. Configuration (agents, campaigns, services) is small
 * and kept as JSON rows in `entity`.
 */
export { SCHEMA_VERSION } from '../engine/world.js';

const TABLES_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Ids are handed out here, not in memory, so a script and the desktop on one file never
-- create two entities with the same id.
CREATE TABLE counter (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE entity (
  kind TEXT NOT NULL,
  id   TEXT NOT NULL,
  body TEXT NOT NULL,
  rev  INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX entity_rev ON entity (rev);

CREATE TABLE calling_list (
  record_id         INTEGER PRIMARY KEY,
  contact_info      TEXT NOT NULL,
  contact_info_type INTEGER NOT NULL,
  record_type       INTEGER NOT NULL,
  record_status     INTEGER NOT NULL,
  call_result       INTEGER NOT NULL,
  attempt           INTEGER NOT NULL,
  dial_sched_time   INTEGER,
  call_time         INTEGER,
  daily_from        INTEGER NOT NULL,
  daily_till        INTEGER NOT NULL,
  tz_dbid           INTEGER NOT NULL,
  tz                TEXT NOT NULL,
  campaign_id       TEXT NOT NULL,
  agent_id          TEXT,
  chain_id          INTEGER NOT NULL,
  chain_n           INTEGER NOT NULL,
  group_id          TEXT NOT NULL,
  contact_id        TEXT NOT NULL,
  treatments        TEXT NOT NULL DEFAULT '[]',
  callback_local    TEXT,
  disposition       TEXT,
  booked_by         TEXT
);
-- PreviewRecordRequest and the dialer: Ready General records of a campaign in one zone, least
-- tried first.
CREATE INDEX calling_list_dialable ON calling_list (campaign_id, record_status, record_type, tz, attempt, record_id);
-- Open callbacks by due time (the callback hopper), and per campaign (due campaign callbacks first).
CREATE INDEX calling_list_open_callback ON calling_list (dial_sched_time) WHERE record_status = 1 AND record_type IN (5, 6);
CREATE INDEX calling_list_campaign_callback ON calling_list (campaign_id, dial_sched_time) WHERE record_status = 1 AND record_type = 6;
CREATE INDEX calling_list_personal_callback ON calling_list (agent_id, campaign_id, dial_sched_time) WHERE record_status = 1 AND record_type = 5;
-- Every callback, open or not (callbacks list).
CREATE INDEX calling_list_callback ON calling_list (dial_sched_time, record_id) WHERE record_type IN (5, 6);
CREATE INDEX calling_list_chain ON calling_list (chain_id, chain_n);
CREATE INDEX calling_list_contact ON calling_list (contact_id, chain_n);
-- The zones a campaign's records are in, with the widest contact hours there: the dialable
-- query asks only the zones where some number may be called now.
CREATE TABLE campaign_zone (
  campaign_id TEXT NOT NULL,
  tz          TEXT NOT NULL,
  min_from    INTEGER NOT NULL,
  max_till    INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, tz)
) WITHOUT ROWID;

CREATE TABLE contact (
  id         TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name  TEXT NOT NULL,
  tz         TEXT NOT NULL,
  email      TEXT NOT NULL DEFAULT '',
  fields     TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE interaction (
  id         TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  kind       TEXT NOT NULL,
  contact_id TEXT,
  created_at INTEGER NOT NULL,
  body       TEXT NOT NULL,
  rev        INTEGER NOT NULL
);
CREATE INDEX interaction_live ON interaction (state) WHERE state <> 'done';
CREATE INDEX interaction_rev ON interaction (rev);

CREATE TABLE message (
  id         TEXT PRIMARY KEY,
  agent_id   TEXT NOT NULL,
  kind       TEXT NOT NULL,
  subject    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  read       INTEGER NOT NULL,
  body       TEXT NOT NULL
);
CREATE INDEX message_agent ON message (agent_id, created_at DESC, seq DESC);
CREATE INDEX message_unread ON message (agent_id) WHERE read = 0;

-- Genesys Callback bookings, and the capacity each bucket has given away (kept in the same
-- transaction as the booking, so availability reads a few rows, never the bookings).
CREATE TABLE gms_callback (
  id              TEXT PRIMARY KEY,
  seq             INTEGER NOT NULL,
  service         TEXT NOT NULL,
  contact_id      TEXT,
  customer_number TEXT NOT NULL,
  state           TEXT NOT NULL,
  reason          TEXT,
  slot            INTEGER NOT NULL,
  desired_time    INTEGER NOT NULL,
  body            TEXT NOT NULL
);
CREATE INDEX gms_callback_scheduled ON gms_callback (desired_time) WHERE state = 'SCHEDULED';
CREATE INDEX gms_callback_contact ON gms_callback (contact_id) WHERE state <> 'COMPLETED';
CREATE INDEX gms_callback_open ON gms_callback (desired_time, seq) WHERE state <> 'COMPLETED';
CREATE TABLE gms_slot (service TEXT NOT NULL, slot INTEGER NOT NULL, booked INTEGER NOT NULL, PRIMARY KEY (service, slot)) WITHOUT ROWID;
`;

/**
 * The indexes behind My Callbacks (an agent's own callbacks). Also created, with the calling
 * list's booked_by column, in files made before them (upgradeSchema2 in migrate.ts): adding a
 * nullable column and two indexes changes no row, so the schema version stays 2 and an older
 * build still reads the file.
 */
export const MY_CALLBACKS_DDL = `
CREATE INDEX IF NOT EXISTS calling_list_booked_callback ON calling_list (booked_by, dial_sched_time) WHERE record_status = 1 AND record_type = 6;
CREATE INDEX IF NOT EXISTS gms_callback_booked_by ON gms_callback (json_extract(body, '$.bookedBy'), desired_time, seq) WHERE state <> 'COMPLETED';
`;

/**
 * Schema 3: a team on one world (issue 20). The host's lease (one process owns the clock, the
 * dialer and the timers; its epoch fences a host that lost the lease), the agents' desktops'
 * heartbeats (a desktop that died is logged out by the host), and the call log (every delivery
 * and dial attempt a row; times in simulated UTC epoch ms).
 */
export const TEAM_DDL = `
CREATE TABLE IF NOT EXISTS host_lease (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  epoch        INTEGER NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  role         TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_heartbeat (
  agent_id   TEXT PRIMARY KEY,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  beat_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS call_log (
  call_id      TEXT PRIMARY KEY,
  seq          INTEGER NOT NULL,
  record_id    INTEGER,
  campaign_id  TEXT,
  agent_id     TEXT,
  mode         TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  dialled_at   INTEGER,
  connected_at INTEGER,
  ended_at     INTEGER,
  call_result  INTEGER,
  disposition  TEXT,
  rescheduled_at INTEGER
);
CREATE INDEX IF NOT EXISTS call_log_started ON call_log (started_at, seq);
CREATE INDEX IF NOT EXISTS call_log_campaign ON call_log (campaign_id, started_at, seq);
CREATE INDEX IF NOT EXISTS call_log_agent ON call_log (agent_id, started_at, seq);
`;

/** Every table and index of a new state file. */
export const DDL = TABLES_DDL + MY_CALLBACKS_DDL + TEAM_DDL;

/**
 * The call log's `rescheduled_at` (when the agent booked a callback on the call), added after
 * schema 3 was first written: a state made before it gains the nullable column (no row changes,
 * so the schema version stays 3). See needsCallLogUpgrade in migrate.ts.
 */
export const CALL_LOG_RESCHEDULED_DDL = 'ALTER TABLE call_log ADD COLUMN rescheduled_at INTEGER';
