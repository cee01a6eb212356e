import { CALL_RESULT_NAMES, CallResult, RecordStatus, RecordType } from '../../engine/domain.js';
import { CONTACT_INFO, CONTACT_INFO_RULE } from '../../engine/dialer/calling-list-csv.js';
import { CSV_CONTACT_FIELDS, CSV_RECORD_FIELDS, type CsvContactField, type CsvRecordField, type ImportRow } from '../../engine/store-port.js';
import { MAX_ID_LENGTH, noSuch, shown } from '../names.js';

/**
 * The checks of `records import` that need nothing but the row: the header's columns, each
 * field's form, range and length, the zone, the agent. What needs the calling list (an id
 * already taken, a chain's rows that disagree) is the store's loader's (src/store).
 */

/** A user error of the records commands; the scripting commands turn it into one line and exit 2. */
export class RecordsIoError extends Error {}

/** A row that is not a record; `--skip-bad` skips it. */
export class BadRow extends Error {}

/** Accepted and ignored: the import's --campaign decides them. */
const IGNORED_COLUMNS = ['campaign_id', 'group_id', 'treatments', 'local_time'] as const;

export const REQUIRED = ['contact_info', 'daily_from', 'daily_till', 'tz'] as const;

export const KNOWN_COLUMNS = new Set<string>([...CSV_RECORD_FIELDS, ...CSV_CONTACT_FIELDS, ...IGNORED_COLUMNS]);

/** The header `records export` writes (then the contact's custom fields). */
export const EXPORT_COLUMNS: readonly string[] = [...CSV_RECORD_FIELDS, ...CSV_CONTACT_FIELDS];

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

const WHOLE = /^[0-9]+$/;

/** A CSV's header, read: where each field is, and the custom columns. */
export interface ImportHeader {
  names: string[];
  /** Column index of each calling-list and contact field, -1 when absent. */
  col: Record<CsvRecordField | CsvContactField, number>;
  custom: { at: number; key: string }[];
  /** The optional fields present. */
  present: Set<CsvRecordField | CsvContactField>;
}

/** Reads the header line (`at1`: "FILE line N", for the refusal). */
export function readHeader(fields: string[], at1: string): ImportHeader {
  const index = new Map<string, number>();
  const custom: { at: number; key: string }[] = [];
  fields.forEach((name, at) => {
    if (name === '') throw new RecordsIoError(`${at1}: column ${at + 1} has no name`);
    if (index.has(name)) throw new RecordsIoError(`${at1}: column ${shown(name)} appears twice`);
    index.set(name, at);
    if (KNOWN_COLUMNS.has(name)) return;
    if ([...name].length > IMPORT_LIMITS.columnName) throw new RecordsIoError(`${at1}: the name of custom column ${at + 1} has ${[...name].length} characters; at most ${IMPORT_LIMITS.columnName}`);
    custom.push({ at, key: name });
  });
  if (custom.length > IMPORT_LIMITS.customColumns) {
    throw new RecordsIoError(`${at1}: ${custom.length} custom columns (beside the calling-list fields); at most ${IMPORT_LIMITS.customColumns}`);
  }
  for (const f of REQUIRED) {
    if (!index.has(f)) throw new RecordsIoError(`${at1}: missing column "${f}" (the header needs ${REQUIRED.join(', ')}; record_id, record_type, record_status and the other calling-list fields are optional)`);
  }
  const all = [...CSV_RECORD_FIELDS, ...CSV_CONTACT_FIELDS];
  const col = Object.fromEntries(all.map((c) => [c, index.get(c) ?? -1])) as ImportHeader['col'];
  return { names: fields, col, custom, present: new Set(all.filter((c) => col[c] >= 0)) };
}

export interface RowCheckContext {
  /** Whether a zone is an IANA zone of the zone database. */
  isZone(tz: string): boolean;
  /** The agents of the state: a callback held for anyone else would wait for nobody. */
  agents: readonly string[];
  newIds: boolean;
}

/** Checks one data row of the CSV against the header; throws BadRow naming what is wrong. */
export class RowChecker {
  private readonly width: number;
  private readonly limits: number[];
  private readonly agents: Set<string>;
  /** Zones seen already (a zone is looked up once). */
  private readonly zonesSeen = new Set<string>();
  private readonly customJson: { at: number; keyJson: string }[];

  constructor(
    private readonly h: ImportHeader,
    private readonly ctx: RowCheckContext,
  ) {
    this.width = h.names.length;
    this.limits = h.names.map(limitOf);
    this.agents = new Set(ctx.agents);
    this.customJson = h.custom.map((c) => ({ at: c.at, keyJson: `${JSON.stringify(c.key)}:` }));
  }

  private whole(f: string[], c: number, name: string, min: number, max: number, dflt: number | null): number | null {
    if (c < 0) return dflt;
    const v = f[c];
    if (v === '') return dflt;
    if (!WHOLE.test(v) || Number(v) < min || Number(v) > max) throw new BadRow(`${name} "${v}" must be a whole number from ${min} to ${max}`);
    return Number(v);
  }

  check(f: string[], line: number): ImportRow {
    const { col } = this.h;
    const width = this.width;
    if (f.length !== width) throw new BadRow(`${f.length} fields, the header has ${width}`);
    for (let i = 0; i < width; i++) {
      // Counted in UTF-16 units first (never fewer than the characters): the count is rarely needed.
      if (f[i].length > this.limits[i] && [...f[i]].length > this.limits[i]) throw new BadRow(`${this.h.names[i]} has ${[...f[i]].length} characters; at most ${this.limits[i]}`);
    }
    const contactInfo = f[col.contact_info];
    if (contactInfo === '') throw new BadRow('contact_info is empty');
    if (!CONTACT_INFO.test(contactInfo)) throw new BadRow(`contact_info "${contactInfo}" is not a phone number (${CONTACT_INFO_RULE})`);
    const tz = f[col.tz];
    if (tz === '') throw new BadRow('tz is empty');
    if (!this.zonesSeen.has(tz)) {
      if (!this.ctx.isZone(tz)) throw new BadRow(`unknown time zone "${tz}" (use an IANA name such as America/New_York)`);
      this.zonesSeen.add(tz);
    }
    if (f[col.daily_from] === '') throw new BadRow('daily_from is empty');
    if (f[col.daily_till] === '') throw new BadRow('daily_till is empty');
    const from = this.whole(f, col.daily_from, 'daily_from', 0, 86400, null)!;
    const till = this.whole(f, col.daily_till, 'daily_till', 0, 86400, null)!;
    if (till <= from) throw new BadRow(`daily_till (${till}) must be after daily_from (${from})`);
    const recordId = this.ctx.newIds ? null : this.whole(f, col.record_id, 'record_id', 1, Number.MAX_SAFE_INTEGER, null);
    const infoType = this.whole(f, col.contact_info_type, 'contact_info_type', 0, 11, 0)!;
    const type = this.whole(f, col.record_type, 'record_type', 0, 7, RecordType.General)!;
    const status = this.whole(f, col.record_status, 'record_status', 0, 9, RecordStatus.Ready)!;
    const result = this.whole(f, col.call_result, 'call_result', 0, 1000, CallResult.Unknown)!;
    if (!(result in CALL_RESULT_NAMES)) throw new BadRow(`call_result ${result} is not a call result code`);
    const attempt = this.whole(f, col.attempt, 'attempt', 0, 1_000_000, 0)!;
    const sched = this.whole(f, col.dial_sched_time, 'dial_sched_time', 0, 253402300799, null);
    const callTime = this.whole(f, col.call_time, 'call_time', 0, 253402300799, null);
    const givenDbid = this.whole(f, col.tz_dbid, 'tz_dbid', 1, 2 ** 31 - 1, null);
    const agent = col.agent_id < 0 || f[col.agent_id] === '' ? null : f[col.agent_id];
    // A callback or record held for an agent who is not in this state would wait for nobody.
    if (agent !== null && !this.agents.has(agent)) {
      throw new BadRow(`agent_id: ${noSuch('agent', agent, this.ctx.agents)}`);
    }
    const givenChain = this.whole(f, col.chain_id, 'chain_id', 1, Number.MAX_SAFE_INTEGER, null);
    const givenChainN = this.whole(f, col.chain_n, 'chain_n', 1, 1_000_000, null);
    const givenContact = col.contact_id < 0 || f[col.contact_id] === '' ? null : f[col.contact_id];
    if (status === RecordStatus.Ready && (type === RecordType.PersonalCallback || type === RecordType.CampaignCallback)) {
      if (sched === null) throw new BadRow(`an open callback (record_type ${type}) needs dial_sched_time`);
      if (type === RecordType.PersonalCallback && agent === null) throw new BadRow('an open Personal Callback (record_type 5) needs agent_id');
    }
    let fields = '{}';
    if (this.customJson.length) {
      fields = '{';
      for (const c of this.customJson) {
        const v = f[c.at];
        if (v === '') continue;
        fields += `${fields.length > 1 ? ',' : ''}${c.keyJson}${JSON.stringify(v)}`;
      }
      fields += '}';
    }
    return {
      line,
      record_id: recordId,
      contact_info: contactInfo,
      contact_info_type: infoType,
      record_type: type,
      record_status: status,
      call_result: result,
      attempt,
      dial_sched_time: sched,
      call_time: callTime,
      daily_from: from,
      daily_till: till,
      tz_dbid: givenDbid,
      tz,
      agent_id: agent,
      chain_id: givenChain,
      chain_n: givenChainN,
      contact_id: this.ctx.newIds ? null : givenContact,
      callback_local: col.callback_local < 0 || f[col.callback_local] === '' ? null : f[col.callback_local],
      disposition: col.disposition < 0 || f[col.disposition] === '' ? null : f[col.disposition],
      first_name: col.first_name < 0 ? '' : f[col.first_name],
      last_name: col.last_name < 0 ? '' : f[col.last_name],
      email: col.email < 0 ? '' : f[col.email],
      fields,
    };
  }
}
