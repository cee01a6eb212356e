import fs from 'node:fs';
import type { Campaign } from '../../engine/domain.js';
import type { Engine } from '../../engine/engine.js';
import { ImportRefusal, type ImportPlan, type ImportRow, type RecordImport } from '../../engine/store-port.js';
import { CsvSyntaxError } from '../../csv/csv-reader.js';
import { visibleText } from '../../runtime/visible-text.js';
import { Utf8Decoder } from '../utf8-decoder.js';
import { CheckedCsvReader } from './csv-records.js';
import { BadRow, REQUIRED, RecordsIoError, RowChecker, readHeader, type ImportHeader } from './import-rows.js';
import { Progress } from './progress.js';

/**
 * `records import`: a CSV in the calling-list field names, streamed (constant memory) through
 * the CSV reader and the row checks into the store's loader (src/store: SQLite's multi-row
 * INSERTs, PostgreSQL's COPY), all rows in one transaction, so another process sees all of it
 * or none. A bad row rolls it all back, unless `skipBad`, which skips and lists it.
 */

export interface ImportOptions {
  file: string;
  campaign: Campaign;
  skipBad: boolean;
  /**
   * New record_id, chain_id and contact ids (from the counters) instead of the CSV's: rows with
   * the same chain_id still share one chain. For a copy of a list beside the original.
   */
  newIds: boolean;
  /** Where the progress bar goes (only drawn on a TTY) and bad lines are listed. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface ImportResult {
  imported: number;
  skipped: number;
}

/** Bad lines listed one by one with --skip-bad; the rest are counted. */
const LISTED_BAD = 20;

/** The first bad lines, in line order, and how many there were. */
class BadLines {
  count = 0;
  readonly listed: { line: number; text: string }[] = [];

  add(file: string, line: number, reason: string): void {
    this.count++;
    if (this.listed.length === LISTED_BAD && line > this.listed[LISTED_BAD - 1].line) return;
    this.listed.push({ line, text: `${file} line ${line}: ${reason}` });
    this.listed.sort((a, b) => a.line - b.line);
    if (this.listed.length > LISTED_BAD) this.listed.pop();
  }
}

export async function importRecords(engine: Engine, o: ImportOptions): Promise<ImportResult> {
  const { file, campaign } = o;
  let size: number;
  let input: fs.ReadStream;
  try {
    size = fs.statSync(file).size;
    input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
  } catch (e) {
    throw new RecordsIoError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }

  const bad = new BadLines();
  const progress = new Progress(o.stderr, size);
  const refusal = (line: number, reason: string) => new RecordsIoError(`${file} line ${line}: ${reason}; nothing was imported (--skip-bad imports the good lines and lists the bad)`);
  let imp: RecordImport | undefined;
  let checker: RowChecker | undefined;
  let header: ImportHeader | undefined;
  let rows = 0;
  /** Rows checked in the chunk just read, for the loader (at most a chunk's worth). */
  const queue: ImportRow[] = [];
  /** A row this side refused, without --skip-bad: the import ends there (see RecordImport.refuse). */
  let stop: { line: number; reason: string } | undefined;

  const onRecord = (f: string[], line: number, error: string | null) => {
    if (stop) return;
    if (!header) {
      if (error) throw new CsvSyntaxError(line, error);
      // The header (line 1 or the first non-blank line).
      header = readHeader(f, `${file} line ${line}`);
      reader.names = f;
      checker = new RowChecker(header, { isZone: (tz) => engine.zones.has(tz), agents: Object.keys(engine.state.agents), newIds: o.newIds });
      return;
    }
    rows++;
    try {
      if (error) throw new BadRow(error);
      queue.push(checker!.check(f, line));
    } catch (e) {
      if (!(e instanceof BadRow)) throw e;
      if (!o.skipBad) stop = { line, reason: e.message };
      else bad.add(file, line, e.message);
    }
  };
  const reader = new CheckedCsvReader(onRecord);
  const decoder = new Utf8Decoder();

  /** The rows read so far into the loader, which is opened once the header is read. */
  const load = async () => {
    if (!header) return;
    if (!imp) {
      const h = header;
      const plan: ImportPlan = {
        campaignId: campaign.id,
        groupId: campaign.groupId,
        newIds: o.newIds,
        skipBad: o.skipBad,
        columns: h.present,
        customFields: h.custom.map((c) => c.key),
        onBad: (line, reason) => bad.add(file, line, reason),
        onStep: (step) => progress.finishing(step),
      };
      imp = await engine.store.bulk.importRecords(plan);
    }
    let full = false;
    for (const row of queue) if (imp.push(row)) full = true;
    queue.length = 0;
    if (full) await imp.drain();
  };

  let expected = false;
  let result: ImportResult;
  try {
    try {
      for await (const chunk of input) {
        reader.feed(decoder.write(chunk as Buffer));
        await load();
        if (stop) break;
        progress.update(input.bytesRead, rows);
        if (imp && !expected && rows > 0) {
          expected = true;
          progress.tail = imp.expect(Math.round((rows * size) / input.bytesRead));
        }
      }
      if (!stop) {
        reader.feed(decoder.end());
        reader.end();
        await load();
      }
    } catch (e) {
      if (e instanceof CsvSyntaxError) throw new RecordsIoError(`${file} line ${e.line}: ${e.message}; nothing was imported`);
      if ((e as NodeJS.ErrnoException).syscall === 'read') throw new RecordsIoError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`);
      throw e;
    }
    if (!header || !imp) throw new RecordsIoError(`${file} is empty: the first line must be the header (${REQUIRED.join(', ')}, ...)`);
    if (stop) await imp.refuse(stop.line, stop.reason);
    const { imported } = await imp.finish();
    imp = undefined;
    result = { imported, skipped: bad.count };
  } catch (e) {
    await imp?.abort();
    if (e instanceof ImportRefusal) throw refusal(e.line, e.reason);
    throw e;
  } finally {
    progress.done();
    input.destroy();
  }
  if (bad.listed.length) {
    for (const l of bad.listed) o.stderr.write(`callback-desk: skipped ${visibleText(l.text)}\n`);
    if (bad.count > bad.listed.length) o.stderr.write(`callback-desk: ... and ${bad.count - bad.listed.length} more bad lines\n`);
  }
  if (bad.count) o.stderr.write(`callback-desk: ${bad.count} bad line${bad.count === 1 ? '' : 's'} skipped\n`);
  return result;
}
