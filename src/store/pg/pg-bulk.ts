import type { CallLogEntry, CallingListRecord } from '../../engine/domain.js';
import {
  CSV_CONTACT_FIELDS,
  CSV_RECORD_FIELDS,
  WORLD_TABLES,
  type BulkPort,
  type CallLogFilter,
  type CallingListExportRow,
  type ImportPlan,
  type RecordFilter,
  type RecordImport,
  type WorldRows,
  type WorldTable,
} from '../../engine/store-port.js';
import { callFromRow, contactFromRow, recordFromRow } from '../tables.js';
import { findDamagedPgRow } from './pg-damage.js';
import { PgRecordImport } from './pg-import.js';
import type { PgStore } from './pg-store.js';

/** Rows of a world read at a time by `state copy`. */
const WORLD_BATCH = 2000;

/** The order `state copy` reads each table in: SQLite's rowid order where the table keeps one. */
const WORLD_ORDER: Record<WorldTable, string> = {
  meta: 'key',
  counter: 'kind',
  entity: 'rowid',
  contact: 'rowid',
  calling_list: 'record_id',
  campaign_zone: 'campaign_id, tz',
  interaction: 'id',
  message: 'id',
  gms_callback: 'id',
  gms_slot: 'service, slot',
  call_log: 'seq, call_id',
};

/** Calling lists in bulk on PostgreSQL: streamed through a cursor, imported through COPY. */
export class PgBulk implements BulkPort {
  constructor(private readonly store: PgStore) {}

  listRecords(f: RecordFilter): AsyncIterable<CallingListRecord> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.campaignId !== undefined) (params.push(f.campaignId), where.push(`campaign_id = $${params.length}`));
    if (f.tz !== undefined) (params.push(f.tz), where.push(`tz = $${params.length}`));
    if (f.status !== undefined) (params.push(f.status), where.push(`record_status = $${params.length}`));
    let sql = `SELECT * FROM calling_list${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY record_id`;
    if (f.limit !== undefined) (params.push(f.limit), (sql += ` LIMIT $${params.length}`));
    return this.store.stream(sql, params, recordFromRow);
  }

  listCalls(f: CallLogFilter): AsyncIterable<CallLogEntry> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.agentId !== undefined) (params.push(f.agentId), where.push(`agent_id = $${params.length}`));
    if (f.campaignId !== undefined) (params.push(f.campaignId), where.push(`campaign_id = $${params.length}`));
    if (f.since !== undefined) (params.push(f.since), where.push(`started_at >= $${params.length}`));
    // call_log_agent, call_log_campaign or call_log_started: each already in this order.
    return this.store.stream(`SELECT * FROM call_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at, seq`, params, callFromRow);
  }

  exportCampaign(campaignId: string): AsyncIterable<CallingListExportRow> {
    return this.store.stream(
      `SELECT r.*, c.id AS c__id, c.first_name AS c__first_name, c.last_name AS c__last_name, c.tz AS c__tz, c.email AS c__email, c.fields AS c__fields
       FROM calling_list r LEFT JOIN contact c ON c.id = r.contact_id
       WHERE r.campaign_id = $1 ORDER BY r.record_id`,
      [campaignId],
      (row) => ({
        record: recordFromRow(row),
        contact:
          row.c__id === null
            ? undefined
            : contactFromRow({ id: row.c__id, first_name: row.c__first_name, last_name: row.c__last_name, tz: row.c__tz, email: row.c__email, fields: row.c__fields }),
      }),
    );
  }

  exportRows(campaignId: string, custom: readonly string[]): AsyncIterable<unknown[]> {
    // A custom field's value read out of the contact's JSON by its name (a parameter: any name
    // will do); a text value comes back as it was, a number or a nested value as its JSON text,
    // as SQLite's json_extract gives them.
    const picks = custom.map((_, i) => `, CASE WHEN json_typeof(c.fields::json) = 'object' THEN c.fields::json ->> $${i + 2} END`).join('');
    return this.store.streamArrays(
      `SELECT ${CSV_RECORD_FIELDS.map((c) => `r.${c}`).join(', ')}, ${CSV_CONTACT_FIELDS.map((c) => `c.${c}`).join(', ')}${picks}
       FROM calling_list r LEFT JOIN contact c ON c.id = r.contact_id
       WHERE r.campaign_id = $1 ORDER BY r.record_id`,
      [campaignId, ...custom],
    );
  }

  async customFieldNames(campaignId: string): Promise<string[]> {
    const rows = await this.store.withClient(
      async (client) =>
        (
          await client.query<{ key: string }>(
            `SELECT DISTINCT k COLLATE "C" AS key FROM contact c, json_object_keys(c.fields::json) k
             WHERE c.id IN (SELECT contact_id FROM calling_list WHERE campaign_id = $1) AND json_typeof(c.fields::json) = 'object'
             ORDER BY 1`,
            [campaignId],
          )
        ).rows,
    );
    return rows.map((r) => r.key);
  }

  importRecords(plan: ImportPlan): Promise<RecordImport> {
    return PgRecordImport.begin(this.store, plan);
  }

  findDamagedRow(hint: string, isZone: (tz: string) => boolean): Promise<string | null> {
    return this.store.withClient((client) => findDamagedPgRow(client, isZone, hint));
  }

  async *readWorld(): AsyncIterable<WorldRows> {
    for (const [table, columns] of Object.entries(WORLD_TABLES) as [WorldTable, readonly string[]][]) {
      const where = table === 'meta' ? " WHERE key <> 'desktop'" : '';
      let rows: unknown[][] = [];
      for await (const r of this.store.streamArrays(`SELECT ${columns.join(', ')} FROM ${table}${where} ORDER BY ${WORLD_ORDER[table]}`, [])) {
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
