// Long on purpose: one class per table on PostgreSQL, each statement beside the index it uses, in
// the order of src/store/tables.ts.
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { AgentMessage, CallLogEntry, CallingListRecord, Contact, GenesysCallback, Interaction } from '../../engine/domain.js';
import type { AgentCallFigures, CallLogTable, CallingListTable, ContactTable, DialableQuery, GenesysCallbackTable, InteractionTable, MessageTable } from '../../engine/store-port.js';
import { AGENT_FIGURES_SQL, CALL_LOG_COLUMNS, CALL_SPAN_MS, CALLING_LIST_COLUMNS, callFromRow, callParams, contactFromRow, figuresFromRow, holdsCapacity, recordFromRow, recordParams } from '../tables.js';
import { CALLBACK_TYPES_SQL, CAMPAIGN_CALLBACK, CHAIN_FREE, IN_TURN_TYPES, PERSONAL_CALLBACK, READY, inContactHoursSql } from '../dialing-sql.js';

/**
 * The store's tables on PostgreSQL: the queries of src/store/tables.ts, answered in the same
 * order with the same rows. Each statement is prepared once per connection (a name), and each
 * names the index it is meant to use in a comment where the choice matters.
 */

type Row = Record<string, unknown>;

/** A statement prepared once per connection under its name. */
interface Stmt {
  name: string;
  text: string;
}

function stmt(name: string, text: string): Stmt {
  return { name: `cbd_${name}`, text };
}

/**
 * How a table is read: in a write transaction (`locking`), the rows read to be changed are
 * locked as they are read (`FOR UPDATE`), since PostgreSQL's writers run side by side (see
 * PgStore): two writers never change one row from two stale copies. `putInteraction` takes a
 * transaction's interactions to write at its COMMIT (PgTx).
 */
export interface TableMode {
  locking: boolean;
  putInteraction?: (it: Interaction) => void;
  /** The zones of each campaign as the process last read them (PgCallingList.knownZones), kept by the store. */
  zones?: Map<string, readonly string[]>;
  /**
   * Contacts read along with another query of this transaction (the chosen record's, by
   * nextDialable: the Preview shows its name next), given by PgContacts.get without a round
   * trip of their own until the transaction writes the contact.
   */
  contactsRead?: Map<string, Row>;
}

const lockedStmts = new Map<Stmt, Stmt>();

/** The statement, `FOR UPDATE` when the table is read to be changed (see TableMode). */
function forUpdate(s: Stmt, mode: TableMode): Stmt {
  if (!mode.locking) return s;
  let l = lockedStmts.get(s);
  if (!l) {
    l = { name: `${s.name}_fu`, text: `${s.text} FOR UPDATE` };
    lockedStmts.set(s, l);
  }
  return l;
}

/**
 * One connection, in a transaction or not. `live` throws once the transaction or read it was
 * handed for has ended, so a query can never run on a connection back in the pool.
 */
export class PgConn {
  /** The last query sent: the next waits for it (see query). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly client: PoolClient,
    private readonly live: () => void,
  ) {}

  /**
   * One query at a time on the connection, in the order asked: a caller may ask several at once
   * (Promise.all over a transaction's reads), which node-postgres would queue itself, with a
   * deprecation warning on stderr and not at all from pg 9 on.
   */
  private query<T extends QueryResultRow>(s: Stmt | string, values: unknown[]): Promise<QueryResult<T>> {
    this.live();
    // The writes put off go first, in one round trip: this query may read what they wrote.
    const waiting = this.writes.length;
    const writes = this.takeWrites();
    const send = async () => {
      if (writes) {
        // With the query in the same round trip when its parameters can be written in too (the
        // simple query protocol; the server plans it again, which costs less than a round trip).
        const text = values === undefined ? s : inlined(this.client, typeof s === 'string' ? s : s.text, values);
        if (typeof text === 'string') {
          const results = (await this.client.query(writes + text)) as unknown as QueryResult<T>[];
          const own = results.slice(waiting);
          return (own.length === 1 ? own[0] : own) as QueryResult<T>;
        }
        await this.client.query(writes);
      }
      return typeof s === 'string' ? this.client.query<T>(s, values) : this.client.query<T>({ name: s.name, text: s.text, values });
    };
    const result = this.tail.then(send, send);
    this.tail = result.catch(() => {});
    return result;
  }

  /** Resolves once every query sent on the connection has been answered. */
  async drained(): Promise<void> {
    await this.tail;
  }

  /** Writes whose answer nobody reads, as literal SQL, waiting for the next query or the end. */
  private writes: string[] = [];

  /**
   * A write whose answer nobody reads (a row put whole): sent with the next query, or just
   * before COMMIT, in one round trip with the other writes waiting (takeWrites). A Preview writes its
   * record, interaction and call-log row: one round trip instead of three, under the revision
   * lock every writer of the team waits for. Its error, if any, comes with that round trip, and
   * the transaction is rolled back whole as for any other. A value of a type that has no
   * literal here is sent at once, as before.
   */
  async write(s: Stmt, values: unknown[]): Promise<void> {
    this.live();
    const text = inlined(this.client, s.text, values);
    if (text === undefined) {
      await this.run(s, values);
      return;
    }
    this.writes.push(text);
  }

  /** The writes put off, as statements of one simple query ('' when none), taken out. */
  takeWrites(): string {
    if (this.writes.length === 0) return '';
    const out = `${this.writes.join(';\n')};\n`;
    this.writes = [];
    return out;
  }

  async rows<T extends QueryResultRow = Row>(s: Stmt | string, values: unknown[] = []): Promise<T[]> {
    return (await this.query<T>(s, values)).rows;
  }

  async first<T extends QueryResultRow = Row>(s: Stmt | string, values: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(s, values))[0];
  }

  /**
   * Several statements in one round trip (the simple query protocol, so no parameters: the
   * caller puts only numbers it checked into the text). One result per statement.
   */
  async multi(text: string): Promise<QueryResult[]> {
    const out = (await this.query(text, undefined as unknown as unknown[])) as unknown as QueryResult | QueryResult[];
    return Array.isArray(out) ? out : [out];
  }

  /** The number of rows written. */
  async run(s: Stmt | string, values: unknown[] = []): Promise<number> {
    return (await this.query(s, values)).rowCount ?? 0;
  }
}

/**
 * A statement with its parameters written in as literals (the simple query protocol takes
 * several statements in one round trip; the extended one, one). Each literal is untyped, so
 * the server gives it the type its place asks, as it does a parameter. Undefined when a value
 * is not a string, number, boolean or null.
 */
export function inlined(client: Pick<PoolClient, 'escapeLiteral'>, text: string, values: unknown[]): string | undefined {
  const literals: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) literals.push('NULL');
    else if (typeof v === 'string') literals.push(client.escapeLiteral(v));
    else if (typeof v === 'number' && Number.isFinite(v)) literals.push(`'${v}'`);
    else if (typeof v === 'boolean') literals.push(v ? "'true'" : "'false'");
    else return undefined;
  }
  // The statements given here hold no $ but their parameters' (no quoted text, no dollar quotes).
  return text.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]);
}

/** A LIKE pattern for "contains", its own % and _ taken literally (ESCAPE '\\'), as SQLite's. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The table's columns: the OCS fields (the CSV's), then who booked a callback. */
export const STORED_COLUMNS = [...CALLING_LIST_COLUMNS, 'booked_by'] as const;


/** Records nextDialable passes over, held or changed by other writers, before it says there is none. */
const LOCK_TRIES = 50;

/**
 * The next record to dial, as the rules order them, in one statement: a due campaign callback
 * first (calling_list_campaign_callback, at its time, if its number may be called now), else the
 * least tried, then lowest record_id, of the heads of calling_list_dialable for each type dialled
 * in turn and each zone where it is not night for every number of the campaign (the zone's
 * widest hours, tested as contact hours).
 * $2/$3 are the zones the process knows the campaign has, with their seconds of day now (the
 * engine's time-zone rules, not the server's); `unknown_zones` counts the campaign's zones not
 * among them (the caller learns them and asks again). Every record's zone is in campaign_zone
 * (its put widens the zone), so the zones given cover every callback's number too.
 */
const CHOOSE_DIALABLE = `
  WITH z AS (
    SELECT z.tz, z.sod, cz.min_from AS daily_from, cz.max_till AS daily_till
    FROM unnest($2::text[], $3::integer[]) AS z (tz, sod)
    JOIN campaign_zone cz ON cz.campaign_id = $1 AND cz.tz = z.tz
  ),
  unknown AS (SELECT count(*)::integer AS zones FROM campaign_zone WHERE campaign_id = $1 AND tz <> ALL($2::text[])),
  callback AS (
    SELECT r.* FROM calling_list r
    WHERE r.record_status = ${READY} AND r.record_type = ${CAMPAIGN_CALLBACK} AND r.campaign_id = $1 AND r.dial_sched_time <= $4
      AND r.record_id <> ALL($5::bigint[])
      AND EXISTS (SELECT 1 FROM z WHERE z.tz = r.tz AND ${inContactHoursSql('z.sod', 'r.')}) AND ${CHAIN_FREE}
    ORDER BY r.dial_sched_time, r.record_id LIMIT 1
  ),
  general AS (
    SELECT r.* FROM z
    CROSS JOIN unnest('{${IN_TURN_TYPES.join(',')}}'::integer[]) AS t (type)
    CROSS JOIN LATERAL (
      SELECT * FROM calling_list r
      WHERE r.campaign_id = $1 AND r.record_status = ${READY} AND r.record_type = t.type AND r.tz = z.tz
        AND ${inContactHoursSql('z.sod', 'r.')} AND (r.dial_sched_time IS NULL OR r.dial_sched_time <= $4)
        AND r.record_id <> ALL($5::bigint[]) AND ${CHAIN_FREE}
      ORDER BY r.attempt, r.record_id LIMIT 1
    ) r
    WHERE ${inContactHoursSql('z.sod', 'z.')}
    ORDER BY r.attempt, r.record_id LIMIT 1
  ),
  chosen AS (
    SELECT * FROM (SELECT 0 AS k, * FROM callback UNION ALL SELECT 1 AS k, * FROM general) c ORDER BY k LIMIT 1
  )`;

const CL = {
  get: stmt('cl_get', 'SELECT * FROM calling_list WHERE record_id = $1'),
  // SQLite's INSERT OR REPLACE: record_id is the only unique key, so an upsert is the same.
  // The record, and its zone widened in campaign_zone, in one round trip: the zone's upsert as
  // a data-modifying WITH, tried only when the zone does not already cover the record's hours
  // (ON CONFLICT locks the row it meets even when it changes nothing: every writer of a
  // campaign's records would wait for each other's COMMIT on it).
  put: stmt(
    'cl_put',
    `WITH zone AS (
       INSERT INTO campaign_zone AS z (campaign_id, tz, min_from, max_till)
       SELECT $${STORED_COLUMNS.indexOf('campaign_id') + 1}, $${STORED_COLUMNS.indexOf('tz') + 1}, $${STORED_COLUMNS.indexOf('daily_from') + 1}::integer, $${STORED_COLUMNS.indexOf('daily_till') + 1}::integer
       WHERE NOT EXISTS (SELECT 1 FROM campaign_zone c WHERE c.campaign_id = $${STORED_COLUMNS.indexOf('campaign_id') + 1} AND c.tz = $${STORED_COLUMNS.indexOf('tz') + 1}
                           AND c.min_from <= $${STORED_COLUMNS.indexOf('daily_from') + 1}::integer AND c.max_till >= $${STORED_COLUMNS.indexOf('daily_till') + 1}::integer)
       ON CONFLICT (campaign_id, tz) DO UPDATE SET min_from = least(z.min_from, excluded.min_from), max_till = greatest(z.max_till, excluded.max_till)
       WHERE excluded.min_from < z.min_from OR excluded.max_till > z.max_till
     )
     INSERT INTO calling_list (${STORED_COLUMNS.join(', ')}) VALUES (${STORED_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (record_id) DO UPDATE SET ${STORED_COLUMNS.filter((c) => c !== 'record_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
  ),
  ofContact: stmt('cl_of_contact', 'SELECT * FROM calling_list WHERE contact_id = $1 ORDER BY chain_n, record_id'),
  ofChain: stmt('cl_of_chain', 'SELECT * FROM calling_list WHERE chain_id = $1 ORDER BY chain_n, record_id'),
  // The next record to dial, nothing locked (a read: the engine's look at what comes next).
  choose: stmt(
    'cl_choose',
    `${CHOOSE_DIALABLE} SELECT u.zones AS unknown_zones, to_jsonb(co) AS chosen_contact, c.* FROM unknown u LEFT JOIN chosen c ON true LEFT JOIN contact co ON co.id = c.contact_id`,
  ),
  // The same, and the record chosen locked if no other writer holds it (SKIP LOCKED: never
  // waits), in the same round trip: \`unchanged\` when it is locked and still as chosen (READ
  // COMMITTED locks the newest version of a row changed since the statement began). Both
  // bring the chosen record's contact along (TableMode.contactsRead).
  chooseAndLock: stmt(
    'cl_choose_lock',
    `${CHOOSE_DIALABLE}
     SELECT u.zones AS unknown_zones, c.record_id AS chosen_id, (l.record_id IS NOT NULL AND to_jsonb(l) = to_jsonb(c) - 'k') AS unchanged,
       to_jsonb(co) AS chosen_contact, l.*
     FROM unknown u LEFT JOIN chosen c ON true
     LEFT JOIN LATERAL (SELECT * FROM calling_list x WHERE x.record_id = c.record_id AND u.zones = 0 FOR UPDATE SKIP LOCKED) l ON true
     LEFT JOIN contact co ON co.id = l.contact_id`,
  ),
  openBetween: stmt(
    'cl_open_between',
    `SELECT * FROM calling_list
     WHERE record_status = ${READY} AND record_type IN (${CALLBACK_TYPES_SQL}) AND dial_sched_time > $1 AND dial_sched_time <= $2
     ORDER BY dial_sched_time, record_id LIMIT $3`,
  ),
  personal: stmt(
    'cl_personal',
    `SELECT * FROM calling_list WHERE record_status = ${READY} AND record_type = ${PERSONAL_CALLBACK} AND agent_id = $1 ORDER BY dial_sched_time NULLS FIRST, record_id`,
  ),
  personalIn: stmt(
    'cl_personal_in',
    `SELECT * FROM calling_list WHERE record_status = ${READY} AND record_type = ${PERSONAL_CALLBACK} AND agent_id = $1 AND campaign_id = $2 ORDER BY dial_sched_time NULLS FIRST, record_id`,
  ),
  bookedCampaign: stmt(
    'cl_booked_campaign',
    `SELECT * FROM calling_list WHERE record_status = ${READY} AND record_type = ${CAMPAIGN_CALLBACK} AND booked_by = $1 ORDER BY dial_sched_time NULLS FIRST, record_id LIMIT $2`,
  ),
  callbacks: stmt('cl_callbacks', `SELECT * FROM calling_list WHERE record_type IN (${CALLBACK_TYPES_SQL}) ORDER BY dial_sched_time NULLS FIRST, record_id LIMIT $1`),
  // In contact_id order, as SQLite's query says too (the interface promises it).
  withNumber: stmt(
    'cl_with_number',
    `SELECT contact_id FROM calling_list WHERE contact_info ILIKE $1 ESCAPE '\\' GROUP BY contact_id ORDER BY contact_id LIMIT $2`,
  ),
  count: stmt('cl_count', 'SELECT count(*) AS n FROM calling_list'),
  zonesOf: stmt('cl_zones_of', 'SELECT tz FROM campaign_zone WHERE campaign_id = $1 ORDER BY tz'),
  countIn: stmt('cl_count_in', 'SELECT count(*) AS n FROM calling_list WHERE campaign_id = $1'),
};

export class PgCallingList implements CallingListTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async get(recordId: number): Promise<CallingListRecord | undefined> {
    const r = await this.c.first(forUpdate(CL.get, this.mode), [recordId]);
    return r ? recordFromRow(r) : undefined;
  }

  async put(r: CallingListRecord): Promise<void> {
    await this.c.write(CL.put, recordParams(r));
  }

  async ofContact(contactId: string): Promise<CallingListRecord[]> {
    return (await this.c.rows(forUpdate(CL.ofContact, this.mode), [contactId])).map(recordFromRow);
  }

  async ofChain(chainId: number): Promise<CallingListRecord[]> {
    return (await this.c.rows(forUpdate(CL.ofChain, this.mode), [chainId])).map(recordFromRow);
  }

  /**
   * In a write transaction, the record chosen is locked before it is given (`SKIP LOCKED`: one
   * another writer holds is passed over, not waited for) and given only if it is still as it was
   * chosen; else the next is chosen. So agents asking at once each get a record of their own.
   * Choosing and locking are one statement, one round trip (CHOOSE_DIALABLE).
   */
  async nextDialable(q: DialableQuery): Promise<CallingListRecord | undefined> {
    const passed = new Set(q.exclude ?? []);
    const nowSec = Math.floor(q.now / 1000);
    let learn = false;
    for (let tries = 0; tries < LOCK_TRIES; tries++) {
      const zones = await this.knownZones(q.campaignId, learn);
      const params = [q.campaignId, zones, zones.map((tz) => q.localSeconds(tz)), nowSec, [...passed]];
      type Chosen = Row & { unknown_zones: number; chosen_id?: number | null; unchanged?: boolean; chosen_contact: Row | null };
      const row = (await this.c.first<Chosen>(this.mode.locking ? CL.chooseAndLock : CL.choose, params))!;
      if (row.chosen_contact) this.mode.contactsRead?.set(row.chosen_contact.id as string, row.chosen_contact);
      // A zone this process has not seen yet (a record of a new zone was written): read them again.
      learn = row.unknown_zones > 0;
      if (learn) continue;
      if (!this.mode.locking) return row.record_id == null ? undefined : recordFromRow(row);
      if (row.chosen_id == null) return undefined;
      if (row.unchanged) return recordFromRow(row);
      passed.add(row.chosen_id);
    }
    return undefined;
  }

  /**
   * The campaign's zones as this process last read them (a zone is only ever added or widened,
   * and CHOOSE_DIALABLE says when one is missing), read again when `fresh`.
   */
  private async knownZones(campaignId: string, fresh: boolean): Promise<readonly string[]> {
    const cache = this.mode.zones;
    const known = cache?.get(campaignId);
    if (known && !fresh) return known;
    const zones = await this.zonesOf(campaignId);
    cache?.set(campaignId, zones);
    return zones;
  }

  async openCallbacksBetween(from: number, to: number, limit: number): Promise<CallingListRecord[]> {
    return (await this.c.rows(forUpdate(CL.openBetween, this.mode), [Math.floor(from / 1000), Math.floor(to / 1000), limit])).map(recordFromRow);
  }

  async openPersonalCallbacks(agentId: string, campaignId?: string): Promise<CallingListRecord[]> {
    const rows = campaignId === undefined ? await this.c.rows(forUpdate(CL.personal, this.mode), [agentId]) : await this.c.rows(forUpdate(CL.personalIn, this.mode), [agentId, campaignId]);
    return rows.map(recordFromRow);
  }

  async openCampaignCallbacksBookedBy(agentId: string, limit: number): Promise<CallingListRecord[]> {
    return (await this.c.rows(forUpdate(CL.bookedCampaign, this.mode), [agentId, limit])).map(recordFromRow);
  }

  async callbacks(limit: number): Promise<CallingListRecord[]> {
    return (await this.c.rows(CL.callbacks, [limit])).map(recordFromRow);
  }

  async contactsWithNumber(digits: string, limit: number): Promise<string[]> {
    return (await this.c.rows<{ contact_id: string }>(CL.withNumber, [likeContains(digits), limit])).map((r) => r.contact_id);
  }

  async count(campaignId?: string): Promise<number> {
    const r = campaignId === undefined ? await this.c.first<{ n: number }>(CL.count) : await this.c.first<{ n: number }>(CL.countIn, [campaignId]);
    return r?.n ?? 0;
  }

  async zonesOf(campaignId: string): Promise<string[]> {
    return (await this.c.rows<{ tz: string }>(CL.zonesOf, [campaignId])).map((z) => z.tz);
  }
}

const CO = {
  get: stmt('co_get', 'SELECT * FROM contact WHERE id = $1'),
  getMany: stmt('co_get_many', 'SELECT * FROM contact WHERE id = ANY($1::text[])'),
  rowidLock: stmt('co_rowid_lock', "SELECT pg_advisory_xact_lock(hashtextextended('callback-desk contact rowid', 0))"),
  // SQLite's INSERT OR REPLACE gives the row a new rowid, one past the largest before it (the
  // replaced row's included): the contact moves to the end of the rowid order, as pick sees it.
  put: stmt(
    'co_put',
    `INSERT INTO contact (id, first_name, last_name, tz, email, fields, rowid)
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT coalesce(max(rowid), 0) + 1 FROM contact))
     ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, tz = excluded.tz,
       email = excluded.email, fields = excluded.fields, rowid = excluded.rowid`,
  ),
  // ILIKE under the "C" collation folds ASCII letters only, as SQLite's LIKE.
  search: stmt('co_search', `SELECT * FROM contact WHERE (first_name || ' ' || last_name) ILIKE $1 ESCAPE '\\' ORDER BY id LIMIT $2`),
  maxRowid: stmt('co_max_rowid', 'SELECT max(rowid) AS n FROM contact'),
  atRowid: stmt('co_at_rowid', 'SELECT * FROM contact WHERE rowid >= $1 ORDER BY rowid LIMIT 1'),
  first: stmt('co_first', 'SELECT id FROM contact ORDER BY id LIMIT $1'),
  before: stmt('co_before', 'SELECT id FROM contact WHERE id < $1 ORDER BY id DESC LIMIT $2'),
  after: stmt('co_after', 'SELECT id FROM contact WHERE id >= $1 ORDER BY id LIMIT $2'),
};

export function contactParams(c: Contact): unknown[] {
  return [c.id, c.firstName, c.lastName, c.tz, c.email, JSON.stringify(c.fields)];
}

export class PgContacts implements ContactTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async get(id: string): Promise<Contact | undefined> {
    const r = this.mode.contactsRead?.get(id) ?? (await this.c.first(CO.get, [id]));
    return r ? contactFromRow(r) : undefined;
  }

  async getToChange(id: string): Promise<Contact | undefined> {
    const r = await this.c.first(forUpdate(CO.get, this.mode), [id]);
    return r ? contactFromRow(r) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Contact>> {
    const out = new Map<string, Contact>();
    if (ids.length === 0) return out;
    // One round trip for all of them (the primary key's index, once per id).
    for (const r of await this.c.rows(CO.getMany, [[...new Set(ids)]])) {
      const c = contactFromRow(r);
      out.set(c.id, c);
    }
    return out;
  }

  async put(c: Contact): Promise<void> {
    // The new rowid is one past the largest: two writers side by side would take the same.
    if (this.mode.locking) await this.c.write(CO.rowidLock, []);
    this.mode.contactsRead?.delete(c.id);
    await this.c.write(CO.put, contactParams(c));
  }

  async searchByName(query: string, limit: number): Promise<Contact[]> {
    return (await this.c.rows(CO.search, [likeContains(query), limit])).map(contactFromRow);
  }

  async pick(u: number): Promise<Contact | undefined> {
    const max = (await this.c.first<{ n: number | null }>(CO.maxRowid))?.n;
    if (!max) return undefined;
    const r = await this.c.first(CO.atRowid, [1 + Math.floor(u * max)]);
    return r ? contactFromRow(r) : undefined;
  }

  async ids(limit: number): Promise<string[]> {
    return (await this.c.rows<{ id: string }>(CO.first, [limit])).map((r) => r.id);
  }

  /** Up to half of `limit` ids before `id` (the nearest), then the rest from `id` on: in id order, as SQLite's. */
  async idsNear(id: string, limit: number): Promise<string[]> {
    const before = (await this.c.rows<{ id: string }>(CO.before, [id, Math.ceil(limit / 2)])).map((r) => r.id).reverse();
    const after = (await this.c.rows<{ id: string }>(CO.after, [id, limit - before.length])).map((r) => r.id);
    return [...before, ...after];
  }
}

/** The revision a write transaction commits with, read after its UPDATE of the revision row (PgTx.commitStatements). */
export const REVISION_NOW = "(SELECT value::bigint FROM meta WHERE key = 'revision')";

const IN = {
  live: stmt('in_live', "SELECT body FROM interaction WHERE state <> 'done' ORDER BY created_at, id"),
  get: stmt('in_get', 'SELECT body FROM interaction WHERE id = $1'),
  // Written in COMMIT's round trip, at the revision the transaction takes there.
  put: `INSERT INTO interaction (id, state, kind, contact_id, created_at, body, rev) VALUES ($1, $2, $3, $4, $5, $6, ${REVISION_NOW})
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, kind = excluded.kind, contact_id = excluded.contact_id,
       created_at = excluded.created_at, body = excluded.body, rev = excluded.rev`,
};

function interactionFields(it: Interaction): unknown[] {
  return [it.id, it.state, it.kind, it.contactId, it.createdAt, JSON.stringify(it)];
}

/** An interaction's row with its revision (the seed's rows). */
export function interactionParams(it: Interaction, rev: number): unknown[] {
  return [...interactionFields(it), rev];
}

/** An interaction put whole at the revision its transaction commits with, as literal SQL. */
export function interactionAtCommit(client: Pick<PoolClient, 'escapeLiteral'>, it: Interaction): string {
  return inlined(client, IN.put, interactionFields(it))!;
}

function bodies<T>(rows: { body: string }[]): T[] {
  return rows.map((r) => JSON.parse(r.body) as T);
}

export class PgInteractions implements InteractionTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async live(): Promise<Interaction[]> {
    return bodies<Interaction>(await this.c.rows<{ body: string }>(IN.live));
  }

  async get(id: string): Promise<Interaction | undefined> {
    const r = await this.c.first<{ body: string }>(IN.get, [id]);
    return r ? (JSON.parse(r.body) as Interaction) : undefined;
  }

  async put(it: Interaction, _rev: number): Promise<void> {
    // Written in COMMIT's round trip (PgTx), where the revision is taken: the rev asked is the
    // one it will be if nobody commits first.
    if (!this.mode.putInteraction) throw new Error(`interaction ${it.id}: written only in a write transaction`);
    this.mode.putInteraction(it);
  }
}

/** The number in an id ("msg-12" is 12), which orders rows created in the same instant. */
export function seqOf(id: string): number {
  return Number(id.replace(/\D/g, '')) || 0;
}

const MS = {
  get: stmt('ms_get', 'SELECT body FROM message WHERE id = $1'),
  put: stmt(
    'ms_put',
    `INSERT INTO message (id, agent_id, kind, subject, created_at, seq, read, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, kind = excluded.kind, subject = excluded.subject,
       created_at = excluded.created_at, seq = excluded.seq, read = excluded.read, body = excluded.body`,
  ),
  forAgent: stmt('ms_for_agent', 'SELECT body FROM message WHERE agent_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2'),
  unread: stmt('ms_unread', 'SELECT count(*) AS n FROM message WHERE agent_id = $1 AND read = 0'),
  exists: stmt('ms_exists', 'SELECT 1 AS one FROM message WHERE agent_id = $1 AND kind = $2 AND subject = $3 AND created_at >= $4 LIMIT 1'),
};

export function messageParams(m: AgentMessage): unknown[] {
  return [m.id, m.agentId, m.kind, m.subject, m.createdAt, seqOf(m.id), m.read ? 1 : 0, JSON.stringify(m)];
}

export class PgMessages implements MessageTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async get(id: string): Promise<AgentMessage | undefined> {
    const r = await this.c.first<{ body: string }>(forUpdate(MS.get, this.mode), [id]);
    return r ? (JSON.parse(r.body) as AgentMessage) : undefined;
  }

  async put(m: AgentMessage): Promise<void> {
    await this.c.write(MS.put, messageParams(m));
  }

  async forAgent(agentId: string, limit: number): Promise<AgentMessage[]> {
    return bodies<AgentMessage>(await this.c.rows<{ body: string }>(MS.forAgent, [agentId, limit]));
  }

  async unreadCount(agentId: string): Promise<number> {
    return (await this.c.first<{ n: number }>(MS.unread, [agentId]))?.n ?? 0;
  }

  async exists(agentId: string, kind: string, subject: string, since: number): Promise<boolean> {
    return (await this.c.first(MS.exists, [agentId, kind, subject, since])) !== undefined;
  }
}

const GC = {
  get: stmt('gc_get', 'SELECT body FROM gms_callback WHERE id = $1'),
  put: stmt(
    'gc_put',
    `INSERT INTO gms_callback (id, seq, service, contact_id, customer_number, state, reason, slot, desired_time, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, service = excluded.service, contact_id = excluded.contact_id,
       customer_number = excluded.customer_number, state = excluded.state, reason = excluded.reason, slot = excluded.slot,
       desired_time = excluded.desired_time, body = excluded.body`,
  ),
  adjust: stmt(
    'gc_adjust',
    'INSERT INTO gms_slot AS s (service, slot, booked) VALUES ($1, $2, $3) ON CONFLICT (service, slot) DO UPDATE SET booked = s.booked + excluded.booked',
  ),
  // The place in a bucket is taken by this one statement: it writes nothing when the bucket
  // already holds `capacity` bookings, whatever another connection committed a moment before.
  take: stmt(
    'gc_take',
    'INSERT INTO gms_slot AS s (service, slot, booked) VALUES ($1, $2, 1) ON CONFLICT (service, slot) DO UPDATE SET booked = s.booked + 1 WHERE s.booked < $3',
  ),
  between: stmt('gc_between', 'SELECT slot, booked FROM gms_slot WHERE service = $1 AND slot >= $2 AND slot < $3 AND booked > 0 ORDER BY slot'),
  booked: stmt('gc_booked', 'SELECT booked FROM gms_slot WHERE service = $1 AND slot = $2'),
  scheduled: stmt(
    'gc_scheduled',
    "SELECT body FROM gms_callback WHERE state = 'SCHEDULED' AND desired_time > $1 AND desired_time <= $2 ORDER BY desired_time, seq LIMIT $3",
  ),
  ofContact: stmt('gc_of_contact', "SELECT body FROM gms_callback WHERE contact_id = $1 AND state <> 'COMPLETED' ORDER BY desired_time, seq"),
  bookedBy: stmt(
    'gc_booked_by',
    "SELECT body FROM gms_callback WHERE ((body::json) ->> 'bookedBy') = $1 AND state <> 'COMPLETED' ORDER BY desired_time, seq LIMIT $2",
  ),
  list: stmt('gc_list', 'SELECT body FROM gms_callback ORDER BY desired_time, seq LIMIT $1'),
  open: stmt('gc_open', "SELECT body FROM gms_callback WHERE state <> 'COMPLETED' ORDER BY desired_time, seq LIMIT $1"),
};

export function gcallbackParams(cb: GenesysCallback): unknown[] {
  return [cb.id, seqOf(cb.id), cb.service, cb.contactId, cb.customerNumber, cb.state, cb.reason, cb.slot, cb.desiredTime, JSON.stringify(cb)];
}

export class PgGenesysCallbacks implements GenesysCallbackTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async get(id: string): Promise<GenesysCallback | undefined> {
    const r = await this.c.first<{ body: string }>(forUpdate(GC.get, this.mode), [id]);
    return r ? (JSON.parse(r.body) as GenesysCallback) : undefined;
  }

  async put(cb: GenesysCallback, before: GenesysCallback | undefined, capacity?: number): Promise<boolean> {
    const held = before !== undefined && holdsCapacity(before);
    const takes = holdsCapacity(cb);
    // A booking that keeps its bucket keeps its place: nothing to count, nothing to check.
    const stays = held && takes && before.service === cb.service && before.slot === cb.slot;
    if (takes && !stays) {
      if (capacity === undefined) await this.c.run(GC.adjust, [cb.service, cb.slot, 1]);
      else if (capacity < 1 || (await this.c.run(GC.take, [cb.service, cb.slot, capacity])) === 0) return false;
    }
    if (held && !stays) await this.c.run(GC.adjust, [before.service, before.slot, -1]);
    await this.c.run(GC.put, gcallbackParams(cb));
    return true;
  }

  async bookedBetween(service: string, from: number, to: number): Promise<Map<number, number>> {
    const m = new Map<number, number>();
    for (const r of await this.c.rows<{ slot: number; booked: number }>(GC.between, [service, from, to])) m.set(r.slot, r.booked);
    return m;
  }

  async booked(service: string, slot: number): Promise<number> {
    return (await this.c.first<{ booked: number }>(GC.booked, [service, slot]))?.booked ?? 0;
  }

  async scheduledBetween(from: number, to: number, limit: number): Promise<GenesysCallback[]> {
    return bodies<GenesysCallback>(await this.c.rows<{ body: string }>(forUpdate(GC.scheduled, this.mode), [from, to, limit]));
  }

  async openOfContact(contactId: string): Promise<GenesysCallback[]> {
    return bodies<GenesysCallback>(await this.c.rows<{ body: string }>(forUpdate(GC.ofContact, this.mode), [contactId]));
  }

  async openBookedBy(agentId: string, limit: number): Promise<GenesysCallback[]> {
    return bodies<GenesysCallback>(await this.c.rows<{ body: string }>(forUpdate(GC.bookedBy, this.mode), [agentId, limit]));
  }

  async list(limit: number): Promise<GenesysCallback[]> {
    return bodies<GenesysCallback>(await this.c.rows<{ body: string }>(GC.list, [limit]));
  }

  async open(limit: number): Promise<GenesysCallback[]> {
    return bodies<GenesysCallback>(await this.c.rows<{ body: string }>(GC.open, [limit]));
  }
}

const CA = {
  get: stmt('ca_get', 'SELECT * FROM call_log WHERE call_id = $1'),
  // SQLite's INSERT OR REPLACE: call_id is the only unique key, so an upsert is the same.
  put: stmt(
    'ca_put',
    `INSERT INTO call_log (${CALL_LOG_COLUMNS.join(', ')}) VALUES (${CALL_LOG_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (call_id) DO UPDATE SET ${CALL_LOG_COLUMNS.filter((c) => c !== 'call_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
  ),
  figures: stmt('ca_figures', AGENT_FIGURES_SQL),
};

export class PgCallLog implements CallLogTable {
  constructor(
    private readonly c: PgConn,
    private readonly mode: TableMode = { locking: false },
  ) {}

  async get(callId: string): Promise<CallLogEntry | undefined> {
    const r = await this.c.first(forUpdate(CA.get, this.mode), [callId]);
    return r ? callFromRow(r) : undefined;
  }

  async put(row: CallLogEntry): Promise<void> {
    await this.c.write(CA.put, callParams(row));
  }

  async agentFigures(agentId: string, from: number, to: number): Promise<AgentCallFigures> {
    return figuresFromRow(await this.c.first(CA.figures, [agentId, from - CALL_SPAN_MS, from, to]));
  }
}
