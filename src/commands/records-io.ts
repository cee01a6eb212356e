import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { InvalidArgumentError } from 'commander';
import { CALL_RESULT_NAMES, CallResult, RecordStatus, RecordType, type Campaign } from '../engine/domain.js';
import type { Engine } from '../engine/engine.js';
import type { OpenWorld } from '../runtime/world-host.js';
import { CONTACT_INFO, CONTACT_INFO_RULE } from '../engine/dialer/calling-list-csv.js';
import { CALLING_LIST_COLUMNS, recordFromRow } from '../store/tables.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { StorePort } from '../engine/store-port.js';

/** The bulk SQL below is SQLite's (it moves into src/store, one loader per database). */
function sqliteOf(store: StorePort): SqliteStore {
  if (store instanceof SqliteStore) return store;
  throw new RecordsIoError(`records import and export do not run on ${store.location} yet`);
}
import { RECORD_HEADER, recordJson, recordLine } from './record-json.js';
import { DATA_RULE, refusedIn, terminalJson, visibleLines, visibleText } from '../runtime/visible-text.js';
import { Utf8Decoder } from './utf8-decoder.js';
import { MAX_ID_LENGTH, noSuch, shown } from './names.js';

/**
 * Calling lists at volume: `records import` (a CSV in the calling-list field names, streamed,
 * all rows in one IMMEDIATE transaction), `records export` (CSV or JSON lines, streamed with
 * back-pressure) and the streamed `records list`. Nothing here holds a whole list in memory.
 */

/** A user error of these commands; the scripting commands turn it into one line and exit 2. */
export class RecordsIoError extends Error {}

// ---- --status ---------------------------------------------------------------------------------

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

// ---- stdout with back-pressure, quiet on a closed pipe ------------------------------------------

/**
 * Lines to a stream in 64 KiB writes. `push` says when the buffer is full: the caller then
 * awaits `flush`, which waits for 'drain' when the stream asks for it. A reader that goes away
 * (`| head -1`: EPIPE) ends the output quietly: `broken` turns true and the caller stops.
 */
export class LineSink {
  broken = false;
  private buf = '';
  private failure: Error | null = null;
  private readonly onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') this.broken = true;
    else this.failure ??= e;
  };

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** What the text becomes on its way out (see sinkFor). */
    private readonly shape: (s: string) => string = (s) => s,
  ) {
    // Kept for the life of the process: a later write to a closed pipe must not throw either.
    stream.on('error', this.onError);
  }

  /** Buffers `s`; true when the caller should `await flush()`. */
  push(s: string): boolean {
    this.buf += s;
    return this.buf.length >= 65536;
  }

  /** Writes what is buffered; false once the reader is gone (stop producing). */
  async flush(): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.broken || (this.stream as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) {
      this.broken = true;
      return false;
    }
    const b = this.shape(this.buf);
    this.buf = '';
    if (b && !this.stream.write(b)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
    if (this.failure) throw this.failure;
    return !this.broken;
  }
}

/**
 * A sink for a format on `stream`. A table is for people: control characters from the data are
 * drawn visibly wherever it goes. CSV and JSON are data: byte for byte into a file or a pipe,
 * made safe on a terminal (CSV drawn visibly, JSON with DEL and C1 escaped, still the same JSON).
 */
export function sinkFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, format: 'table' | 'csv' | 'json' | 'jsonl'): LineSink {
  if (format === 'table') return new LineSink(stream, visibleLines);
  if (!stream.isTTY) return new LineSink(stream);
  return new LineSink(stream, format === 'csv' ? visibleLines : terminalJson);
}

// ---- records list -------------------------------------------------------------------------------

export interface ListOptions {
  campaignId?: string;
  tz?: string;
  status?: number;
  limit?: number;
  format: 'table' | 'json' | 'jsonl';
}

/** Streams the calling list in record_id order: a table, a JSON array, or JSON lines. */
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
    if (sink.push(s) && !(await sink.flush())) return;
  }
  if (o.format === 'json') sink.push(n === 0 ? '[]\n' : '\n]\n');
  await sink.flush();
}

// ---- the CSV columns ----------------------------------------------------------------------------

/** Calling-list fields a CSV may carry (the record's own columns): campaign, group and treatments come from the import. */
const RECORD_COLUMNS = CALLING_LIST_COLUMNS.filter((c) => c !== 'campaign_id' && c !== 'group_id' && c !== 'treatments');

/** The contact's own columns. */
const CONTACT_COLUMNS = ['first_name', 'last_name', 'email'] as const;

/** Accepted and ignored: the import's --campaign decides them. */
const IGNORED_COLUMNS = ['campaign_id', 'group_id', 'treatments', 'local_time'] as const;

const REQUIRED = ['contact_info', 'daily_from', 'daily_till', 'tz'] as const;

const KNOWN = new Set<string>([...RECORD_COLUMNS, ...CONTACT_COLUMNS, ...IGNORED_COLUMNS]);

/** The header `records export` writes (then the contact's custom fields). */
export const EXPORT_COLUMNS = [...RECORD_COLUMNS, ...CONTACT_COLUMNS];

// ---- records export -----------------------------------------------------------------------------

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
function customFieldNames(db: Database.Database, campaign: Campaign): string[] {
  const found = db
    .prepare(
      `SELECT DISTINCT j.key AS key FROM contact c, json_each(c.fields) j
       WHERE c.id IN (SELECT contact_id FROM calling_list WHERE campaign_id = ?) AND json_valid(c.fields)`,
    )
    .pluck()
    .all(campaign.id) as string[];
  const have = new Set(found);
  const ordered = (campaign.customFields ?? []).filter((k) => have.has(k));
  for (const k of [...found].sort()) if (!ordered.includes(k)) ordered.push(k);
  // A custom field named like a column would not come back as a custom field.
  return ordered.filter((k) => !KNOWN.has(k));
}

/** Streams a campaign's calling list: CSV in the field names `records import` reads, or JSON lines. */
export async function exportRecords(world: OpenWorld, campaign: Campaign, format: 'csv' | 'jsonl', sink: LineSink): Promise<number> {
  const { engine } = world;
  const db = sqliteOf(world.store).db;
  let n = 0;
  if (format === 'jsonl') {
    // In record_id order by walking the table (see below).
    const rows = db.prepare('SELECT * FROM calling_list WHERE +campaign_id = ? ORDER BY record_id').iterate(campaign.id) as Iterable<Record<string, unknown>>;
    for (const row of rows) {
      const r = recordFromRow(row);
      n++;
      if (sink.push(`${JSON.stringify(recordJson(r, engine.zones))}\n`) && !(await sink.flush())) return n;
    }
    await sink.flush();
    return n;
  }
  const custom = customFieldNames(db, campaign);
  sink.push(`${[...EXPORT_COLUMNS, ...custom].map(csvCell).join(',')}\n`);
  // Rows as arrays in the header's order, the custom fields picked out of the JSON by SQLite
  // (a name with a double quote, which a JSON path cannot name, is read from the JSON here). In
  // record_id order by walking the table: no sort of the whole campaign before the first row.
  const awkward = custom.some((k) => k.includes('"'));
  const picks = custom.map((k) => (k.includes('"') ? 'NULL' : `json_extract(c.fields, ${sqlString(`$."${k}"`)})`));
  const rows = db
    .prepare(
      `SELECT ${RECORD_COLUMNS.map((c) => `r.${c}`).join(', ')}, c.first_name, c.last_name, c.email${picks.map((p) => `, ${p}`).join('')}${awkward ? ', c.fields' : ''}
       FROM calling_list r LEFT JOIN contact c ON c.id = r.contact_id
       WHERE +r.campaign_id = ? ORDER BY r.record_id`,
    )
    .raw()
    .iterate(campaign.id) as Iterable<unknown[]>;
  const width = EXPORT_COLUMNS.length + custom.length;
  for (const row of rows) {
    if (awkward) {
      const fields = parseFields(row[width]);
      custom.forEach((k, i) => {
        if (k.includes('"')) row[EXPORT_COLUMNS.length + i] = fields[k] ?? null;
      });
    }
    let line = csvCell(row[0]);
    for (let i = 1; i < width; i++) line += `,${csvCell(row[i])}`;
    n++;
    // A reader that left ends the loop (and with it the statement).
    if (sink.push(`${line}\n`) && !(await sink.flush())) return n;
  }
  await sink.flush();
  return n;
}

function parseFields(v: unknown): Record<string, unknown> {
  try {
    const o = typeof v === 'string' ? (JSON.parse(v) as unknown) : null;
    return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const sqlString = (v: string) => `'${v.replace(/'/g, "''")}'`;

// ---- a streaming CSV reader ---------------------------------------------------------------------

/** A CSV the reader cannot go on with (an unclosed quote): fatal even with --skip-bad. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A row of a CSV that is not well formed or not a record; `--skip-bad` skips it. */
class BadRow extends Error {}

const MAX_RECORD_CHARS = 1 << 20;

/**
 * RFC 4180 CSV in chunks: fields split on commas, double-quoted fields may hold commas, quotes
 * ("") and line breaks; CRLF or LF; unquoted fields are trimmed; blank lines are skipped. Each
 * record comes with the line it starts on. Lines without a quote take a fast path (split).
 * A record holding a control character (a line break inside quotes included) or a byte of
 * invalid UTF-8 (as Utf8Decoder marks it) comes with an error naming its column.
 */
export class CsvReader {
  private buf = '';
  private line = 1;
  private started = false;
  /** The header's names, once read: an error names the field by them. */
  names: string[] = [];

  constructor(private readonly onRecord: (fields: string[], line: number, error: string | null) => void) {}

  feed(text: string): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.buf ? this.buf + text : text;
    const consumed = this.parse(this.buf, false);
    this.buf = consumed === this.buf.length ? '' : this.buf.slice(consumed);
    if (this.buf.length > MAX_RECORD_CHARS) throw new CsvSyntaxError(this.line, `a record longer than ${MAX_RECORD_CHARS} characters (a quoted field never closed?)`);
  }

  end(): void {
    if (this.buf) this.parse(this.buf, true);
    this.buf = '';
  }

  /** Parses whole records from `buf`; returns how far it got (the rest waits for more text). */
  private parse(buf: string, final: boolean): number {
    let pos = 0;
    let quoteAt = buf.indexOf('"');
    if (quoteAt < 0) quoteAt = Infinity;
    const len = buf.length;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) return pos;
        nl = len;
      }
      if (quoteAt < pos) {
        quoteAt = buf.indexOf('"', pos);
        if (quoteAt < 0) quoteAt = Infinity;
      }
      if (quoteAt > nl) {
        // Fast path: no quote on this line.
        let end = nl;
        if (end > pos && buf.charCodeAt(end - 1) === 13) end--;
        const line = this.line++;
        if (end > pos) {
          const text = buf.slice(pos, end);
          if (text.trim() !== '') {
            const fields = text.split(',');
            for (let i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
            this.onRecord(fields, line, this.refused(text));
          }
        }
        pos = nl + 1;
        continue;
      }
      const r = this.parseQuoted(buf, pos, final);
      if (!r) return pos;
      pos = r;
    }
    return pos;
  }

  /**
   * What a record's text (`raw`, from its first character) holds that no field may: its column
   * (the first such character is on the record's first line: a line break is one) and field.
   */
  private refused(raw: string): string | null {
    const bad = refusedIn(raw);
    if (!bad) return null;
    let field = 0;
    let quoted = false;
    for (let k = 0; k < bad.index; k++) {
      if (raw[k] === '"') quoted = !quoted;
      else if (raw[k] === ',' && !quoted) field++;
    }
    const name = this.names[field];
    return `column ${bad.column}${name === undefined ? '' : ` (${name})`}: ${bad.what}; ${DATA_RULE}`;
  }

  /** A record with quotes, from `pos`: its end, or 0 when it runs past the text read so far. */
  private parseQuoted(buf: string, pos: number, final: boolean): number {
    const startLine = this.line;
    const fields: string[] = [];
    let breaks = 0;
    let i = pos;
    const len = buf.length;
    let bad: string | null = null;
    // Where the record's text ends (before its line break).
    let end = len;
    for (;;) {
      // One field from i.
      while (i < len && (buf[i] === ' ' || buf[i] === '\t')) i++;
      if (i < len && buf[i] === '"') {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            if (!final) return 0;
            throw new CsvSyntaxError(startLine, 'a quoted field is never closed');
          }
          const part = buf.slice(j, q);
          for (let k = part.indexOf('\n'); k >= 0; k = part.indexOf('\n', k + 1)) breaks++;
          value += part;
          if (q + 1 < len && buf[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          if (q + 1 >= len && !final) return 0;
          i = q + 1;
          break;
        }
        while (i < len && (buf[i] === ' ' || buf[i] === '\t')) i++;
        if (i < len && buf[i] !== ',' && buf[i] !== '\n' && !(buf[i] === '\r' && buf[i + 1] === '\n')) {
          if (buf[i] === '\r' && i + 1 >= len && !final) return 0;
          bad ??= `unexpected "${buf[i]}" after a closing quote`;
          // Skip to the end of the field.
          while (i < len && buf[i] !== ',' && buf[i] !== '\n') i++;
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < len && buf[j] !== ',' && buf[j] !== '\n') j++;
        if (j >= len && !final) return 0;
        fields.push(buf.slice(i, j).trim());
        i = j;
      }
      if (i >= len) {
        if (!final) return 0;
        break;
      }
      if (buf[i] === ',') {
        i++;
        continue;
      }
      end = i;
      if (buf[i] === '\r') i++;
      if (buf[i] === '\n') {
        i++;
        break;
      }
    }
    this.line += 1 + breaks;
    this.onRecord(fields, startLine, bad ?? this.refused(buf.slice(pos, end)));
    return i;
  }
}

// ---- records import -----------------------------------------------------------------------------

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

const WHOLE = /^[0-9]+$/;

type Col = number;

/** Rows written in one INSERT (see `pending` in importRecords). */
const BATCH = 64;

/** A checked row waiting for its batch's INSERT: what it writes, and what it counts for once written. */
interface PendingRow {
  f: string[];
  line: number;
  values: unknown[];
  contact: unknown[] | null;
  key: number | null;
  chain: number;
  contactId: string;
  chainN: number;
  tz: string;
  from: number;
  till: number;
}

/** calling_list's columns in the order of the import's INSERT (row() binds them in this order). */
const INSERT_COLUMNS = CALLING_LIST_COLUMNS;

/**
 * What an import takes, in characters: a contact center's data fits (a name, an e-mail, a note
 * of a page), a runaway file does not (a 1 MB first name, 100,000 columns that the desktop, every
 * export and every contact row would carry). README, "Calling lists at volume".
 */
const IMPORT_LIMITS = {
  /** first_name, last_name, email, callback_local, disposition. */
  text: 256,
  /** agent_id, contact_id: as every id a command takes. */
  id: MAX_ID_LENGTH,
  /** A custom field's value, and any other column. */
  value: 4096,
  customColumns: 100,
  /** A custom column's name. */
  columnName: 64,
} as const;

const TEXT_COLUMNS = new Set(['first_name', 'last_name', 'email', 'callback_local', 'disposition']);
const ID_COLUMNS = new Set(['agent_id', 'contact_id']);

/** The longest value a column takes (IMPORT_LIMITS). */
const limitOf = (name: string) => (TEXT_COLUMNS.has(name) ? IMPORT_LIMITS.text : ID_COLUMNS.has(name) ? IMPORT_LIMITS.id : IMPORT_LIMITS.value);

function header(fields: string[], at1: string): { index: Map<string, number>; custom: { at: number; key: string }[] } {
  const index = new Map<string, number>();
  const custom: { at: number; key: string }[] = [];
  fields.forEach((name, at) => {
    if (name === '') throw new RecordsIoError(`${at1}: column ${at + 1} has no name`);
    if (index.has(name)) throw new RecordsIoError(`${at1}: column ${shown(name)} appears twice`);
    index.set(name, at);
    if (KNOWN.has(name)) return;
    if ([...name].length > IMPORT_LIMITS.columnName) throw new RecordsIoError(`${at1}: the name of custom column ${at + 1} has ${[...name].length} characters; at most ${IMPORT_LIMITS.columnName}`);
    custom.push({ at, key: name });
  });
  if (custom.length > IMPORT_LIMITS.customColumns) {
    throw new RecordsIoError(`${at1}: ${custom.length} custom columns (beside the calling-list fields); at most ${IMPORT_LIMITS.customColumns}`);
  }
  for (const f of REQUIRED) {
    if (!index.has(f)) throw new RecordsIoError(`${at1}: missing column "${f}" (the header needs ${REQUIRED.join(', ')}; record_id, record_type, record_status and the other calling-list fields are optional)`);
  }
  return { index, custom };
}

/**
 * Imports a CSV into a campaign: streamed (constant memory), every row in one IMMEDIATE
 * transaction, so another process on the file sees all of it or none. A bad row rolls it all
 * back, unless `skipBad`, which skips and lists it.
 */
export async function importRecords(world: OpenWorld, o: ImportOptions): Promise<ImportResult> {
  const { engine } = world;
  const store = sqliteOf(world.store);
  const db = store.db;
  const zones = engine.zones;
  const campaign = o.campaign;
  const file = o.file;

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

  const s = {
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
  };

  let col!: Record<string, Col>;
  // The INSERTs are prepared once the header is read: a column the CSV does not have is a
  // literal in the SQL (fewer values to bind per row, which is most of the cost after SQLite's).
  let insert!: Database.Statement;
  let args: unknown[] = [];
  let contactInsert!: Database.Statement;
  let custom: { at: number; keyJson: string }[] = [];
  let width = 0;
  let limits: number[] = [];
  let hasChainCol = false;
  const groupId = campaign.groupId;
  const newIds = o.newIds;

  let nextRecord = 0;
  let nextChain = 0;
  let maxRecordUsed = 0;
  let maxChainUsed = 0;
  // Zones: tz_dbid by zone, and the widest contact hours imported in each (for campaign_zone,
  // written before COMMIT). At most one entry per IANA zone, so bounded.
  const dbids = new Map<string, number>();
  let allDbids: Map<string, number> | null = null;
  const hours = new Map<string, [number, number]>();
  // Chains this import started from a chain_id column: their contact and last chain_n. Kept in
  // a temporary table (on disk when large), not in memory.
  let chainGet: Database.Statement | null = null;
  let chainPut: Database.Statement | null = null;

  let imported = 0;
  let skipped = 0;
  const listed: { line: number; text: string }[] = [];

  // Rows are written BATCH at a time, in multi-row INSERTs: one statement for many rows costs
  // SQLite and the binding much less than a statement a row. Until a batch is written, the chains
  // its rows started are kept here (chainGet and chainExists ask these first). A batch the store
  // refuses (a record_id or contact_id already taken) is undone and its rows done again one at a
  // time, which names the bad line exactly as a row-at-a-time import would.
  const pending: PendingRow[] = [];
  const pendingChains = new Set<number>();
  const pendingStarted = new Map<number, { chain_id: number; contact_id: string; n: number; tz: string }>();
  let batching = true;
  let batchStart = { nextRecord: 0, nextChain: 0 };
  const many = new Map<string, Database.Statement>();
  // Each table's INSERT up to VALUES, and one row's values (bound or literal, see begin()).
  const into = { calling_list: { head: '', one: '' }, contact: { head: '', one: '' } };

  const dbidOf = (tz: string, given: number | null): number => {
    const have = dbids.get(tz);
    if (have !== undefined) return have;
    let id: number | undefined;
    if (s.knownZone.get(tz)) id = s.zoneDbid.get(tz) as number | undefined;
    if (id === undefined) {
      // A zone new to this state file: the CSV's tz_dbid if no other zone has it, else the next number.
      allDbids ??= new Map((s.allDbids.all() as { tz: string; id: number }[]).map((r) => [r.tz, r.id]));
      const used = new Set([...allDbids.values(), ...dbids.values()]);
      if (given !== null && !used.has(given)) id = given;
      else id = Math.max(0, ...used) + 1;
    }
    dbids.set(tz, id);
    return id;
  };

  const whole = (f: string[], c: Col, name: string, min: number, max: number, dflt: number | null): number | null => {
    if (c < 0) return dflt;
    const v = f[c];
    if (v === '') return dflt;
    if (!WHOLE.test(v) || Number(v) < min || Number(v) > max) throw new BadRow(`${name} "${v}" must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
  const text = (f: string[], c: Col): string | null => (c < 0 || f[c] === '' ? null : f[c]);

  /** A chain in the calling list, or in a row not yet written. */
  const chainTaken = (chain: number): boolean => pendingChains.has(chain) || !!s.chainExists.get(chain);

  /** A new chain id: the counter's next, past any chain an explicit chain_id of this file took. */
  const allocChain = (): number => {
    let chain = nextChain++;
    if (hasChainCol && !newIds) while (chainTaken(chain)) chain = nextChain++;
    return chain;
  };

  const insertRecord = (explicit: boolean): number => {
    // args[0] is the record_id; an allocated one that is taken (by an explicit id earlier in
    // the file) moves on to the next.
    for (;;) {
      if (!explicit) args[0] = nextRecord++;
      try {
        insert.run(args);
        return args[0] as number;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
        if (explicit) throw new BadRow(`record_id ${args[0]} is already in the calling list`);
      }
    }
  };

  const row = (f: string[], line: number) => {
    if (f.length !== width) throw new BadRow(`${f.length} fields, the header has ${width}`);
    for (let i = 0; i < width; i++) {
      // Counted in UTF-16 units first (never fewer than the characters): the count is rarely needed.
      if (f[i].length > limits[i] && [...f[i]].length > limits[i]) throw new BadRow(`${reader.names[i]} has ${[...f[i]].length} characters; at most ${limits[i]}`);
    }
    const contactInfo = f[col.contact_info];
    if (contactInfo === '') throw new BadRow('contact_info is empty');
    if (!CONTACT_INFO.test(contactInfo)) throw new BadRow(`contact_info "${contactInfo}" is not a phone number (${CONTACT_INFO_RULE})`);
    const tz = f[col.tz];
    if (tz === '') throw new BadRow('tz is empty');
    if (!dbids.has(tz) && !zones.has(tz)) throw new BadRow(`unknown time zone "${tz}" (use an IANA name such as America/New_York)`);
    if (f[col.daily_from] === '') throw new BadRow('daily_from is empty');
    if (f[col.daily_till] === '') throw new BadRow('daily_till is empty');
    const from = whole(f, col.daily_from, 'daily_from', 0, 86400, null)!;
    const till = whole(f, col.daily_till, 'daily_till', 0, 86400, null)!;
    if (till <= from) throw new BadRow(`daily_till (${till}) must be after daily_from (${from})`);
    const recordId = newIds ? null : whole(f, col.record_id, 'record_id', 1, Number.MAX_SAFE_INTEGER, null);
    const infoType = whole(f, col.contact_info_type, 'contact_info_type', 0, 11, 0)!;
    const type = whole(f, col.record_type, 'record_type', 0, 7, RecordType.General)!;
    const status = whole(f, col.record_status, 'record_status', 0, 9, RecordStatus.Ready)!;
    const result = whole(f, col.call_result, 'call_result', 0, 1000, CallResult.Unknown)!;
    if (!(result in CALL_RESULT_NAMES)) throw new BadRow(`call_result ${result} is not a call result code`);
    const attempt = whole(f, col.attempt, 'attempt', 0, 1_000_000, 0)!;
    const sched = whole(f, col.dial_sched_time, 'dial_sched_time', 0, 253402300799, null);
    const callTime = whole(f, col.call_time, 'call_time', 0, 253402300799, null);
    const givenDbid = whole(f, col.tz_dbid, 'tz_dbid', 1, 2 ** 31 - 1, null);
    const agent = text(f, col.agent_id);
    // A callback or record held for an agent who is not in this state would wait for nobody.
    if (agent !== null && !Object.hasOwn(engine.state.agents, agent)) {
      throw new BadRow(`agent_id: ${noSuch('agent', agent, Object.keys(engine.state.agents))}`);
    }
    const givenChain = whole(f, col.chain_id, 'chain_id', 1, Number.MAX_SAFE_INTEGER, null);
    const givenChainN = whole(f, col.chain_n, 'chain_n', 1, 1_000_000, null);
    const givenContact = text(f, col.contact_id);
    if (status === RecordStatus.Ready && (type === RecordType.PersonalCallback || type === RecordType.CampaignCallback)) {
      if (sched === null) throw new BadRow(`an open callback (record_type ${type}) needs dial_sched_time`);
      if (type === RecordType.PersonalCallback && agent === null) throw new BadRow('an open Personal Callback (record_type 5) needs agent_id');
    }

    // One taken by a row of the same batch shows as the batch's conflict (then this runs again, row by row).
    if (recordId !== null && s.recordExists.get(recordId)) throw new BadRow(`record_id ${recordId} is already in the calling list`);

    // The chain and its contact. A chain_id of the CSV is the chain's id, or with newIds only
    // a label: rows with the same label share one new chain.
    let chain: number;
    let chainN: number;
    let contactId: string;
    let newChain = true;
    let startedN = 0;
    if (givenChain !== null) {
      const started = pendingStarted.get(givenChain) ?? (chainGet!.get(givenChain) as { chain_id: number; contact_id: string; n: number; tz: string } | undefined);
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
        chain = allocChain();
        contactId = `C${chain}`;
        chainN = givenChainN ?? 1;
      } else {
        if (chainTaken(givenChain)) throw new BadRow(`chain_id ${givenChain} is already in the calling list (leave chain_id empty for a new chain, or pass --new-ids)`);
        chain = givenChain;
        contactId = givenContact ?? `C${chain}`;
        chainN = givenChainN ?? 1;
      }
    } else {
      chain = allocChain();
      contactId = (newIds ? null : givenContact) ?? `C${chain}`;
      chainN = givenChainN ?? 1;
    }

    const dbid = dbidOf(tz, givenDbid);
    // The bound values, in INSERT_COLUMNS order (see `literal` in begin()).
    let k = 0;
    args[k++] = recordId;
    args[k++] = contactInfo;
    if (col.contact_info_type >= 0) args[k++] = infoType;
    if (col.record_type >= 0) args[k++] = type;
    if (col.record_status >= 0) args[k++] = status;
    if (col.call_result >= 0) args[k++] = result;
    if (col.attempt >= 0) args[k++] = attempt;
    if (col.dial_sched_time >= 0) args[k++] = sched;
    if (col.call_time >= 0) args[k++] = callTime;
    args[k++] = from;
    args[k++] = till;
    args[k++] = dbid;
    args[k++] = tz;
    if (col.agent_id >= 0) args[k++] = agent;
    args[k++] = chain;
    if (col.chain_n >= 0 || col.chain_id >= 0) args[k++] = chainN;
    args[k++] = contactId;
    if (col.callback_local >= 0) args[k++] = text(f, col.callback_local);
    if (col.disposition >= 0) args[k++] = text(f, col.disposition);
    const contact = newChain ? contactRow(f, contactId, tz) : null;
    if (!batching) {
      const id = insertRecord(recordId !== null);
      if (contact) {
        try {
          contactInsert.run(contact);
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
          s.deleteRecord.run(id);
          throw new BadRow(`contact_id ${contactId} is already a contact${newIds ? '' : ' (leave contact_id empty for a new contact, or pass --new-ids)'}`);
        }
      }
      written(id, givenChain, chain, contactId, chainN, tz, from, till);
      return;
    }
    if (pending.length === 0) batchStart = { nextRecord, nextChain };
    if (recordId === null) args[0] = nextRecord++;
    pending.push({ f, line, values: args.slice(), contact, key: givenChain, chain, contactId, chainN, tz, from, till });
    pendingChains.add(chain);
    if (givenChain !== null) {
      pendingStarted.set(givenChain, { chain_id: chain, contact_id: contactId, n: Math.max(startedN, chainN), tz });
    }
    if (pending.length === BATCH) flush();
  };

  /** The contact row of a new chain, in the contact INSERT's order. */
  const contactRow = (f: string[], contactId: string, tz: string): unknown[] => {
    let fields = '{}';
    if (custom.length) {
      fields = '{';
      for (const c of custom) {
        const v = f[c.at];
        if (v === '') continue;
        fields += `${fields.length > 1 ? ',' : ''}${c.keyJson}${JSON.stringify(v)}`;
      }
      fields += '}';
    }
    const row: unknown[] = [contactId];
    if (col.first_name >= 0) row.push(f[col.first_name]);
    if (col.last_name >= 0) row.push(f[col.last_name]);
    row.push(tz);
    if (col.email >= 0) row.push(f[col.email]);
    if (custom.length) row.push(fields);
    return row;
  };

  /** What a row in the calling list counts for: its chain for the rows after it, the zone's hours, the counters. */
  const written = (id: number, key: number | null, chain: number, contactId: string, chainN: number, tz: string, from: number, till: number) => {
    if (key !== null) chainPut!.run(key, chain, contactId, chainN, tz);
    const h = hours.get(tz);
    if (!h) hours.set(tz, [from, till]);
    else {
      if (from < h[0]) h[0] = from;
      if (till > h[1]) h[1] = till;
    }
    if (id > maxRecordUsed) maxRecordUsed = id;
    if (chain > maxChainUsed) maxChainUsed = chain;
    imported++;
  };

  /** One INSERT of `n` rows into `table` (prepared once per size). */
  const insertMany = (table: 'calling_list' | 'contact', rows: unknown[][]) => {
    const key = `${table} ${rows.length}`;
    let st = many.get(key);
    if (!st) {
      st = db.prepare(`${into[table].head}${Array(rows.length).fill(into[table].one).join(', ')}`);
      many.set(key, st);
    }
    st.run(rows.flat());
  };

  /** Writes the pending rows; a refused batch is done again row by row (see `pending`). */
  const flush = () => {
    if (pending.length === 0) return;
    const rows = pending.splice(0);
    pendingChains.clear();
    pendingStarted.clear();
    const contacts = rows.filter((r) => r.contact !== null).map((r) => r.contact!);
    let contactsIn = false;
    try {
      if (contacts.length) insertMany('contact', contacts);
      contactsIn = true;
      insertMany('calling_list', rows.map((r) => r.values));
    } catch (e) {
      if (!(e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw e;
      // Each INSERT is all or nothing; the contacts of a refused calling-list INSERT go too.
      if (contactsIn && contacts.length) {
        for (const c of contacts) s.deleteContact.run(c[0]);
      }
      nextRecord = batchStart.nextRecord;
      nextChain = batchStart.nextChain;
      batching = false;
      try {
        for (const r of rows) handle(r.f, r.line, null);
      } finally {
        batching = true;
      }
      return;
    }
    for (const r of rows) written(r.values[0] as number, r.key, r.chain, r.contactId, r.chainN, r.tz, r.from, r.till);
  };

  /** A data row of the CSV: imported, or skipped and listed with --skip-bad, or the end of the import. */
  const handle = (f: string[], line: number, error: string | null) => {
    try {
      if (error) throw new BadRow(error);
      row(f, line);
    } catch (e) {
      if (!(e instanceof BadRow)) throw e;
      if (!o.skipBad) throw new RecordsIoError(`${file} line ${line}: ${e.message}; nothing was imported (--skip-bad imports the good lines and lists the bad)`);
      skipped++;
      // In line order, though a refused batch lists its bad lines after the later ones found before.
      listed.push({ line, text: `${file} line ${line}: ${e.message}` });
      listed.sort((a, b) => a.line - b.line);
      if (listed.length > LISTED_BAD) listed.pop();
    }
  };

  let inTx = false;
  const onRecord = (f: string[], line: number, error: string | null) => {
    if (!inTx) {
      if (error) throw new CsvSyntaxError(line, error);
      // The header (line 1 or the first non-blank line).
      const h = header(f, `${file} line ${line}`);
      reader.names = f;
      limits = f.map(limitOf);
      width = f.length;
      col = Object.fromEntries([...RECORD_COLUMNS, ...CONTACT_COLUMNS].map((c) => [c, h.index.get(c) ?? -1]));
      custom = h.custom.map((c) => ({ at: c.at, keyJson: `${JSON.stringify(c.key)}:` }));
      hasChainCol = col.chain_id >= 0;
      begin();
      inTx = true;
      return;
    }
    handle(f, line, error);
  };

  const begin = () => {
    const sqlText = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const has = (c: string) => col[c] >= 0;
    // Per calling_list column: null when bound, else the literal it gets.
    const literal: Record<(typeof INSERT_COLUMNS)[number], string | null> = {
      record_id: null,
      contact_info: null,
      contact_info_type: has('contact_info_type') ? null : '0',
      record_type: has('record_type') ? null : String(RecordType.General),
      record_status: has('record_status') ? null : String(RecordStatus.Ready),
      call_result: has('call_result') ? null : String(CallResult.Unknown),
      attempt: has('attempt') ? null : '0',
      dial_sched_time: has('dial_sched_time') ? null : 'NULL',
      call_time: has('call_time') ? null : 'NULL',
      daily_from: null,
      daily_till: null,
      tz_dbid: null,
      tz: null,
      campaign_id: sqlText(campaign.id),
      agent_id: has('agent_id') ? null : 'NULL',
      chain_id: null,
      chain_n: has('chain_n') || has('chain_id') ? null : '1',
      group_id: sqlText(groupId),
      contact_id: null,
      treatments: "'[]'",
      callback_local: has('callback_local') ? null : 'NULL',
      disposition: has('disposition') ? null : 'NULL',
    };
    args = new Array(INSERT_COLUMNS.filter((c) => literal[c] === null).length);
    into.calling_list = { head: `INSERT INTO calling_list (${INSERT_COLUMNS.join(', ')}) VALUES `, one: `(${INSERT_COLUMNS.map((c) => literal[c] ?? '?').join(', ')})` };
    into.contact = {
      head: 'INSERT INTO contact (id, first_name, last_name, tz, email, fields) VALUES ',
      one: `(${['?', has('first_name') ? '?' : "''", has('last_name') ? '?' : "''", '?', has('email') ? '?' : "''", custom.length ? '?' : "'{}'"].join(', ')})`,
    };
    insert = db.prepare(into.calling_list.head + into.calling_list.one);
    contactInsert = db.prepare(into.contact.head + into.contact.one);
    db.exec('BEGIN IMMEDIATE');
    nextRecord = (s.counter.get('record') as number | undefined) ?? (s.maxRecord.get() as number);
    nextChain = (s.counter.get('chain') as number | undefined) ?? (s.maxChain.get() as number);
    if (hasChainCol) {
      // The CSV's chain_id (key) to the chain this import made of it.
      db.exec('DROP TABLE IF EXISTS temp.import_chain');
      db.exec('CREATE TEMP TABLE import_chain (key INTEGER PRIMARY KEY, chain_id INTEGER NOT NULL, contact_id TEXT NOT NULL, n INTEGER NOT NULL, tz TEXT NOT NULL)');
      chainGet = db.prepare('SELECT chain_id, contact_id, n, tz FROM temp.import_chain WHERE key = ?');
      chainPut = db.prepare('INSERT INTO temp.import_chain (key, chain_id, contact_id, n, tz) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET n = max(n, excluded.n)');
    }
  };

  // Index entries inserted one by one cost more than the rows: every entry walks its B-tree. A
  // large import (against the rows already there) drops the calling list's full indexes and
  // builds them again, sorted, before COMMIT: the same transaction, so every other connection
  // sees them throughout (a rollback puts them back too).
  // Kept: the chain index while a chain_id column is read (the import looks chains up), and the
  // partial callback indexes, which an imported General record does not enter.
  let deferred: string[] | undefined;
  const deferIndexes = (bytes: number): string[] => {
    const expected = bytes > 0 ? ((imported + skipped) * size) / bytes : 0;
    if (expected < 100_000) return [];
    const have = db.prepare('SELECT count(*) FROM calling_list').pluck().get() as number;
    if (expected < have / 4) return [];
    const names = ['calling_list_dialable', 'calling_list_contact', ...(hasChainCol ? [] : ['calling_list_chain'])];
    const found = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (${names.map(() => '?').join(', ')})`).all(...names) as { name: string; sql: string }[];
    for (const f of found) db.exec(`DROP INDEX ${f.name}`);
    return found.map((f) => f.sql);
  };
  const progress = new Progress(o.stderr, size);
  const reader = new CsvReader(onRecord);
  const decoder = new Utf8Decoder();
  try {
    try {
      for await (const chunk of input) {
        reader.feed(decoder.write(chunk as Buffer));
        progress.update(input.bytesRead, imported + skipped);
        if (inTx && deferred === undefined) {
          deferred = deferIndexes(input.bytesRead);
          if (deferred.length) progress.tail = 0.4;
        }
      }
      reader.feed(decoder.end());
      reader.end();
      flush();
    } catch (e) {
      if (e instanceof CsvSyntaxError) throw new RecordsIoError(`${file} line ${e.line}: ${e.message}; nothing was imported`);
      if ((e as NodeJS.ErrnoException).syscall === 'read') throw new RecordsIoError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`);
      throw e;
    }
    if (!inTx) throw new RecordsIoError(`${file} is empty: the first line must be the header (${REQUIRED.join(', ')}, ...)`);
    progress.finishing(imported + skipped);
    if (imported > 0) {
      for (const [tz, [from, till]] of hours) s.zone.run(campaign.id, tz, from, till);
      s.setCounter.run('record', Math.max(nextRecord, maxRecordUsed + 1));
      s.setCounter.run('chain', Math.max(nextChain, maxChainUsed + 1));
      // Other processes take the change in (and re-arm callback timers) at their next transaction.
      store.bumpRevisionNow();
    }
    if (hasChainCol) db.exec('DELETE FROM temp.import_chain');
    const indexes = deferred ?? [];
    indexes.forEach((sql, i) => {
      progress.finishing(imported + skipped, `building index ${i + 1} of ${indexes.length}`);
      db.exec(sql);
    });
    progress.finishing(imported + skipped, 'committing');
    db.exec('COMMIT');
    inTx = false;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof RecordsIoError) throw e;
    const code = (e as { code?: string }).code;
    if (code?.startsWith('SQLITE_')) throw new RecordsIoError(`nothing was imported: ${(e as Error).message} (${code})`);
    throw e;
  } finally {
    progress.done();
    input.destroy();
  }
  if (listed.length) {
    for (const l of listed) o.stderr.write(`callback-desk: skipped ${visibleText(l.text)}\n`);
    if (skipped > listed.length) o.stderr.write(`callback-desk: ... and ${skipped - listed.length} more bad lines\n`);
  }
  if (skipped) o.stderr.write(`callback-desk: ${skipped} bad line${skipped === 1 ? '' : 's'} skipped\n`);
  return { imported, skipped };
}

// ---- progress ------------------------------------------------------------------------------------

/** A one-line progress bar on a terminal's stderr (nothing when stderr is not a TTY). */
class Progress {
  private readonly on: boolean;
  private readonly start = Date.now();
  private last = 0;
  private drawn = false;
  private readSecs: number | undefined;
  /** The work after the last row, as a share of the reading time. */
  tail = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly total: number,
  ) {
    this.on = !!stream.isTTY;
  }

  update(bytes: number, rows: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const share = this.total > 0 ? Math.min(1, bytes / this.total) : 1;
    const rate = secs > 0 ? Math.round(rows / secs) : 0;
    // Reading, then (a large import) the indexes built again: about 0.4 of the reading time here.
    const left = share > 0 && share < 1 ? Math.round((secs / share) * (1 - share + this.tail)) : 0;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const fill = Math.round(share * width);
    const bar = `${'#'.repeat(fill)}${'-'.repeat(width - fill)}`;
    const text = `importing [${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${rate.toLocaleString('en-US')} records/s  ${left}s left`;
    this.stream.write(`\r${text}\u001b[K`);
    this.drawn = true;
  }

  /** Every row read: what is left is the indexes and the COMMIT (a third of the time at a million rows), step by step. */
  finishing(rows: number, step = 'writing them to the state file'): void {
    if (!this.on || !this.drawn) return;
    this.readSecs ??= (Date.now() - this.start) / 1000;
    const since = (Date.now() - this.start) / 1000 - this.readSecs;
    this.stream.write(`\rimporting: ${rows.toLocaleString('en-US')} rows read in ${this.readSecs.toFixed(1)} s; ${step}${since >= 1 ? ` (${since.toFixed(0)} s)` : ''}\u001b[K`);
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
