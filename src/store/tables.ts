// Long on purpose: one class per table on SQLite, each statement beside the index it uses;
// PostgreSQL's mirror them in pg/tables.ts.
import type Database from 'better-sqlite3';
import type { AgentMessage, CallLogEntry, CallingListRecord, Contact, GenesysCallback, Interaction } from '../engine/domain.js';
import { fromOcsSeconds, toOcsSeconds } from '../engine/time/iso-time.js';
import { inContactHours } from '../engine/dialing-rules.js';
import { holdsCapacity } from '../engine/slot-capacity.js';
import { CALLBACK_TYPES_SQL, CAMPAIGN_CALLBACK, CHAIN_FREE, IN_TURN_TYPES, PERSONAL_CALLBACK, READY, inContactHoursSql } from './dialing-sql.js';
import type {
  AgentCallFigures,
  CallLogTable,
  CallingListTable,
  ContactTable,
  DialableQuery,
  GenesysCallbackTable,
  InteractionTable,
  MessageTable,
} from '../engine/store-port.js';

/**
 * The store's tables behind the engine's StorePort: prepared statements over indexes. Nothing
 * here scans a table for a hot path; each query names the index it uses.
 */

type Row = Record<string, unknown>;

/** A LIKE pattern for "contains", its own % and _ taken literally (ESCAPE '\\'). */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The calling-list columns in table order (also the CSV export's header). */
export const CALLING_LIST_COLUMNS = [
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
  'campaign_id',
  'agent_id',
  'chain_id',
  'chain_n',
  'group_id',
  'contact_id',
  'treatments',
  'callback_local',
  'disposition',
] as const;

export function recordFromRow(r: Row): CallingListRecord {
  return {
    record_id: r.record_id as number,
    contact_info: r.contact_info as string,
    contact_info_type: r.contact_info_type as CallingListRecord['contact_info_type'],
    record_type: r.record_type as CallingListRecord['record_type'],
    record_status: r.record_status as CallingListRecord['record_status'],
    call_result: r.call_result as CallingListRecord['call_result'],
    attempt: r.attempt as number,
    dialSchedAt: fromOcsSeconds((r.dial_sched_time as number | null) ?? null),
    callAt: fromOcsSeconds((r.call_time as number | null) ?? null),
    daily_from: r.daily_from as number,
    daily_till: r.daily_till as number,
    tz_dbid: r.tz_dbid as number,
    tz: r.tz as string,
    campaign_id: r.campaign_id as string,
    agent_id: (r.agent_id as string | null) ?? null,
    chain_id: r.chain_id as number,
    chain_n: r.chain_n as number,
    group_id: r.group_id as string,
    contact_id: r.contact_id as string,
    treatments: JSON.parse((r.treatments as string) || '[]') as string[],
    callback_local: (r.callback_local as string | null) ?? null,
    disposition: (r.disposition as string | null) ?? null,
    // Not an OCS field: only on the records someone booked a callback on.
    ...(r.booked_by != null ? { booked_by: r.booked_by as string } : {}),
  };
}

export function recordParams(r: CallingListRecord): unknown[] {
  return [
    r.record_id,
    r.contact_info,
    r.contact_info_type,
    r.record_type,
    r.record_status,
    r.call_result,
    r.attempt,
    toOcsSeconds(r.dialSchedAt),
    toOcsSeconds(r.callAt),
    r.daily_from,
    r.daily_till,
    r.tz_dbid,
    r.tz,
    r.campaign_id,
    r.agent_id,
    r.chain_id,
    r.chain_n,
    r.group_id,
    r.contact_id,
    JSON.stringify(r.treatments ?? []),
    r.callback_local ?? null,
    r.disposition ?? null,
    r.booked_by ?? null,
  ];
}

/** The table's columns: the OCS fields (the CSV's), then who booked a callback. */
const STORED_COLUMNS = [...CALLING_LIST_COLUMNS, 'booked_by'];
const INSERT_RECORD = `INSERT OR REPLACE INTO calling_list (${STORED_COLUMNS.join(', ')}) VALUES (${STORED_COLUMNS.map(() => '?').join(', ')})`;


export class SqliteCallingList implements CallingListTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare('SELECT * FROM calling_list WHERE record_id = ?'),
      put: db.prepare(INSERT_RECORD),
      zone: db.prepare(
        'INSERT INTO campaign_zone (campaign_id, tz, min_from, max_till) VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, tz) DO UPDATE SET min_from = min(min_from, excluded.min_from), max_till = max(max_till, excluded.max_till) WHERE excluded.min_from < min_from OR excluded.max_till > max_till',
      ),
      zones: db.prepare('SELECT tz, min_from, max_till FROM campaign_zone WHERE campaign_id = ? ORDER BY tz'),
      ofContact: db.prepare('SELECT * FROM calling_list WHERE contact_id = ? ORDER BY chain_n'),
      ofChain: db.prepare('SELECT * FROM calling_list WHERE chain_id = ? ORDER BY chain_n'),
      dueCampaignCallbacks: db.prepare(
        `SELECT * FROM calling_list r INDEXED BY calling_list_campaign_callback
         WHERE record_status = ${READY} AND record_type = ${CAMPAIGN_CALLBACK} AND campaign_id = ? AND dial_sched_time <= ? AND ${CHAIN_FREE}
           AND record_id NOT IN (SELECT value FROM json_each(?))
         ORDER BY dial_sched_time, record_id`,
      ),
      general: db.prepare(
        `SELECT * FROM calling_list r INDEXED BY calling_list_dialable
         WHERE campaign_id = ? AND record_status = ${READY} AND record_type = ? AND tz = ?
           AND ${inContactHoursSql('?')} AND (dial_sched_time IS NULL OR dial_sched_time <= ?)
           AND record_id NOT IN (SELECT value FROM json_each(?)) AND ${CHAIN_FREE}
         ORDER BY attempt, record_id LIMIT 1`,
      ),
      openBetween: db.prepare(
        `SELECT * FROM calling_list INDEXED BY calling_list_open_callback
         WHERE record_status = ${READY} AND record_type IN (${CALLBACK_TYPES_SQL}) AND dial_sched_time > ? AND dial_sched_time <= ?
         ORDER BY dial_sched_time, record_id LIMIT ?`,
      ),
      personal: db.prepare(
        `SELECT * FROM calling_list INDEXED BY calling_list_personal_callback
         WHERE record_status = ${READY} AND record_type = ${PERSONAL_CALLBACK} AND agent_id = ? ORDER BY dial_sched_time, record_id`,
      ),
      personalIn: db.prepare(
        `SELECT * FROM calling_list INDEXED BY calling_list_personal_callback
         WHERE record_status = ${READY} AND record_type = ${PERSONAL_CALLBACK} AND agent_id = ? AND campaign_id = ? ORDER BY dial_sched_time, record_id`,
      ),
      bookedCampaign: db.prepare(
        `SELECT * FROM calling_list INDEXED BY calling_list_booked_callback
         WHERE record_status = ${READY} AND record_type = ${CAMPAIGN_CALLBACK} AND booked_by = ? ORDER BY dial_sched_time, record_id LIMIT ?`,
      ),
      callbacks: db.prepare(
        `SELECT * FROM calling_list INDEXED BY calling_list_callback WHERE record_type IN (${CALLBACK_TYPES_SQL}) ORDER BY dial_sched_time, record_id LIMIT ?`,
      ),
      // ORDER BY contact_id costs nothing: the DISTINCT already walks calling_list_contact in that order.
      withNumber: db.prepare(`SELECT DISTINCT contact_id FROM calling_list WHERE contact_info LIKE ? ESCAPE '\\' ORDER BY contact_id LIMIT ?`),
      count: db.prepare('SELECT count(*) AS n FROM calling_list'),
      countIn: db.prepare('SELECT count(*) AS n FROM calling_list WHERE campaign_id = ?'),
    };
  }

  async get(recordId: number): Promise<CallingListRecord | undefined> {
    const r = this.s.get.get(recordId) as Row | undefined;
    return r ? recordFromRow(r) : undefined;
  }

  async put(r: CallingListRecord): Promise<void> {
    this.write(r);
  }

  /** The write itself, for the seed and migrations that run inside SQLite's own transaction. */
  write(r: CallingListRecord): void {
    this.s.put.run(...recordParams(r));
    this.s.zone.run(r.campaign_id, r.tz, r.daily_from, r.daily_till);
  }

  async ofContact(contactId: string): Promise<CallingListRecord[]> {
    return (this.s.ofContact.all(contactId) as Row[]).map(recordFromRow);
  }

  async ofChain(chainId: number): Promise<CallingListRecord[]> {
    return (this.s.ofChain.all(chainId) as Row[]).map(recordFromRow);
  }

  async nextDialable(q: DialableQuery): Promise<CallingListRecord | undefined> {
    const exclude = JSON.stringify(q.exclude ?? []);
    // Due campaign callbacks first, at their time, if their number may be called now.
    const nowSec = Math.floor(q.now / 1000);
    for (const row of this.s.dueCampaignCallbacks.iterate(q.campaignId, nowSec, exclude) as Iterable<Row>) {
      const sod = q.localSeconds(row.tz as string);
      if (inContactHours({ daily_from: row.daily_from as number, daily_till: row.daily_till as number }, sod)) return recordFromRow(row);
    }
    // Then the records dialled in turn: one indexed probe per zone of the campaign and type,
    // with that zone's seconds of day; the least tried (then lowest id) of the heads wins.
    let best: Row | undefined;
    for (const { tz, min_from, max_till } of this.s.zones.all(q.campaignId) as { tz: string; min_from: number; max_till: number }[]) {
      const sod = q.localSeconds(tz);
      // Night in that zone for every number of the campaign: nothing to ask.
      if (sod < min_from || sod >= max_till) continue;
      for (const type of IN_TURN_TYPES) {
        const row = this.s.general.get(q.campaignId, type, tz, sod, sod, nowSec, exclude) as Row | undefined;
        if (!row) continue;
        if (!best || (row.attempt as number) < (best.attempt as number) || (row.attempt === best.attempt && (row.record_id as number) < (best.record_id as number))) best = row;
      }
    }
    return best ? recordFromRow(best) : undefined;
  }

  async openCallbacksBetween(from: number, to: number, limit: number): Promise<CallingListRecord[]> {
    return (this.s.openBetween.all(Math.floor(from / 1000), Math.floor(to / 1000), limit) as Row[]).map(recordFromRow);
  }

  async openPersonalCallbacks(agentId: string, campaignId?: string): Promise<CallingListRecord[]> {
    const rows = campaignId === undefined ? this.s.personal.all(agentId) : this.s.personalIn.all(agentId, campaignId);
    return (rows as Row[]).map(recordFromRow);
  }

  async openCampaignCallbacksBookedBy(agentId: string, limit: number): Promise<CallingListRecord[]> {
    return (this.s.bookedCampaign.all(agentId, limit) as Row[]).map(recordFromRow);
  }

  async callbacks(limit: number): Promise<CallingListRecord[]> {
    return (this.s.callbacks.all(limit) as Row[]).map(recordFromRow);
  }

  async contactsWithNumber(digits: string, limit: number): Promise<string[]> {
    return (this.s.withNumber.all(likeContains(digits), limit) as { contact_id: string }[]).map((r) => r.contact_id);
  }

  async count(campaignId?: string): Promise<number> {
    const r = (campaignId === undefined ? this.s.count.get() : this.s.countIn.get(campaignId)) as { n: number };
    return r.n;
  }

  async zonesOf(campaignId: string): Promise<string[]> {
    return (this.s.zones.all(campaignId) as { tz: string }[]).map((z) => z.tz);
  }
}

export function contactFromRow(r: Row): Contact {
  return {
    id: r.id as string,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
    tz: r.tz as string,
    email: r.email as string,
    fields: JSON.parse(r.fields as string) as Record<string, string>,
  };
}

export const INSERT_CONTACT = 'INSERT OR REPLACE INTO contact (id, first_name, last_name, tz, email, fields) VALUES (?, ?, ?, ?, ?, ?)';

export class SqliteContacts implements ContactTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare('SELECT * FROM contact WHERE id = ?'),
      put: db.prepare(INSERT_CONTACT),
      search: db.prepare(`SELECT * FROM contact WHERE (first_name || ' ' || last_name) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?`),
      maxRowid: db.prepare('SELECT max(rowid) AS n FROM contact'),
      atRowid: db.prepare('SELECT * FROM contact WHERE rowid >= ? ORDER BY rowid LIMIT 1'),
      first: db.prepare('SELECT id FROM contact ORDER BY id LIMIT ?').pluck(),
      after: db.prepare('SELECT id FROM contact WHERE id >= ? ORDER BY id LIMIT ?').pluck(),
      before: db.prepare('SELECT id FROM contact WHERE id < ? ORDER BY id DESC LIMIT ?').pluck(),
    };
  }

  async get(id: string): Promise<Contact | undefined> {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? contactFromRow(r) : undefined;
  }

  async getToChange(id: string): Promise<Contact | undefined> {
    // The transaction holds SQLite's one write lock: nobody else changes it meanwhile.
    return this.get(id);
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Contact>> {
    // In the process: a lookup of the primary key each, no round trip to save.
    const out = new Map<string, Contact>();
    for (const id of new Set(ids)) {
      const r = this.s.get.get(id) as Row | undefined;
      if (r) out.set(id, contactFromRow(r));
    }
    return out;
  }

  async put(c: Contact): Promise<void> {
    this.write(c);
  }

  /** The write itself, for the seed and migrations that run inside SQLite's own transaction. */
  write(c: Contact): void {
    this.s.put.run(c.id, c.firstName, c.lastName, c.tz, c.email, JSON.stringify(c.fields));
  }

  async searchByName(query: string, limit: number): Promise<Contact[]> {
    return (this.s.search.all(likeContains(query), limit) as Row[]).map(contactFromRow);
  }

  async ids(limit: number): Promise<string[]> {
    return this.s.first.all(limit) as string[];
  }

  async idsNear(id: string, limit: number): Promise<string[]> {
    const half = Math.ceil(limit / 2);
    const before = (this.s.before.all(id, half) as string[]).reverse();
    return [...before, ...(this.s.after.all(id, limit - before.length) as string[])];
  }

  async pick(u: number): Promise<Contact | undefined> {
    const max = (this.s.maxRowid.get() as { n: number | null }).n;
    if (!max) return undefined;
    const r = this.s.atRowid.get(1 + Math.floor(u * max)) as Row | undefined;
    return r ? contactFromRow(r) : undefined;
  }
}

export class SqliteInteractions implements InteractionTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      live: db.prepare("SELECT body FROM interaction WHERE state <> 'done' ORDER BY created_at, id"),
      get: db.prepare('SELECT body FROM interaction WHERE id = ?'),
      put: db.prepare('INSERT OR REPLACE INTO interaction (id, state, kind, contact_id, created_at, body, rev) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  async live(): Promise<Interaction[]> {
    return (this.s.live.all() as { body: string }[]).map((r) => JSON.parse(r.body) as Interaction);
  }

  async get(id: string): Promise<Interaction | undefined> {
    const r = this.s.get.get(id) as { body: string } | undefined;
    return r ? (JSON.parse(r.body) as Interaction) : undefined;
  }

  async put(it: Interaction, rev: number): Promise<void> {
    this.write(it, rev);
  }

  /** The write itself, for the seed and migrations that run inside SQLite's own transaction. */
  write(it: Interaction, rev: number): void {
    this.s.put.run(it.id, it.state, it.kind, it.contactId, it.createdAt, JSON.stringify(it), rev);
  }
}

export class SqliteMessages implements MessageTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare('SELECT body FROM message WHERE id = ?'),
      put: db.prepare('INSERT OR REPLACE INTO message (id, agent_id, kind, subject, created_at, seq, read, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      forAgent: db.prepare('SELECT body FROM message WHERE agent_id = ? ORDER BY created_at DESC, seq DESC LIMIT ?'),
      unread: db.prepare('SELECT count(*) AS n FROM message WHERE agent_id = ? AND read = 0'),
      exists: db.prepare('SELECT 1 FROM message WHERE agent_id = ? AND kind = ? AND subject = ? AND created_at >= ? LIMIT 1'),
    };
  }

  async get(id: string): Promise<AgentMessage | undefined> {
    const r = this.s.get.get(id) as { body: string } | undefined;
    return r ? (JSON.parse(r.body) as AgentMessage) : undefined;
  }

  async put(m: AgentMessage): Promise<void> {
    this.write(m);
  }

  /** The write itself, for the seed and migrations that run inside SQLite's own transaction. */
  write(m: AgentMessage): void {
    this.s.put.run(m.id, m.agentId, m.kind, m.subject, m.createdAt, Number(m.id.replace(/\D/g, '')) || 0, m.read ? 1 : 0, JSON.stringify(m));
  }

  async forAgent(agentId: string, limit: number): Promise<AgentMessage[]> {
    return (this.s.forAgent.all(agentId, limit) as { body: string }[]).map((r) => JSON.parse(r.body) as AgentMessage);
  }

  async unreadCount(agentId: string): Promise<number> {
    return (this.s.unread.get(agentId) as { n: number }).n;
  }

  async exists(agentId: string, kind: string, subject: string, since: number): Promise<boolean> {
    return this.s.exists.get(agentId, kind, subject, since) !== undefined;
  }
}

/** The engine's rule, which the slot counters here and on PostgreSQL follow. */
export { holdsCapacity };

export class SqliteGenesysCallbacks implements GenesysCallbackTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare('SELECT body FROM gms_callback WHERE id = ?'),
      put: db.prepare(
        'INSERT OR REPLACE INTO gms_callback (id, seq, service, contact_id, customer_number, state, reason, slot, desired_time, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      adjust: db.prepare('INSERT INTO gms_slot (service, slot, booked) VALUES (?, ?, ?) ON CONFLICT (service, slot) DO UPDATE SET booked = booked + excluded.booked'),
      // Named parameters: better-sqlite3 binds no numbered ones (?1), and the capacity is used twice.
      claim: db.prepare(
        'INSERT INTO gms_slot (service, slot, booked) SELECT @service, @slot, 1 WHERE @capacity > 0 ON CONFLICT (service, slot) DO UPDATE SET booked = booked + 1 WHERE booked < @capacity',
      ),
      between: db.prepare('SELECT slot, booked FROM gms_slot WHERE service = ? AND slot >= ? AND slot < ? AND booked > 0'),
      booked: db.prepare('SELECT booked FROM gms_slot WHERE service = ? AND slot = ?'),
      scheduled: db.prepare(
        "SELECT body FROM gms_callback INDEXED BY gms_callback_scheduled WHERE state = 'SCHEDULED' AND desired_time > ? AND desired_time <= ? ORDER BY desired_time, seq LIMIT ?",
      ),
      ofContact: db.prepare("SELECT body FROM gms_callback WHERE contact_id = ? AND state <> 'COMPLETED' ORDER BY desired_time, seq"),
      bookedBy: db.prepare(
        "SELECT body FROM gms_callback INDEXED BY gms_callback_booked_by WHERE json_extract(body, '$.bookedBy') = ? AND state <> 'COMPLETED' ORDER BY desired_time, seq LIMIT ?",
      ),
      list: db.prepare('SELECT body FROM gms_callback ORDER BY desired_time, seq LIMIT ?'),
      open: db.prepare("SELECT body FROM gms_callback WHERE state <> 'COMPLETED' ORDER BY desired_time, seq LIMIT ?"),
    };
  }

  async get(id: string): Promise<GenesysCallback | undefined> {
    const r = this.s.get.get(id) as { body: string } | undefined;
    return r ? (JSON.parse(r.body) as GenesysCallback) : undefined;
  }

  async put(cb: GenesysCallback, before: GenesysCallback | undefined, capacity?: number): Promise<boolean> {
    return this.write(cb, before, capacity);
  }

  /** The write itself, for the seed and migrations that run inside SQLite's own transaction. */
  write(cb: GenesysCallback, before: GenesysCallback | undefined, capacity?: number): boolean {
    const moves = !before || !holdsCapacity(before) || before.service !== cb.service || before.slot !== cb.slot;
    if (holdsCapacity(cb) && moves) {
      // The place is taken with one conditional update of the bucket's counter: a bucket that
      // is already full answers no row, and nothing is written.
      const took = capacity === undefined ? this.s.adjust.run(cb.service, cb.slot, 1).changes : this.s.claim.run({ service: cb.service, slot: cb.slot, capacity }).changes;
      if (took === 0) return false;
    }
    if (before && holdsCapacity(before) && (moves || !holdsCapacity(cb))) this.s.adjust.run(before.service, before.slot, -1);
    this.s.put.run(cb.id, Number(cb.id.replace(/\D/g, '')) || 0, cb.service, cb.contactId, cb.customerNumber, cb.state, cb.reason, cb.slot, cb.desiredTime, JSON.stringify(cb));
    return true;
  }

  async bookedBetween(service: string, from: number, to: number): Promise<Map<number, number>> {
    const m = new Map<number, number>();
    for (const r of this.s.between.all(service, from, to) as { slot: number; booked: number }[]) m.set(r.slot, r.booked);
    return m;
  }

  async booked(service: string, slot: number): Promise<number> {
    return (this.s.booked.get(service, slot) as { booked: number } | undefined)?.booked ?? 0;
  }

  async scheduledBetween(from: number, to: number, limit: number): Promise<GenesysCallback[]> {
    return (this.s.scheduled.all(from, to, limit) as { body: string }[]).map((r) => JSON.parse(r.body) as GenesysCallback);
  }

  async openOfContact(contactId: string): Promise<GenesysCallback[]> {
    return (this.s.ofContact.all(contactId) as { body: string }[]).map((r) => JSON.parse(r.body) as GenesysCallback);
  }

  async openBookedBy(agentId: string, limit: number): Promise<GenesysCallback[]> {
    return (this.s.bookedBy.all(agentId, limit) as { body: string }[]).map((r) => JSON.parse(r.body) as GenesysCallback);
  }

  async list(limit: number): Promise<GenesysCallback[]> {
    return (this.s.list.all(limit) as { body: string }[]).map((r) => JSON.parse(r.body) as GenesysCallback);
  }

  async open(limit: number): Promise<GenesysCallback[]> {
    return (this.s.open.all(limit) as { body: string }[]).map((r) => JSON.parse(r.body) as GenesysCallback);
  }
}

// ---- the call log ------------------------------------------------------------------------------

/** The call log's columns, in table order (WORLD_TABLES' too). */
export const CALL_LOG_COLUMNS = ['call_id', 'seq', 'record_id', 'campaign_id', 'agent_id', 'mode', 'started_at', 'delivered_at', 'dialled_at', 'connected_at', 'ended_at', 'call_result', 'disposition', 'rescheduled_at'] as const;

export function callFromRow(r: Row): CallLogEntry {
  const ms = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    call_id: r.call_id as string,
    seq: Number(r.seq),
    record_id: Number(r.record_id),
    campaign_id: r.campaign_id as string,
    agent_id: (r.agent_id as string | null) ?? null,
    mode: r.mode as string,
    started_at: Number(r.started_at),
    delivered_at: ms(r.delivered_at),
    dialled_at: ms(r.dialled_at),
    connected_at: ms(r.connected_at),
    ended_at: ms(r.ended_at),
    call_result: ms(r.call_result) as CallLogEntry['call_result'],
    disposition: (r.disposition as string | null) ?? null,
    rescheduled_at: ms(r.rescheduled_at),
  };
}

export function callParams(c: CallLogEntry): unknown[] {
  return CALL_LOG_COLUMNS.map((k) => c[k]);
}

/**
 * An agent's figures over [from, to), in one pass over the agent's rows (call_log_agent) that
 * started up to a day before `from`: the instants of each kind counted where they fall. The
 * same text on both databases ($1 is the agent, $2 the day before, $3 from, $4 to).
 */
export const AGENT_FIGURES_SQL = `SELECT
  coalesce(sum(CASE WHEN delivered_at >= $3 AND delivered_at < $4 THEN 1 ELSE 0 END), 0) AS delivered,
  coalesce(sum(CASE WHEN dialled_at >= $3 AND dialled_at < $4 THEN 1 ELSE 0 END), 0) AS attempts,
  coalesce(sum(CASE WHEN connected_at >= $3 AND connected_at < $4 THEN 1 ELSE 0 END), 0) AS connected,
  coalesce(sum(CASE WHEN connected_at IS NOT NULL AND ended_at >= $3 AND ended_at < $4 THEN 1 ELSE 0 END), 0) AS handled,
  coalesce(sum(CASE WHEN connected_at IS NOT NULL AND ended_at >= $3 AND ended_at < $4 THEN ended_at - connected_at ELSE 0 END), 0) AS talk_ms,
  coalesce(max(CASE WHEN connected_at IS NOT NULL AND ended_at >= $3 AND ended_at < $4 THEN ended_at - connected_at END), 0) AS longest_ms,
  coalesce(sum(CASE WHEN rescheduled_at >= $3 AND rescheduled_at < $4 THEN 1 ELSE 0 END), 0) AS callbacks_set
FROM call_log WHERE agent_id = $1 AND started_at >= $2 AND started_at < $4`;

/** A call starts at most this long before the span it is counted in (see agentFigures). */
export const CALL_SPAN_MS = 86_400_000;

export function figuresFromRow(r: Row | undefined): AgentCallFigures {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    delivered: n(r?.delivered),
    attempts: n(r?.attempts),
    connected: n(r?.connected),
    handled: n(r?.handled),
    talkMs: n(r?.talk_ms),
    longestTalkMs: n(r?.longest_ms),
    callbacksSet: n(r?.callbacks_set),
  };
}

export class SqliteCallLog implements CallLogTable {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare('SELECT * FROM call_log WHERE call_id = ?'),
      // call_id is the only key: replacing the row is the upsert.
      put: db.prepare(`INSERT OR REPLACE INTO call_log (${CALL_LOG_COLUMNS.join(', ')}) VALUES (${CALL_LOG_COLUMNS.map(() => '?').join(', ')})`),
      // better-sqlite3 binds $1 as the named parameter "1": the same text as PostgreSQL's.
      figures: db.prepare(AGENT_FIGURES_SQL),
    };
  }

  async get(callId: string): Promise<CallLogEntry | undefined> {
    const r = this.s.get.get(callId) as Row | undefined;
    return r ? callFromRow(r) : undefined;
  }

  async put(c: CallLogEntry): Promise<void> {
    this.s.put.run(...callParams(c));
  }

  async agentFigures(agentId: string, from: number, to: number): Promise<AgentCallFigures> {
    return figuresFromRow(this.s.figures.get({ 1: agentId, 2: from - CALL_SPAN_MS, 3: from, 4: to }) as Row | undefined);
  }
}
