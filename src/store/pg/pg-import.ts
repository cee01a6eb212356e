// Long on purpose: one database's loader, its stages in the order they run (COPY into staging,
// check with SQL, INSERT ... SELECT), read top to bottom.
import type { PoolClient } from 'pg';
import pgCopy from 'pg-copy-streams';
import { ImportRefusal, StoreError, type ImportPlan, type ImportRow, type RecordImport } from '../../engine/store-port.js';
import { isConnectionFailure, toStoreError } from './errors.js';
import { CHANNEL, type PgStore } from './pg-store.js';

/**
 * `records import` into PostgreSQL, in one transaction, without a lock that would stop a
 * desktop's queries (no DROP INDEX, no table lock):
 *
 * 1. the checked rows stream through `COPY import_row FROM STDIN` into a temporary table (this
 *    session's own: nothing of the shared tables is locked, memory stays flat);
 * 2. the revision row is locked, as every writer locks it, so ids and counters read now stay
 *    true; one statement plans every row (its ids from the counters, its chain and contact) and
 *    names what is wrong with it against the tables and the rows before it, exactly as SQLite's
 *    loader would, row after row (src/store/sqlite-import.ts);
 * 3. the good rows go in with INSERT ... SELECT, the counters and campaign zones are moved, the
 *    revision bumped and notified; COMMIT.
 *
 * With --skip-bad, a row found bad can make a later one good or bad (a chain whose first row is
 * skipped starts at its next), so step 2 is run again without the rows found bad until nothing
 * changes: each run settles at least the earliest row still undecided, and the rows of one
 * chain are few.
 */

/** Bytes of COPY text sent at a time. */
const COPY_CHUNK = 1 << 16;

/** Runs of the planning statement before --skip-bad gives up (a chain of that many rows, each bad because of the one before). */
const MAX_PASSES = 100;

/** A field of COPY's text format: \N for NULL, backslash, tab and line breaks escaped. */
function text(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

const num = (v: number | null) => (v === null ? '\\N' : String(v));

const STAGING = `CREATE TEMP TABLE import_row (
  seq bigint NOT NULL, line bigint NOT NULL, record_id bigint, contact_info text NOT NULL, contact_info_type integer NOT NULL, record_type integer NOT NULL,
  record_status integer NOT NULL, call_result integer NOT NULL, attempt integer NOT NULL, dial_sched_time bigint, call_time bigint,
  daily_from integer NOT NULL, daily_till integer NOT NULL, tz_dbid integer, tz text NOT NULL, agent_id text, chain_key bigint, chain_n integer,
  contact_id text, callback_local text, disposition text, first_name text NOT NULL, last_name text NOT NULL, email text NOT NULL, fields text NOT NULL
) ON COMMIT DROP`;

/** Flags of an import that decide which parts of the plan can matter. */
interface Shape {
  /** Explicit record ids may be given (a record_id column, without --new-ids). */
  records: boolean;
  /** Rows may share chains (a chain_id column). */
  chains: boolean;
  /** Contact ids may be given (a contact_id column, without --new-ids). */
  contacts: boolean;
  newIds: boolean;
  /** Allocated ids must step over ids taken (rare: an id at or past the counter already in use). */
  remapRecords: boolean;
  remapChains: boolean;
}

const PRECEDING = 'ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING';

/**
 * The planning statement: every staged row with its record id, chain, chain_n and contact as
 * SQLite's loader would give them, and `problem`, what is wrong with it (null: nothing). A row
 * is judged against the tables and the rows before it that are not in import_bad (the rows
 * found bad so far). `base`: the counters' next record and chain ids (numbers, written in).
 */
function planSql(s: Shape, base: { record: number; chain: number }): string {
  const recordK = `count(*) FILTER (WHERE good AND record_id IS NULL) OVER (ORDER BY line ${PRECEDING})`;
  const rid = s.remapRecords ? '(SELECT id FROM import_free_record f WHERE f.k = rec_k)' : `${base.record}::bigint + rec_k`;
  const allocChain = s.remapChains ? '(SELECT id FROM import_free_chain f WHERE f.k = chain_k)' : `${base.chain}::bigint + chain_k`;
  const startLine = s.chains ? `min(line) FILTER (WHERE good) OVER (PARTITION BY chain_key ORDER BY line ${PRECEDING})` : 'NULL::bigint';
  const blanks = s.chains ? `count(*) FILTER (WHERE good AND chain_n IS NULL) OVER (PARTITION BY chain_key ORDER BY line ${PRECEDING})` : '0::bigint';
  const dBefore = s.chains ? `max(chain_n - blanks_before) FILTER (WHERE good AND chain_n IS NOT NULL) OVER (PARTITION BY chain_key ORDER BY line ${PRECEDING})` : 'NULL::bigint';
  const recDup = s.records ? `record_id IS NOT NULL AND count(*) FILTER (WHERE good) OVER (PARTITION BY record_id ORDER BY line ${PRECEDING}) > 0` : 'false';
  const contactDup = s.contacts ? `count(*) FILTER (WHERE good AND starts) OVER (PARTITION BY contact0 ORDER BY line ${PRECEDING}) > 0` : 'false';
  const suffix = s.newIds ? '' : ' (leave contact_id empty for a new contact, or pass --new-ids)';
  return `CREATE TEMP TABLE import_plan ON COMMIT DROP AS
WITH s AS (
  SELECT r.*, b.line IS NULL AS good FROM import_row r LEFT JOIN import_bad b USING (line)
), w1 AS (
  SELECT s.*, ${startLine} AS start_line, ${blanks} AS blanks_before, ${recordK} AS rec_k FROM s
), w2 AS (
  SELECT w1.*, (chain_key IS NULL OR (${s.newIds} AND start_line IS NULL)) AS allocates, ${dBefore} AS d_before FROM w1
), w3 AS (
  SELECT w2.*, count(*) FILTER (WHERE good AND allocates) OVER (ORDER BY line ${PRECEDING}) AS chain_k FROM w2
), p AS (
  SELECT w3.*, coalesce(record_id, ${rid}) AS rid, start_line IS NULL AS starts,
    CASE WHEN allocates THEN ${allocChain} ELSE chain_key END AS own_chain
  FROM w3
), p2 AS (
  SELECT p.*, coalesce(${s.contacts ? 'contact_id' : 'NULL'}, 'C' || own_chain) AS contact0 FROM p
), q AS (
  SELECT p2.*, ${recDup} AS rec_dup, ${contactDup} AS contact_dup FROM p2
), j AS (
  SELECT q.*, ${s.chains ? 'st.own_chain AS start_chain, st.contact0 AS start_contact, st.tz AS start_tz' : 'NULL::bigint AS start_chain, NULL::text AS start_contact, NULL::text AS start_tz'}
  FROM q ${s.chains ? 'LEFT JOIN q st ON st.line = q.start_line' : ''}
)
SELECT j.line, j.rid, j.contact_info, j.contact_info_type, j.record_type, j.record_status, j.call_result, j.attempt, j.dial_sched_time, j.call_time,
  j.daily_from, j.daily_till, j.tz, j.agent_id, j.callback_local, j.disposition, j.first_name, j.last_name, j.email, j.fields, j.starts, j.allocates,
  CASE WHEN j.starts THEN j.own_chain ELSE j.start_chain END AS chain,
  CASE WHEN j.starts THEN coalesce(j.chain_n, 1) ELSE coalesce(j.chain_n, j.blanks_before + greatest(0, coalesce(j.d_before, 0)) + 1) END AS n,
  CASE WHEN j.starts THEN j.contact0 ELSE j.start_contact END AS contact,
  CASE
    WHEN ${s.records ? 'j.record_id IS NOT NULL AND EXISTS (SELECT 1 FROM calling_list c WHERE c.record_id = j.record_id)' : 'false'}
      THEN 'record_id ' || j.record_id || ' is already in the calling list'
    WHEN ${s.contacts ? 'NOT j.starts AND j.contact_id IS NOT NULL AND j.contact_id <> j.start_contact' : 'false'}
      THEN 'contact_id ' || j.contact_id || ' differs from ' || j.start_contact || ', the contact of chain ' || j.chain_key
    WHEN ${s.chains ? 'NOT j.starts AND j.tz <> j.start_tz' : 'false'}
      THEN 'tz ' || j.tz || ' differs from ' || j.start_tz || ', the zone of chain ' || j.chain_key || '''s contact (a chain''s rows are one contact in one zone)'
    WHEN ${s.chains && !s.newIds ? 'j.starts AND j.chain_key IS NOT NULL AND EXISTS (SELECT 1 FROM calling_list c WHERE c.chain_id = j.chain_key)' : 'false'}
      THEN 'chain_id ' || j.chain_key || ' is already in the calling list (leave chain_id empty for a new chain, or pass --new-ids)'
    WHEN j.rec_dup THEN 'record_id ' || j.record_id || ' is already in the calling list'
    WHEN j.starts AND (j.contact_dup OR EXISTS (SELECT 1 FROM contact c WHERE c.id = j.contact0))
      THEN 'contact_id ' || j.contact0 || ' is already a contact${suffix}'
  END AS problem
FROM j`;
}

export class PgRecordImport implements RecordImport {
  private buf = '';
  /** The rows pushed: how many, their zones (the first row's tz_dbid, the widest hours), the largest ids given. */
  private readonly tally = { rows: 0, zones: new Map<string, { given: number | null; from: number; till: number }>(), maxRecord: 0, maxChain: 0 };
  private copyError: unknown;
  private copying = true;
  private readonly copy: ReturnType<typeof pgCopy.from>;
  private done = false;

  private constructor(
    private readonly store: PgStore,
    private readonly client: PoolClient,
    private readonly plan: ImportPlan,
  ) {
    this.copy = client.query(pgCopy.from('COPY import_row FROM STDIN'));
    this.copy.on('error', (e: unknown) => {
      this.copyError ??= e;
    });
  }

  static async begin(store: PgStore, plan: ImportPlan): Promise<PgRecordImport> {
    const client = await store.connection();
    try {
      // Sorts of a million rows in memory rather than in temporary files.
      await client.query(`BEGIN; SET LOCAL work_mem = '256MB'; ${STAGING}; CREATE TEMP TABLE import_bad (line bigint PRIMARY KEY) ON COMMIT DROP`);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(isConnectionFailure(e) ? true : undefined);
      throw toStoreError(e, store.location);
    }
    return new PgRecordImport(store, client, plan);
  }

  push(r: ImportRow): boolean {
    const t = this.tally;
    // What the plan needs of the rows as a whole, kept as they go by (bounded: one entry a zone).
    const z = t.zones.get(r.tz);
    if (!z) t.zones.set(r.tz, { given: r.tz_dbid, from: r.daily_from, till: r.daily_till });
    else {
      if (r.daily_from < z.from) z.from = r.daily_from;
      if (r.daily_till > z.till) z.till = r.daily_till;
    }
    if (r.record_id !== null && r.record_id > t.maxRecord) t.maxRecord = r.record_id;
    if (r.chain_id !== null && r.chain_id > t.maxChain) t.maxChain = r.chain_id;
    this.buf += `${t.rows++}\t${r.line}\t${num(r.record_id)}\t${text(r.contact_info)}\t${r.contact_info_type}\t${r.record_type}\t${r.record_status}\t${r.call_result}\t${r.attempt}\t${num(r.dial_sched_time)}\t${num(r.call_time)}\t${r.daily_from}\t${r.daily_till}\t${num(r.tz_dbid)}\t${text(r.tz)}\t${text(r.agent_id)}\t${num(r.chain_id)}\t${num(r.chain_n)}\t${text(r.contact_id)}\t${text(r.callback_local)}\t${text(r.disposition)}\t${text(r.first_name)}\t${text(r.last_name)}\t${text(r.email)}\t${text(r.fields)}\n`;
    if (this.buf.length < COPY_CHUNK) return false;
    const chunk = this.buf;
    this.buf = '';
    return !this.copy.write(chunk);
  }

  async drain(): Promise<void> {
    if (this.copyError) throw this.fail(this.copyError);
    if (!this.copy.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.copy.off('drain', done);
        this.copy.off('error', done);
        resolve();
      };
      this.copy.on('drain', done);
      this.copy.on('error', done);
    });
    if (this.copyError) throw this.fail(this.copyError);
  }

  /** The work after the last row (planning, INSERT ... SELECT into the indexed tables) is about as long as the reading. */
  expect(): number {
    return 1;
  }

  /** Ends the COPY: every row pushed is in import_row. */
  private async endCopy(): Promise<void> {
    if (!this.copying) return;
    this.copying = false;
    await new Promise<void>((resolve, reject) => {
      if (this.copyError) return reject(this.copyError);
      this.copy.once('finish', resolve);
      this.copy.once('error', reject);
      if (this.buf) this.copy.end(this.buf);
      else this.copy.end();
      this.buf = '';
    });
  }

  async refuse(line: number, reason: string): Promise<never> {
    try {
      await this.endCopy();
      // The rows before the refused one are checked against the tables: the first bad line is named.
      const first = await this.firstProblem(await this.counters());
      if (first && first.line < line) throw new ImportRefusal(first.line, first.problem);
      throw new ImportRefusal(line, reason);
    } catch (e) {
      throw await this.failAndRollback(e);
    }
  }

  async finish(): Promise<{ imported: number }> {
    const { client, plan } = this;
    let imported = 0;
    try {
      await this.endCopy();
      plan.onStep('checking the rows against the calling list');
      // The write lock, as every writer takes it: from here ids and counters stay as read.
      const wait = this.store.busyTimeoutMs;
      const locked = (await client.query(`${wait > 0 ? `SET LOCAL lock_timeout = ${wait}; ` : ''}SELECT value FROM meta WHERE key = 'revision' FOR UPDATE${wait > 0 ? '' : ' NOWAIT'}`)) as unknown as { rows: { value: string }[] }[] | { rows: { value: string }[] };
      const revRows = Array.isArray(locked) ? locked[locked.length - 1].rows : locked.rows;
      if (!revRows[0]) throw new StoreError('damaged', `${this.store.location} has no revision row (an incomplete database?); nothing was imported`);
      const revision = Number(revRows[0].value);
      const base = await this.counters();
      const shape = await this.shape(base);
      const zones = await this.zones();
      const zoneParams = [zones.map((z) => z.tz), zones.map((z) => z.dbid)];
      // Most lists name no ids and no chains: every row a chain of its own, its ids the counters'
      // next in file order. Then one look at the contacts finds all a row can be refused for
      // here, and the rows go in straight from the staging table.
      const simple = !shape.records && !shape.chains && !shape.contacts && !shape.remapRecords;
      const clash = simple
        ? (await client.query(`SELECT 1 FROM import_row r WHERE EXISTS (SELECT 1 FROM contact c WHERE c.id = 'C' || (${base.chain}::bigint + r.seq)) LIMIT 1`)).rowCount
        : 1;
      if (clash === 0) {
        plan.onStep('writing them to the database');
        const contactBase = Number((await client.query<{ n: string }>('SELECT coalesce(max(rowid), 0) AS n FROM contact')).rows[0].n);
        await client.query(
          `INSERT INTO contact (id, first_name, last_name, tz, email, fields, rowid)
           SELECT 'C' || (${base.chain}::bigint + seq), first_name, last_name, tz, email, fields, ${contactBase + 1}::bigint + seq FROM import_row`,
        );
        imported = (
          await client.query(
            `INSERT INTO calling_list (record_id, contact_info, contact_info_type, record_type, record_status, call_result, attempt, dial_sched_time, call_time,
               daily_from, daily_till, tz_dbid, tz, campaign_id, agent_id, chain_id, chain_n, group_id, contact_id, treatments, callback_local, disposition)
             SELECT ${base.record}::bigint + r.seq, r.contact_info, r.contact_info_type, r.record_type, r.record_status, r.call_result, r.attempt, r.dial_sched_time, r.call_time,
               r.daily_from, r.daily_till, z.dbid, r.tz, $1, r.agent_id, ${base.chain}::bigint + r.seq, coalesce(r.chain_n, 1), $2, 'C' || (${base.chain}::bigint + r.seq), '[]', r.callback_local, r.disposition
             FROM import_row r JOIN unnest($3::text[], $4::integer[]) AS z (tz, dbid) ON z.tz = r.tz`,
            [plan.campaignId, plan.groupId, ...zoneParams],
          )
        ).rowCount ?? 0;
        if (imported > 0) {
          const hours = [...this.tally.zones.entries()];
          await this.moveZonesAndCounters(
            `SELECT * FROM unnest($2::text[], $3::integer[], $4::integer[]) AS h (tz, min_from, max_till)`,
            [hours.map(([tz]) => tz), hours.map(([, h]) => h.from), hours.map(([, h]) => h.till)],
            base.record + imported,
            base.chain + imported,
          );
        }
      } else {
        // Plan, and with --skip-bad plan again without the rows found bad until nothing changes.
        for (let pass = 0; ; pass++) {
          await client.query('DROP TABLE IF EXISTS import_plan');
          await client.query(planSql(shape, base));
          if (!plan.skipBad) {
            const first = await this.firstOf('import_plan');
            if (first) throw new ImportRefusal(first.line, first.problem);
            break;
          }
          const changed = (
            await client.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM (
                 (SELECT line FROM import_plan WHERE problem IS NOT NULL EXCEPT SELECT line FROM import_bad)
                 UNION ALL (SELECT line FROM import_bad EXCEPT SELECT line FROM import_plan WHERE problem IS NOT NULL)) d`,
            )
          ).rows[0].n;
          if (changed === 0) break;
          if (pass + 1 >= MAX_PASSES) throw new StoreError('refused', `records import: the bad lines still change after ${MAX_PASSES} passes (chains of many rows, each bad because of the one before); nothing was imported`);
          await client.query('TRUNCATE import_bad; INSERT INTO import_bad SELECT line FROM import_plan WHERE problem IS NOT NULL');
        }
        if (plan.skipBad) await this.reportBad();
        plan.onStep('writing them to the database');
        const contactBase = Number((await client.query<{ n: string }>('SELECT coalesce(max(rowid), 0) AS n FROM contact')).rows[0].n);
        // A contact takes the rowid after the largest, in line order, as SQLite's INSERT gives it (pick draws by rowid).
        await client.query(
          `INSERT INTO contact (id, first_name, last_name, tz, email, fields, rowid)
           SELECT contact, first_name, last_name, tz, email, fields, $1::bigint + row_number() OVER (ORDER BY line) FROM import_plan WHERE problem IS NULL AND starts`,
          [contactBase],
        );
        const written = await client.query(
          `INSERT INTO calling_list (record_id, contact_info, contact_info_type, record_type, record_status, call_result, attempt, dial_sched_time, call_time,
             daily_from, daily_till, tz_dbid, tz, campaign_id, agent_id, chain_id, chain_n, group_id, contact_id, treatments, callback_local, disposition)
           SELECT p.rid, p.contact_info, p.contact_info_type, p.record_type, p.record_status, p.call_result, p.attempt, p.dial_sched_time, p.call_time,
             p.daily_from, p.daily_till, z.dbid, p.tz, $1, p.agent_id, p.chain, p.n, $2, p.contact, '[]', p.callback_local, p.disposition
           FROM import_plan p JOIN unnest($3::text[], $4::integer[]) AS z (tz, dbid) ON z.tz = p.tz
           WHERE p.problem IS NULL`,
          [plan.campaignId, plan.groupId, ...zoneParams],
        );
        imported = written.rowCount ?? 0;
        if (imported > 0) {
          const m = (await client.query<{ r: string; c: string }>('SELECT max(rid) AS r, max(chain) AS c FROM import_plan WHERE problem IS NULL')).rows[0];
          await this.moveZonesAndCounters(
            'SELECT tz, min(daily_from) AS min_from, max(daily_till) AS max_till FROM import_plan WHERE problem IS NULL GROUP BY tz',
            [],
            Math.max(base.record, Number(m.r) + 1),
            Math.max(base.chain, Number(m.c) + 1),
          );
        }
      }
      if (imported > 0) {
        // Other processes take the change in (and re-arm callback timers) at their next transaction.
        await client.query("UPDATE meta SET value = $1 WHERE key = 'revision'", [String(revision + 1)]);
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(revision + 1)]);
      }
      plan.onStep('committing');
      await client.query('COMMIT');
      this.done = true;
    } catch (e) {
      throw await this.failAndRollback(e);
    }
    try {
      // Fresh statistics for the dialer's queries on a list that grew a lot (no lock that stops
      // readers or writers: ANALYZE takes a lock that only another ANALYZE or VACUUM waits for).
      if (imported > 10_000) await client.query('ANALYZE calling_list, contact');
    } catch {
      // Autovacuum will do it.
    } finally {
      client.release();
    }
    return { imported };
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.copying = false;
    if (this.copyError === undefined) this.copy.destroy(new Error('import aborted'));
    await this.client.query('ROLLBACK').catch(() => {});
    this.client.release(true);
  }

  /**
   * The campaign's zones widened to the hours imported (as the calling list's put does), and the
   * counters moved past the ids used. `hours`: a query of (tz, min_from, max_till) whose
   * parameters start at $2.
   */
  private async moveZonesAndCounters(hours: string, params: unknown[], nextRecord: number, nextChain: number): Promise<void> {
    await this.client.query(
      `INSERT INTO campaign_zone AS z (campaign_id, tz, min_from, max_till)
       SELECT $1, h.tz, h.min_from, h.max_till FROM (${hours}) h
       ON CONFLICT (campaign_id, tz) DO UPDATE SET min_from = least(z.min_from, excluded.min_from), max_till = greatest(z.max_till, excluded.max_till)
       WHERE excluded.min_from < z.min_from OR excluded.max_till > z.max_till`,
      [this.plan.campaignId, ...params],
    );
    await this.client.query(
      `INSERT INTO counter AS k (kind, next) VALUES ('record', $1), ('chain', $2)
       ON CONFLICT (kind) DO UPDATE SET next = greatest(k.next, excluded.next)`,
      [nextRecord, nextChain],
    );
  }

  /** The counters' next ids (or past the largest in the table, as SQLite's loader starts). */
  private async counters(): Promise<{ record: number; chain: number }> {
    const r = await this.client.query<{ record: number; chain: number }>(
      `SELECT coalesce((SELECT next FROM counter WHERE kind = 'record'), (SELECT coalesce(max(record_id), 0) + 1 FROM calling_list)) AS record,
              coalesce((SELECT next FROM counter WHERE kind = 'chain'), (SELECT coalesce(max(chain_id), 0) + 1 FROM calling_list)) AS chain`,
    );
    return { record: Number(r.rows[0].record), chain: Number(r.rows[0].chain) };
  }

  /**
   * Which parts of the plan can matter for these rows, and where allocated ids must step over
   * taken ones (ids at or past the counter already in the table or given in the file): then the
   * free ids are listed in a table of their own, numbered.
   */
  private async shape(base: { record: number; chain: number }): Promise<Shape> {
    const { client, plan } = this;
    const has = (c: string) => plan.columns.has(c as never);
    const shape: Shape = {
      records: has('record_id') && !plan.newIds,
      chains: has('chain_id'),
      contacts: has('contact_id') && !plan.newIds,
      newIds: plan.newIds,
      remapRecords: false,
      remapChains: false,
    };
    const rows = this.tally.rows;
    const taken = async (tableSql: string, stagedSql: string, at: number) => {
      const r = await client.query<{ t: string; s: string }>(`SELECT (${tableSql}) AS t, (${stagedSql}) AS s`, [at]);
      return Number(r.rows[0].t) + Number(r.rows[0].s);
    };
    const recordsTaken = await taken('SELECT count(*) FROM calling_list WHERE record_id >= $1', shape.records && this.tally.maxRecord >= base.record ? 'SELECT count(*) FROM import_row WHERE record_id >= $1' : 'SELECT 0', base.record);
    if (recordsTaken > 0) {
      shape.remapRecords = true;
      await client.query(
        `CREATE TEMP TABLE import_free_record ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY g) - 1 AS k, g AS id FROM generate_series($1::bigint, $1::bigint + $2::bigint) g
         WHERE g NOT IN (SELECT record_id FROM calling_list WHERE record_id >= $1) AND g NOT IN (SELECT record_id FROM import_row WHERE record_id >= $1)`,
        [base.record, rows + recordsTaken],
      );
      await client.query('CREATE INDEX ON import_free_record (k)');
    }
    // As SQLite's loader: allocated chains step over taken ones only while the file names chains.
    if (shape.chains && !plan.newIds) {
      const chainsTaken = await taken('SELECT count(*) FROM calling_list WHERE chain_id >= $1', this.tally.maxChain >= base.chain ? 'SELECT count(*) FROM import_row WHERE chain_key >= $1' : 'SELECT 0', base.chain);
      if (chainsTaken > 0) {
        shape.remapChains = true;
        await client.query(
          `CREATE TEMP TABLE import_free_chain ON COMMIT DROP AS
           SELECT row_number() OVER (ORDER BY g) - 1 AS k, g AS id FROM generate_series($1::bigint, $1::bigint + $2::bigint) g
           WHERE g NOT IN (SELECT chain_id FROM calling_list WHERE chain_id >= $1) AND g NOT IN (SELECT chain_key FROM import_row WHERE chain_key >= $1)`,
          [base.chain, rows + chainsTaken],
        );
        await client.query('CREATE INDEX ON import_free_chain (k)');
      }
    }
    return shape;
  }

  /**
   * The tz_dbid of each zone of the import, as SQLite's loader gives it: a zone the state has
   * keeps its number; a new zone takes the number its first row gives, if no other zone has it,
   * else the next number.
   */
  private async zones(): Promise<{ tz: string; dbid: number }[]> {
    const { client } = this;
    const staged = [...this.tally.zones.entries()].map(([tz, z]) => ({ tz, given: z.given }));
    const out: { tz: string; dbid: number }[] = [];
    let used: Set<number> | null = null;
    for (const z of staged) {
      let id: number | undefined;
      const known = (await client.query('SELECT 1 FROM campaign_zone WHERE tz = $1 LIMIT 1', [z.tz])).rowCount;
      if (known) id = (await client.query<{ d: number }>('SELECT tz_dbid AS d FROM calling_list WHERE tz = $1 LIMIT 1', [z.tz])).rows[0]?.d;
      if (id === undefined) {
        if (!used) {
          used = new Set<number>();
          for (const k of (await client.query<{ tz: string }>('SELECT DISTINCT tz FROM campaign_zone')).rows) {
            const d = (await client.query<{ d: number }>('SELECT tz_dbid AS d FROM calling_list WHERE tz = $1 LIMIT 1', [k.tz])).rows[0]?.d;
            if (d !== undefined) used.add(d);
          }
        }
        for (const o of out) used.add(o.dbid);
        id = z.given !== null && !used.has(z.given) ? z.given : Math.max(0, ...used) + 1;
      }
      out.push({ tz: z.tz, dbid: id });
    }
    return out;
  }

  /** The first bad row of a plan run on the rows staged so far (none marked bad). */
  private async firstProblem(base: { record: number; chain: number }): Promise<{ line: number; problem: string } | undefined> {
    const shape = await this.shape(base);
    await this.client.query('DROP TABLE IF EXISTS import_plan');
    await this.client.query(planSql(shape, base));
    return this.firstOf('import_plan');
  }

  private async firstOf(table: string): Promise<{ line: number; problem: string } | undefined> {
    const r = await this.client.query<{ line: string; problem: string }>(`SELECT line, problem FROM ${table} WHERE problem IS NOT NULL ORDER BY line LIMIT 1`);
    return r.rows[0] ? { line: Number(r.rows[0].line), problem: r.rows[0].problem } : undefined;
  }

  /** The bad rows of the settled plan to the caller, in line order, a batch at a time. */
  private async reportBad(): Promise<void> {
    const { client } = this;
    await client.query('DECLARE import_bad_rows NO SCROLL CURSOR FOR SELECT line, problem FROM import_plan WHERE problem IS NOT NULL ORDER BY line');
    for (;;) {
      const rows = (await client.query<{ line: string; problem: string }>('FETCH 1000 FROM import_bad_rows')).rows;
      if (rows.length === 0) break;
      for (const r of rows) this.plan.onBad(Number(r.line), r.problem);
    }
    await client.query('CLOSE import_bad_rows');
  }

  private fail(e: unknown): unknown {
    return toStoreError(e, this.store.location);
  }

  /** Rolls back and gives the error to throw (a refusal as it is; a database error in the store's words). */
  private async failAndRollback(e: unknown): Promise<unknown> {
    if (!this.done) {
      this.done = true;
      const lost = isConnectionFailure(e);
      if (this.copying) {
        this.copying = false;
        this.copy.destroy(new Error('import aborted'));
      }
      if (!lost) await this.client.query('ROLLBACK').catch(() => {});
      this.client.release(lost || this.copyError !== undefined ? true : undefined);
    }
    if (e instanceof ImportRefusal || e instanceof StoreError) return e;
    const err = toStoreError(e, this.store.location);
    if (err instanceof StoreError) return new StoreError(err.kind, `nothing was imported: ${err.message}`, { cause: e });
    return err;
  }
}
