// Long on purpose: one database's loader, its stages in the order they run (read, check against
// the list, insert, rebuild), read top to bottom.
import type Database from 'better-sqlite3';
import { ImportRefusal, type ImportPlan, type ImportRow, type RecordImport } from '../engine/store-port.js';
import { CALLING_LIST_COLUMNS } from './tables.js';

/**
 * `records import` into a SQLite file: every row in one IMMEDIATE transaction, so another
 * process on the file sees all of it or none. The rows come checked on their own; here they
 * are checked against the calling list (an id taken, a chain's rows that disagree), given ids
 * and written, 64 to an INSERT. A large import sets the full indexes aside and builds them again,
 * sorted, before COMMIT (see expect).
 */

/** Rows written in one INSERT (see `pending`). */
const BATCH = 64;

/** A row that the calling list refuses (an id taken...); with skipBad it is skipped. */
class BadRow extends Error {}

/** A checked row waiting for its batch's INSERT: what it writes, and what it counts for once written. */
interface PendingRow {
  row: ImportRow;
  values: unknown[];
  contact: unknown[] | null;
  key: number | null;
  chain: number;
  contactId: string;
  chainN: number;
}

/** calling_list's columns in the order of the import's INSERT (push() binds them in this order). */
const INSERT_COLUMNS = CALLING_LIST_COLUMNS;

export class SqliteRecordImport implements RecordImport {
  private readonly s;
  private readonly has: (c: string) => boolean;
  private readonly hasChainCol: boolean;
  private insert!: Database.Statement;
  private contactInsert!: Database.Statement;
  private args: unknown[] = [];
  private readonly into = { calling_list: { head: '', one: '' }, contact: { head: '', one: '' } };
  private readonly many = new Map<string, Database.Statement>();
  private chainGet: Database.Statement | null = null;
  private chainPut: Database.Statement | null = null;

  private nextRecord = 0;
  private nextChain = 0;
  private maxRecordUsed = 0;
  private maxChainUsed = 0;
  // Zones: tz_dbid by zone, and the widest contact hours imported in each (for campaign_zone,
  // written before COMMIT). At most one entry per IANA zone, so bounded.
  private readonly dbids = new Map<string, number>();
  private allDbids: Map<string, number> | null = null;
  private readonly hours = new Map<string, [number, number]>();

  private imported = 0;
  private seen = 0;

  // Rows are written BATCH at a time, in multi-row INSERTs: one statement for many rows costs
  // SQLite and the binding much less than a statement a row. Until a batch is written, the chains
  // its rows started are kept here (chainGet and chainExists ask these first). A batch the store
  // refuses (a record_id or contact_id already taken) is undone and its rows done again one at a
  // time, which names the bad line exactly as a row-at-a-time import would.
  private readonly pending: PendingRow[] = [];
  private readonly pendingChains = new Set<number>();
  private readonly pendingStarted = new Map<number, { chain_id: number; contact_id: string; n: number; tz: string }>();
  private batching = true;
  private batchStart = { nextRecord: 0, nextChain: 0 };
  /** The full indexes set aside (their SQL, to build them again); undefined until decided. */
  private deferred: string[] | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly plan: ImportPlan,
    private readonly bumpRevision: () => void,
  ) {
    this.has = (c) => plan.columns.has(c as never);
    this.hasChainCol = this.has('chain_id');
    this.s = {
      deleteRecord: db.prepare('DELETE FROM calling_list WHERE record_id = ?'),
      deleteContact: db.prepare('DELETE FROM contact WHERE id = ?'),
      // As SqliteCallingList.put: the campaign's zones, with the widest contact hours in each.
      zone: db.prepare(
        'INSERT INTO campaign_zone (campaign_id, tz, min_from, max_till) VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, tz) DO UPDATE SET min_from = min(min_from, excluded.min_from), max_till = max(max_till, excluded.max_till) WHERE excluded.min_from < min_from OR excluded.max_till > max_till',
      ),
      counter: db.prepare('SELECT next FROM counter WHERE kind = ?').pluck(),
      setCounter: db.prepare('INSERT INTO counter (kind, next) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET next = max(next, excluded.next)'),
      recordExists: db.prepare('SELECT 1 FROM calling_list WHERE record_id = ?').pluck(),
      maxRecord: db.prepare('SELECT coalesce(max(record_id), 0) + 1 FROM calling_list').pluck(),
      maxChain: db.prepare('SELECT coalesce(max(chain_id), 0) + 1 FROM calling_list').pluck(),
      chainExists: db.prepare('SELECT 1 FROM calling_list WHERE chain_id = ? LIMIT 1').pluck(),
      knownZone: db.prepare('SELECT 1 FROM campaign_zone WHERE tz = ? LIMIT 1').pluck(),
      zoneDbid: db.prepare('SELECT tz_dbid FROM calling_list WHERE tz = ? LIMIT 1').pluck(),
      allDbids: db.prepare('SELECT tz, min(tz_dbid) AS id FROM calling_list GROUP BY tz'),
      count: db.prepare('SELECT count(*) FROM calling_list').pluck(),
    };
  }

  /** Prepares the INSERTs (a column the CSV does not have is a literal in the SQL: fewer values to bind per row) and opens the transaction. */
  begin(): void {
    const { db, plan, has } = this;
    const sqlText = (v: string) => `'${v.replace(/'/g, "''")}'`;
    // Per calling_list column: null when bound, else the literal it gets.
    const literal: Record<(typeof INSERT_COLUMNS)[number], string | null> = {
      record_id: null,
      contact_info: null,
      contact_info_type: has('contact_info_type') ? null : '0',
      record_type: has('record_type') ? null : '2',
      record_status: has('record_status') ? null : '1',
      call_result: has('call_result') ? null : '28',
      attempt: has('attempt') ? null : '0',
      dial_sched_time: has('dial_sched_time') ? null : 'NULL',
      call_time: has('call_time') ? null : 'NULL',
      daily_from: null,
      daily_till: null,
      tz_dbid: null,
      tz: null,
      campaign_id: sqlText(plan.campaignId),
      agent_id: has('agent_id') ? null : 'NULL',
      chain_id: null,
      chain_n: has('chain_n') || has('chain_id') ? null : '1',
      group_id: sqlText(plan.groupId),
      contact_id: null,
      treatments: "'[]'",
      callback_local: has('callback_local') ? null : 'NULL',
      disposition: has('disposition') ? null : 'NULL',
    };
    this.args = new Array(INSERT_COLUMNS.filter((c) => literal[c] === null).length);
    this.into.calling_list = { head: `INSERT INTO calling_list (${INSERT_COLUMNS.join(', ')}) VALUES `, one: `(${INSERT_COLUMNS.map((c) => literal[c] ?? '?').join(', ')})` };
    const custom = plan.customFields.length > 0;
    this.into.contact = {
      head: 'INSERT INTO contact (id, first_name, last_name, tz, email, fields) VALUES ',
      one: `(${['?', has('first_name') ? '?' : "''", has('last_name') ? '?' : "''", '?', has('email') ? '?' : "''", custom ? '?' : "'{}'"].join(', ')})`,
    };
    this.insert = db.prepare(this.into.calling_list.head + this.into.calling_list.one);
    this.contactInsert = db.prepare(this.into.contact.head + this.into.contact.one);
    db.exec('BEGIN IMMEDIATE');
    this.nextRecord = (this.s.counter.get('record') as number | undefined) ?? (this.s.maxRecord.get() as number);
    this.nextChain = (this.s.counter.get('chain') as number | undefined) ?? (this.s.maxChain.get() as number);
    if (this.hasChainCol) {
      // The CSV's chain_id (key) to the chain this import made of it: kept in a temporary table
      // (on disk when large), not in memory.
      db.exec('DROP TABLE IF EXISTS temp.import_chain');
      db.exec('CREATE TEMP TABLE import_chain (key INTEGER PRIMARY KEY, chain_id INTEGER NOT NULL, contact_id TEXT NOT NULL, n INTEGER NOT NULL, tz TEXT NOT NULL)');
      this.chainGet = db.prepare('SELECT chain_id, contact_id, n, tz FROM temp.import_chain WHERE key = ?');
      this.chainPut = db.prepare('INSERT INTO temp.import_chain (key, chain_id, contact_id, n, tz) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET n = max(n, excluded.n)');
    }
  }

  // Index entries inserted one by one cost more than the rows: every entry walks its B-tree. A
  // large import (against the rows already there) drops the calling list's full indexes and
  // builds them again, sorted, before COMMIT: the same transaction, so every other connection
  // sees them throughout (a rollback puts them back too).
  // Kept: the chain index while a chain_id column is read (the import looks chains up), and the
  // partial callback indexes, which an imported General record does not enter.
  expect(rows: number): number {
    if (this.deferred !== undefined) return this.deferred.length ? 0.4 : 0;
    this.deferred = [];
    if (rows < 100_000) return 0;
    const have = this.s.count.get() as number;
    if (rows < have / 4) return 0;
    const names = ['calling_list_dialable', 'calling_list_contact', ...(this.hasChainCol ? [] : ['calling_list_chain'])];
    const found = this.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (${names.map(() => '?').join(', ')})`).all(...names) as { name: string; sql: string }[];
    for (const f of found) this.db.exec(`DROP INDEX ${f.name}`);
    this.deferred = found.map((f) => f.sql);
    // Reading, then the indexes built again: about 0.4 of the reading time here.
    return this.deferred.length ? 0.4 : 0;
  }

  private dbidOf(tz: string, given: number | null): number {
    const have = this.dbids.get(tz);
    if (have !== undefined) return have;
    let id: number | undefined;
    if (this.s.knownZone.get(tz)) id = this.s.zoneDbid.get(tz) as number | undefined;
    if (id === undefined) {
      // A zone new to this state file: the CSV's tz_dbid if no other zone has it, else the next number.
      this.allDbids ??= new Map((this.s.allDbids.all() as { tz: string; id: number }[]).map((r) => [r.tz, r.id]));
      const used = new Set([...this.allDbids.values(), ...this.dbids.values()]);
      if (given !== null && !used.has(given)) id = given;
      else id = Math.max(0, ...used) + 1;
    }
    this.dbids.set(tz, id);
    return id;
  }

  /** A chain in the calling list, or in a row not yet written. */
  private chainTaken(chain: number): boolean {
    return this.pendingChains.has(chain) || !!this.s.chainExists.get(chain);
  }

  /** A new chain id: the counter's next, past any chain an explicit chain_id of this file took. */
  private allocChain(): number {
    let chain = this.nextChain++;
    if (this.hasChainCol && !this.plan.newIds) while (this.chainTaken(chain)) chain = this.nextChain++;
    return chain;
  }

  private insertRecord(explicit: boolean): number {
    // args[0] is the record_id; an allocated one that is taken (by an explicit id earlier in
    // the file) moves on to the next.
    const args = this.args;
    for (;;) {
      if (!explicit) args[0] = this.nextRecord++;
      try {
        this.insert.run(args);
        return args[0] as number;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
        if (explicit) throw new BadRow(`record_id ${args[0]} is already in the calling list`);
      }
    }
  }

  push(r: ImportRow): boolean {
    this.seen++;
    this.handle(r);
    return false;
  }

  async drain(): Promise<void> {}

  /** A row: written (or batched), or skipped and reported with skipBad, or the end of the import. */
  private handle(r: ImportRow): void {
    try {
      this.row(r);
    } catch (e) {
      if (!(e instanceof BadRow)) throw e;
      if (!this.plan.skipBad) throw new ImportRefusal(r.line, e.message);
      this.plan.onBad(r.line, e.message);
    }
  }

  private row(r: ImportRow): void {
    const { has, args, plan } = this;
    const newIds = plan.newIds;
    const recordId = r.record_id;
    // One taken by a row of the same batch shows as the batch's conflict (then this runs again, row by row).
    if (recordId !== null && this.s.recordExists.get(recordId)) throw new BadRow(`record_id ${recordId} is already in the calling list`);

    // The chain and its contact. A chain_id of the CSV is the chain's id, or with newIds only
    // a label: rows with the same label share one new chain.
    const givenChain = r.chain_id;
    const givenChainN = r.chain_n;
    const givenContact = r.contact_id;
    const tz = r.tz;
    let chain: number;
    let chainN: number;
    let contactId: string;
    let newChain = true;
    let startedN = 0;
    if (givenChain !== null) {
      const started = this.pendingStarted.get(givenChain) ?? (this.chainGet!.get(givenChain) as { chain_id: number; contact_id: string; n: number; tz: string } | undefined);
      if (started) {
        if (!newIds && givenContact !== null && givenContact !== started.contact_id) throw new BadRow(`contact_id ${givenContact} differs from ${started.contact_id}, the contact of chain ${givenChain}`);
        // A chain is one contact, called in one zone: its contact hours and local times are read there.
        if (tz !== started.tz) throw new BadRow(`tz ${tz} differs from ${started.tz}, the zone of chain ${givenChain}'s contact (a chain's rows are one contact in one zone)`);
        chain = started.chain_id;
        contactId = started.contact_id;
        chainN = givenChainN ?? started.n + 1;
        startedN = started.n;
        newChain = false;
      } else if (newIds) {
        chain = this.allocChain();
        contactId = `C${chain}`;
        chainN = givenChainN ?? 1;
      } else {
        if (this.chainTaken(givenChain)) throw new BadRow(`chain_id ${givenChain} is already in the calling list (leave chain_id empty for a new chain, or pass --new-ids)`);
        chain = givenChain;
        contactId = givenContact ?? `C${chain}`;
        chainN = givenChainN ?? 1;
      }
    } else {
      chain = this.allocChain();
      contactId = givenContact ?? `C${chain}`;
      chainN = givenChainN ?? 1;
    }

    const dbid = this.dbidOf(tz, r.tz_dbid);
    // The bound values, in INSERT_COLUMNS order (see `literal` in begin()).
    let k = 0;
    args[k++] = recordId;
    args[k++] = r.contact_info;
    if (has('contact_info_type')) args[k++] = r.contact_info_type;
    if (has('record_type')) args[k++] = r.record_type;
    if (has('record_status')) args[k++] = r.record_status;
    if (has('call_result')) args[k++] = r.call_result;
    if (has('attempt')) args[k++] = r.attempt;
    if (has('dial_sched_time')) args[k++] = r.dial_sched_time;
    if (has('call_time')) args[k++] = r.call_time;
    args[k++] = r.daily_from;
    args[k++] = r.daily_till;
    args[k++] = dbid;
    args[k++] = tz;
    if (has('agent_id')) args[k++] = r.agent_id;
    args[k++] = chain;
    if (has('chain_n') || has('chain_id')) args[k++] = chainN;
    args[k++] = contactId;
    if (has('callback_local')) args[k++] = r.callback_local;
    if (has('disposition')) args[k++] = r.disposition;
    const contact = newChain ? this.contactRow(r, contactId) : null;
    if (!this.batching) {
      const id = this.insertRecord(recordId !== null);
      if (contact) {
        try {
          this.contactInsert.run(contact);
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
          this.s.deleteRecord.run(id);
          throw new BadRow(`contact_id ${contactId} is already a contact${newIds ? '' : ' (leave contact_id empty for a new contact, or pass --new-ids)'}`);
        }
      }
      this.written(id, givenChain, chain, contactId, chainN, r);
      return;
    }
    if (this.pending.length === 0) this.batchStart = { nextRecord: this.nextRecord, nextChain: this.nextChain };
    if (recordId === null) args[0] = this.nextRecord++;
    this.pending.push({ row: r, values: args.slice(), contact, key: givenChain, chain, contactId, chainN });
    this.pendingChains.add(chain);
    if (givenChain !== null) {
      this.pendingStarted.set(givenChain, { chain_id: chain, contact_id: contactId, n: Math.max(startedN, chainN), tz });
    }
    if (this.pending.length === BATCH) this.flush();
  }

  /** The contact row of a new chain, in the contact INSERT's order. */
  private contactRow(r: ImportRow, contactId: string): unknown[] {
    const row: unknown[] = [contactId];
    if (this.has('first_name')) row.push(r.first_name);
    if (this.has('last_name')) row.push(r.last_name);
    row.push(r.tz);
    if (this.has('email')) row.push(r.email);
    if (this.plan.customFields.length) row.push(r.fields);
    return row;
  }

  /** What a row in the calling list counts for: its chain for the rows after it, the zone's hours, the counters. */
  private written(id: number, key: number | null, chain: number, contactId: string, chainN: number, r: ImportRow): void {
    if (key !== null) this.chainPut!.run(key, chain, contactId, chainN, r.tz);
    const h = this.hours.get(r.tz);
    if (!h) this.hours.set(r.tz, [r.daily_from, r.daily_till]);
    else {
      if (r.daily_from < h[0]) h[0] = r.daily_from;
      if (r.daily_till > h[1]) h[1] = r.daily_till;
    }
    if (id > this.maxRecordUsed) this.maxRecordUsed = id;
    if (chain > this.maxChainUsed) this.maxChainUsed = chain;
    this.imported++;
  }

  /** One INSERT of `n` rows into `table` (prepared once per size). */
  private insertMany(table: 'calling_list' | 'contact', rows: unknown[][]): void {
    const key = `${table} ${rows.length}`;
    let st = this.many.get(key);
    if (!st) {
      st = this.db.prepare(`${this.into[table].head}${Array(rows.length).fill(this.into[table].one).join(', ')}`);
      this.many.set(key, st);
    }
    st.run(rows.flat());
  }

  /** Writes the pending rows; a refused batch is done again row by row (see `pending`). */
  private flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending.splice(0);
    this.pendingChains.clear();
    this.pendingStarted.clear();
    const contacts = rows.filter((r) => r.contact !== null).map((r) => r.contact!);
    let contactsIn = false;
    try {
      if (contacts.length) this.insertMany('contact', contacts);
      contactsIn = true;
      this.insertMany('calling_list', rows.map((r) => r.values));
    } catch (e) {
      if (!(e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw e;
      // Each INSERT is all or nothing; the contacts of a refused calling-list INSERT go too.
      if (contactsIn && contacts.length) {
        for (const c of contacts) this.s.deleteContact.run(c[0]);
      }
      this.nextRecord = this.batchStart.nextRecord;
      this.nextChain = this.batchStart.nextChain;
      this.batching = false;
      try {
        for (const r of rows) this.handle(r.row);
      } finally {
        this.batching = true;
      }
      return;
    }
    for (const r of rows) this.written(r.values[0] as number, r.key, r.chain, r.contactId, r.chainN, r.row);
  }

  async refuse(line: number, reason: string): Promise<never> {
    // Rows are checked against the calling list as they come: every row before this one is good.
    try {
      this.flush();
    } catch (e) {
      this.rollback();
      throw e;
    }
    this.rollback();
    throw new ImportRefusal(line, reason);
  }

  async finish(): Promise<{ imported: number }> {
    const { db, s } = this;
    try {
      this.flush();
      if (this.imported > 0) {
        for (const [tz, [from, till]] of this.hours) s.zone.run(this.plan.campaignId, tz, from, till);
        s.setCounter.run('record', Math.max(this.nextRecord, this.maxRecordUsed + 1));
        s.setCounter.run('chain', Math.max(this.nextChain, this.maxChainUsed + 1));
        // Other processes take the change in (and re-arm callback timers) at their next transaction.
        this.bumpRevision();
      }
      if (this.hasChainCol) db.exec('DELETE FROM temp.import_chain');
      const indexes = this.deferred ?? [];
      indexes.forEach((sql, i) => {
        this.plan.onStep(`building index ${i + 1} of ${indexes.length}`);
        db.exec(sql);
      });
      this.plan.onStep('committing');
      db.exec('COMMIT');
    } catch (e) {
      this.rollback();
      throw e;
    }
    return { imported: this.imported };
  }

  async abort(): Promise<void> {
    this.rollback();
  }

  private rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
}
