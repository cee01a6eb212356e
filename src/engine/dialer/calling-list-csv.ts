import { CsvSyntaxError, readCsv } from '../../csv/csv-reader.js';
import type { TimeZones } from '../time/time-zones.js';
import type { SimRecord } from './campaign-sim.js';
import { RecordStatus, RecordType } from '../domain.js';
import { isDialledRecord } from '../dialing-rules.js';

/** A bad row of a calling-list CSV: the message names the line. */
export class CallingListError extends Error {}

/**
 * A calling list's contact_info: 7 to 15 digits (E.164's longest), an optional leading +. Checked
 * by pattern, not by libphonenumber: a million rows are read in seconds, and the desk checks a
 * number's country rules when an agent types one.
 */
export const CONTACT_INFO = /^\+?[0-9]{7,15}$/;
export const CONTACT_INFO_RULE = '7 to 15 digits, with an optional leading +';

/** A cell in a message: quoted (a line break stays on the line), cut short when long. */
function shownCell(v: string): string {
  return v.length <= 40 ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, 40))}… (${v.length} characters)`;
}

const REQUIRED = ['record_id', 'contact_info', 'daily_from', 'daily_till', 'tz'];

/**
 * Reads a calling list in the OCS field names (record_id, contact_info, daily_from, daily_till,
 * tz, and any others such as record_type or chain_id, which are kept out of the way). Only
 * Ready (record_status 1, or no status column) records of a dialable type are dialed.
 */
export function parseCallingListCsv(text: string, file: string, zones: TimeZones): SimRecord[] {
  // The one CSV reader, as records import reads a calling list (src/csv/csv-reader.ts).
  let records: ReturnType<typeof readCsv>;
  try {
    records = readCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CallingListError(`${file} line ${e.line}: ${e.message}`);
    throw e;
  }
  const head = records[0] ?? { fields: [''], line: 1, error: null };
  const header = head.fields;
  const firstAt = new Map<string, number>();
  header.forEach((name, i) => {
    const before = firstAt.get(name);
    if (before !== undefined) throw new CallingListError(`${file} line ${head.line}: column ${JSON.stringify(name)} appears twice (columns ${before + 1} and ${i + 1})`);
    firstAt.set(name, i);
  });
  for (const f of REQUIRED) if (!header.includes(f)) throw new CallingListError(`${file} line ${head.line}: missing column "${f}" (the header needs ${REQUIRED.join(', ')})`);
  const col = (name: string) => header.indexOf(name);
  const out: SimRecord[] = [];
  const seen = new Set<number>();
  for (let i = 1; i < records.length; i++) {
    const { fields: cells, line, error } = records[i];
    const at = `${file} line ${line}`;
    if (error) throw new CallingListError(`${at}: ${error}`);
    if (cells.length !== header.length) throw new CallingListError(`${at}: ${cells.length} fields, the header has ${header.length}`);
    const num = (name: string, min: number, max: number): number => {
      const v = cells[col(name)];
      if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new CallingListError(`${at}: ${name} ${shownCell(v)} must be a whole number from ${min} to ${max}`);
      return Number(v);
    };
    const id = num('record_id', 0, Number.MAX_SAFE_INTEGER);
    if (seen.has(id)) throw new CallingListError(`${at}: record_id ${id} appears twice`);
    seen.add(id);
    const from = num('daily_from', 0, 86400);
    const till = num('daily_till', 0, 86400);
    if (till <= from) throw new CallingListError(`${at}: daily_till (${till}) must be after daily_from (${from})`);
    const tz = cells[col('tz')];
    if (!zones.has(tz)) throw new CallingListError(`${at}: unknown time zone ${shownCell(tz)} in column tz (use an IANA name such as America/New_York)`);
    const contact = cells[col('contact_info')];
    if (!contact) throw new CallingListError(`${at}: contact_info is empty`);
    if (!CONTACT_INFO.test(contact)) throw new CallingListError(`${at}: contact_info ${shownCell(contact)} is not a phone number (${CONTACT_INFO_RULE})`);
    // A column left out (or empty) is a Ready General record; the rule says which others are dialled.
    const status = col('record_status') >= 0 && cells[col('record_status')] !== '' ? num('record_status', 0, 9) : RecordStatus.Ready;
    const type = col('record_type') >= 0 && cells[col('record_type')] !== '' ? num('record_type', 0, 7) : RecordType.General;
    if (!isDialledRecord(type, status)) continue;
    out.push({ record_id: id, contact_info: contact, daily_from: from, daily_till: till, tz });
  }
  if (out.length === 0) throw new CallingListError(`${file}: no dialable records (Ready, of a dialable record_type)`);
  return out;
}
