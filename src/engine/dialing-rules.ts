import { CallResult, RecordStatus, RecordType, type CallingListRecord } from './domain.js';

/**
 * Which calling-list records may be dialled, and in what order: the one home of the rule. The
 * store's queries are built from these definitions (src/store/dialing-sql.ts), the Preview
 * request and the dialer ask the store, the `sim` command's calling list is read with them, and
 * tests/engine/dialing-rules.test.ts checks on random calling lists that the store chooses what
 * `pickNextRecord` chooses.
 *
 * As OCS selects: Ready records only; due campaign callbacks first, earliest first (a personal
 * callback goes to its agent, never to the dialer); then the records dialled in turn (General,
 * and Campaign Rescheduled: a retry the campaign set) that are due, least tried first, then
 * lowest record_id. A number is dialled only inside its contact hours; a chain is left alone
 * while one of its records is on a desk, once one is No Call or Do Not Call, and while another
 * of its records holds an open callback (the customer asked to be called then).
 */

/** Record types dialled in turn after the due campaign callbacks. */
export const DIALLED_IN_TURN: readonly RecordType[] = [RecordType.General, RecordType.CampaignRescheduled];
/** Open callbacks: a callback type waiting for its time (Ready). */
export const CALLBACK_TYPES: readonly RecordType[] = [RecordType.PersonalCallback, RecordType.CampaignCallback];
/** Every type the dialer dials (a personal callback goes to its agent instead). */
export const DIALLED_TYPES: readonly RecordType[] = [...DIALLED_IN_TURN, RecordType.CampaignCallback];

/** Whether a record of this type and status is one the dialer may dial (when due, in hours, its chain free). */
export function isDialledRecord(type: number, status: number): boolean {
  return status === RecordStatus.Ready && (DIALLED_TYPES as readonly number[]).includes(type);
}

/** Contact hours: [daily_from, daily_till) in seconds of the day in the record's own zone. */
export function inContactHours(r: Pick<CallingListRecord, 'daily_from' | 'daily_till'>, secondsOfDay: number): boolean {
  return secondsOfDay >= r.daily_from && secondsOfDay < r.daily_till;
}

/**
 * Whether `other`, a record of the same chain, keeps `self` from being dialled: on a desk
 * (Retrieved), No Call, Do Not Call, or an open callback of its own.
 */
export function blocksChain(other: Pick<CallingListRecord, 'record_id' | 'record_status' | 'record_type' | 'call_result'>, selfId: number): boolean {
  return (
    other.record_status === RecordStatus.Retrieved ||
    other.record_type === RecordType.NoCall ||
    other.call_result === CallResult.DoNotCall ||
    (other.record_status === RecordStatus.Ready && (CALLBACK_TYPES as readonly number[]).includes(other.record_type) && other.record_id !== selfId)
  );
}

/** A record's due time has come (none set: due at once). UTC ms. */
export function isDue(r: Pick<CallingListRecord, 'dialSchedAt'>, now: number): boolean {
  return r.dialSchedAt === null || r.dialSchedAt <= now;
}

/**
 * The next record of a campaign the dialer (or a Preview request) takes, from the records in
 * memory: the rule as plain code, which the store's indexed queries must agree with.
 * `secondsOfDay(tz)` reads the time of day now in a zone.
 */
export function pickNextRecord(
  records: readonly CallingListRecord[],
  q: { campaignId: string; now: number; secondsOfDay: (tz: string) => number; exclude?: readonly number[] },
): CallingListRecord | undefined {
  const excluded = new Set(q.exclude ?? []);
  // OCS seconds: a due time is compared in whole seconds, as the table holds it.
  const nowSec = Math.floor(q.now / 1000) * 1000;
  const byChain = new Map<number, CallingListRecord[]>();
  for (const r of records) {
    const chain = byChain.get(r.chain_id);
    if (chain) chain.push(r);
    else byChain.set(r.chain_id, [r]);
  }
  const eligible = (r: CallingListRecord) =>
    r.campaign_id === q.campaignId &&
    r.record_status === RecordStatus.Ready &&
    !excluded.has(r.record_id) &&
    inContactHours(r, q.secondsOfDay(r.tz)) &&
    !(byChain.get(r.chain_id) ?? []).some((o) => blocksChain(o, r.record_id));
  const callbacks = records
    .filter((r) => r.record_type === RecordType.CampaignCallback && r.dialSchedAt !== null && r.dialSchedAt <= nowSec && eligible(r))
    .sort((a, b) => a.dialSchedAt! - b.dialSchedAt! || a.record_id - b.record_id);
  if (callbacks.length) return callbacks[0];
  const inTurn = records
    .filter((r) => (DIALLED_IN_TURN as readonly number[]).includes(r.record_type) && isDue(r, nowSec) && eligible(r))
    .sort((a, b) => a.attempt - b.attempt || a.record_id - b.record_id);
  return inTurn[0];
}
