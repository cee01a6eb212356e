import { InvalidArgumentError } from 'commander';
import { RecordStatus } from '../../engine/domain.js';
import type { Engine } from '../../engine/engine.js';
import { RECORD_HEADER, recordJson, recordLine } from '../record-json.js';
import type { LineSink } from './line-sink.js';

const STATUS_NAMES = Object.entries(RecordStatus).filter(([, v]) => v !== RecordStatus.NoRecordStatus) as [string, number][];

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** `--status`: a record_status by name (Ready, AgentError, "agent error"...) or by number. */
export function parseRecordStatus(v: string): number {
  const t = v.trim();
  if (/^\d+$/.test(t) && STATUS_NAMES.some(([, n]) => n === Number(t))) return Number(t);
  const hit = STATUS_NAMES.find(([name]) => squash(name) === squash(t));
  if (hit) return hit[1];
  throw new InvalidArgumentError(`unknown record_status; use one of ${STATUS_NAMES.map(([name, n]) => `${name} (${n})`).join(', ')}`);
}

export interface ListOptions {
  campaignId?: string;
  tz?: string;
  status?: number;
  limit?: number;
  format: 'table' | 'json' | 'jsonl';
}

/** Streams the calling list in record_id order (a cursor on PostgreSQL): a table, a JSON array, or JSON lines. */
export async function listRecords(engine: Engine, o: ListOptions, sink: LineSink): Promise<void> {
  const rows = engine.store.bulk.listRecords({ campaignId: o.campaignId, tz: o.tz, status: o.status, limit: o.limit });
  let n = 0;
  if (o.format === 'table') sink.push(`${RECORD_HEADER}\n`);
  for await (const r of rows) {
    let s: string;
    if (o.format === 'jsonl') s = `${JSON.stringify(recordJson(r, engine.zones))}\n`;
    else if (o.format === 'json') s = `${n === 0 ? '[\n' : ',\n'}  ${JSON.stringify(recordJson(r, engine.zones), null, 2).replace(/\n/g, '\n  ')}`;
    else s = `${recordLine(r, engine.zones)}\n`;
    n++;
    // A reader that left ends the loop, and with it the query (the cursor is closed).
    if (sink.push(s) && !(await sink.flush())) return;
  }
  if (o.format === 'json') sink.push(n === 0 ? '[]\n' : '\n]\n');
  await sink.flush();
}
