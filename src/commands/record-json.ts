import type { CallingListRecord } from '../engine/domain.js';
import { RECORD_STATUS_NAMES, RECORD_TYPE_NAMES } from '../engine/domain.js';
import type { TimeZones } from '../engine/time/time-zones.js';
import { isoLocalTime } from '../engine/time/iso-time.js';
import { toOcsSeconds } from '../engine/time/iso-time.js';
import { visibleText } from '../runtime/visible-text.js';

/**
 * A calling-list record for `--json`: the OCS field names, plus `tz` (the IANA zone) and
 * `local_time` (dial_sched_time as an ISO-8601 local time with its offset, or null).
 */
export function recordJson(r: CallingListRecord, zones: TimeZones) {
  return {
    record_id: r.record_id,
    contact_info: r.contact_info,
    contact_info_type: r.contact_info_type,
    record_type: r.record_type,
    record_status: r.record_status,
    call_result: r.call_result,
    attempt: r.attempt,
    dial_sched_time: toOcsSeconds(r.dialSchedAt),
    call_time: toOcsSeconds(r.callAt),
    daily_from: r.daily_from,
    daily_till: r.daily_till,
    tz_dbid: r.tz_dbid,
    campaign_id: r.campaign_id,
    agent_id: r.agent_id,
    chain_id: r.chain_id,
    chain_n: r.chain_n,
    tz: r.tz,
    local_time: r.dialSchedAt === null ? null : isoLocalTime(zones, r.tz, r.dialSchedAt),
  };
}

/**
 * One line per record for people: aligned columns, names beside the codes; a control character
 * of the row (a line break in a number written into the table by hand) drawn as its one-cell sign.
 */
export function recordLine(r: CallingListRecord, zones: TimeZones): string {
  const when = r.dialSchedAt === null ? '-' : zones.format(r.dialSchedAt, r.tz, 'yyyy-LL-dd HH:mm');
  const hh = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  const line = [
    // Ids of a large list have 8 digits (10,000,000 and up).
    String(r.record_id).padEnd(8),
    r.contact_info.padEnd(15),
    `${r.record_type} ${RECORD_TYPE_NAMES[r.record_type]}`.padEnd(20),
    `${r.record_status} ${RECORD_STATUS_NAMES[r.record_status]}`.padEnd(17),
    String(r.call_result).padEnd(3),
    when.padEnd(21),
    `${hh(r.daily_from)}-${hh(r.daily_till)}`,
    r.tz.padEnd(19),
    r.campaign_id.padEnd(15),
    (r.agent_id ?? '-').padEnd(10),
    `${r.chain_id}/${r.chain_n}`,
  ].join(' ');
  return visibleText(line);
}

export const RECORD_HEADER = [
  'id'.padEnd(8),
  'contact_info'.padEnd(15),
  'record_type'.padEnd(20),
  'record_status'.padEnd(17),
  'res',
  'dial_sched_time'.padEnd(21),
  'daily_hours',
  'tz'.padEnd(19),
  'campaign'.padEnd(15),
  'agent'.padEnd(10),
  'chain',
].join(' ');
