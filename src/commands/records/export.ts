import type { Campaign } from '../../engine/domain.js';
import type { Engine } from '../../engine/engine.js';
import { recordJson } from '../record-json.js';
import { EXPORT_COLUMNS, KNOWN_COLUMNS } from './import-rows.js';
import type { LineSink } from './line-sink.js';

/**
 * `records export`: a campaign's calling list to stdout, streamed in record_id order (a cursor
 * on PostgreSQL), as CSV in the field names `records import` reads, or as JSON lines.
 */

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = String(v);
  // Quoted when it would not come back the same: separators, quotes, line breaks, and the
  // spaces at either end that the import trims off unquoted cells.
  if (/[",\r\n]/.test(s) || (s !== '' && s.trim() !== s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** The custom-field names of a campaign's contacts: the campaign's own first, then any others. */
async function customFieldNames(engine: Engine, campaign: Campaign): Promise<string[]> {
  const found = await engine.store.bulk.customFieldNames(campaign.id);
  const have = new Set(found);
  const ordered = (campaign.customFields ?? []).filter((k) => have.has(k));
  for (const k of [...found].sort()) if (!ordered.includes(k)) ordered.push(k);
  // A custom field named like a column would not come back as a custom field.
  return ordered.filter((k) => !KNOWN_COLUMNS.has(k));
}

/** Streams a campaign's calling list; the number of records written. */
export async function exportRecords(engine: Engine, campaign: Campaign, format: 'csv' | 'jsonl', sink: LineSink): Promise<number> {
  let n = 0;
  if (format === 'jsonl') {
    for await (const r of engine.store.bulk.listRecords({ campaignId: campaign.id })) {
      n++;
      if (sink.push(`${JSON.stringify(recordJson(r, engine.zones))}\n`) && !(await sink.flush())) return n;
    }
    await sink.flush();
    return n;
  }
  const custom = await customFieldNames(engine, campaign);
  sink.push(`${[...EXPORT_COLUMNS, ...custom].map(csvCell).join(',')}\n`);
  for await (const row of engine.store.bulk.exportRows(campaign.id, custom)) {
    let line = csvCell(row[0]);
    for (let i = 1; i < row.length; i++) line += `,${csvCell(row[i])}`;
    n++;
    // A reader that left ends the loop (and with it the query).
    if (sink.push(`${line}\n`) && !(await sink.flush())) return n;
  }
  await sink.flush();
  return n;
}
