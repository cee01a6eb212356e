import type Database from 'better-sqlite3';
import type { CallLogEntry, CallingListRecord } from '../engine/domain.js';
import {
  CSV_CONTACT_FIELDS,
  CSV_RECORD_FIELDS,
  ImportRefusal,
  StoreError,
  WORLD_TABLES,
  type BulkPort,
  type CallLogFilter,
  type CallingListExportRow,
  type ImportPlan,
  type RecordFilter,
  type RecordImport,
  type WorldRows,
  type WorldTable,
} from '../engine/store-port.js';
import { findDamagedSqliteRow } from './sqlite-damage.js';
import { SqliteRecordImport } from './sqlite-import.js';
import { sqliteStoreError } from './sqlite-errors.js';
import { callFromRow, contactFromRow, recordFromRow } from './tables.js';

/** Rows of a world read at a time by `state copy`. */
const WORLD_BATCH = 2000;

const sqlString = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** Calling lists in bulk on a SQLite file, streamed off the table in record_id order. */
export class SqliteBulk implements BulkPort {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly bumpRevision: () => void,
  ) {}

  async *listRecords(f: RecordFilter): AsyncIterable<CallingListRecord> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.campaignId !== undefined) (where.push('campaign_id = ?'), params.push(f.campaignId));
    if (f.tz !== undefined) (where.push('tz = ?'), params.push(f.tz));
    if (f.status !== undefined) (where.push('record_status = ?'), params.push(f.status));
    // In record_id order straight off the table (no sort of a million rows before the first one).
    const sql = `SELECT * FROM calling_list NOT INDEXED${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY record_id${f.limit !== undefined ? ' LIMIT ?' : ''}`;
    if (f.limit !== undefined) params.push(f.limit);
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<Record<string, unknown>>) yield recordFromRow(row);
  }

  async *listCalls(f: CallLogFilter): AsyncIterable<CallLogEntry> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.agentId !== undefined) (where.push('agent_id = ?'), params.push(f.agentId));
    if (f.campaignId !== undefined) (where.push('campaign_id = ?'), params.push(f.campaignId));
    if (f.since !== undefined) (where.push('started_at >= ?'), params.push(f.since));
    // Each walks an index already in started_at, seq order after its equality: no sort.
    const index = f.agentId !== undefined ? 'call_log_agent' : f.campaignId !== undefined ? 'call_log_campaign' : 'call_log_started';
    const sql = `SELECT * FROM call_log INDEXED BY ${index}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at, seq`;
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<Record<string, unknown>>) yield callFromRow(row);
  }

  async *exportCampaign(campaignId: string): AsyncIterable<CallingListExportRow> {
    const contact = this.db.prepare('SELECT * FROM contact WHERE id = ?');
    // `+campaign_id`: walk the table in record_id order rather than sort the campaign's rows.
    for (const row of this.db.prepare('SELECT * FROM calling_list WHERE +campaign_id = ? ORDER BY record_id').iterate(campaignId) as Iterable<Record<string, unknown>>) {
      const c = contact.get(row.contact_id) as Record<string, unknown> | undefined;
      yield { record: recordFromRow(row), contact: c ? contactFromRow(c) : undefined };
    }
  }

  async *exportRows(campaignId: string, custom: readonly string[]): AsyncIterable<unknown[]> {
    // Rows as arrays in the header's order, the custom fields picked out of the JSON by SQLite
    // (a name with a double quote, which a JSON path cannot name, is read from the JSON here). In
    // record_id order by walking the table: no sort of the whole campaign before the first row.
    const awkward = custom.some((k) => k.includes('"'));
    const picks = custom.map((k) => (k.includes('"') ? 'NULL' : `json_extract(c.fields, ${sqlString(`$."${k}"`)})`));
    const width = CSV_RECORD_FIELDS.length + CSV_CONTACT_FIELDS.length;
    const rows = this.db
      .prepare(
        `SELECT ${CSV_RECORD_FIELDS.map((c) => `r.${c}`).join(', ')}, ${CSV_CONTACT_FIELDS.map((c) => `c.${c}`).join(', ')}${picks.map((p) => `, ${p}`).join('')}${awkward ? ', c.fields' : ''}
         FROM calling_list r LEFT JOIN contact c ON c.id = r.contact_id
         WHERE +r.campaign_id = ? ORDER BY r.record_id`,
      )
      .raw()
      .iterate(campaignId) as Iterable<unknown[]>;
    for (const row of rows) {
      if (awkward) {
        const fields = parseFields(row[width + custom.length]);
        custom.forEach((k, i) => {
          if (k.includes('"')) row[width + i] = fields[k] ?? null;
        });
        row.length = width + custom.length;
      }
      yield row;
    }
  }

  async customFieldNames(campaignId: string): Promise<string[]> {
    return this.db
      .prepare(
        `SELECT DISTINCT k.key FROM contact c, json_each(c.fields) k
         WHERE c.id IN (SELECT contact_id FROM calling_list WHERE campaign_id = ?) AND json_valid(c.fields) ORDER BY k.key`,
      )
      .pluck()
      .all(campaignId) as string[];
  }

  async importRecords(plan: ImportPlan): Promise<RecordImport> {
    const imp = new SqliteRecordImport(this.db, plan, this.bumpRevision);
    try {
      imp.begin();
    } catch (e) {
      throw importError(e, this.file);
    }
    return wrapErrors(imp, this.file);
  }

  async findDamagedRow(hint: string, isZone: (tz: string) => boolean): Promise<string | null> {
    return findDamagedSqliteRow(this.db, isZone, hint);
  }

  async *readWorld(): AsyncIterable<WorldRows> {
    for (const [table, columns] of Object.entries(WORLD_TABLES) as [WorldTable, readonly string[]][]) {
      // In rowid order (a WITHOUT ROWID table: its key's): a copy into a file gets the same rowids.
      const rowid = table === 'campaign_zone' || table === 'gms_slot' ? '' : ' ORDER BY rowid';
      const where = table === 'meta' ? " WHERE key <> 'desktop'" : '';
      const it = this.db.prepare(`SELECT ${columns.join(', ')} FROM ${table}${where}${rowid}`).raw().iterate() as Iterable<unknown[]>;
      let rows: unknown[][] = [];
      for (const r of it) {
        rows.push(r);
        if (rows.length === WORLD_BATCH) {
          yield { table, rows };
          rows = [];
        }
      }
      if (rows.length) yield { table, rows };
    }
  }
}

function parseFields(v: unknown): Record<string, unknown> {
  try {
    const o = typeof v === 'string' ? (JSON.parse(v) as unknown) : null;
    return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A SQLite failure during an import, in the store's words: nothing was imported. */
function importError(e: unknown, file: string): unknown {
  if (e instanceof ImportRefusal || e instanceof StoreError) return e;
  const code = (e as { code?: string }).code;
  if (!code?.startsWith('SQLITE_')) return e;
  const known = sqliteStoreError(e, file);
  const kind = known instanceof StoreError ? known.kind : 'refused';
  return new StoreError(kind, `nothing was imported: ${(e as Error).message} (${code})`, { cause: e });
}

/** The import with every SQLite failure turned into a StoreError (the transaction rolled back). */
function wrapErrors(imp: SqliteRecordImport, file: string): RecordImport {
  const fail = (e: unknown): never => {
    void imp.abort();
    throw importError(e, file);
  };
  return {
    push: (row) => {
      try {
        return imp.push(row);
      } catch (e) {
        return fail(e);
      }
    },
    drain: () => imp.drain(),
    expect: (rows) => {
      try {
        return imp.expect(rows);
      } catch (e) {
        return fail(e);
      }
    },
    refuse: (line, reason) => imp.refuse(line, reason).catch(fail),
    finish: () => imp.finish().catch(fail),
    abort: () => imp.abort(),
  };
}
