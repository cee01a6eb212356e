import { CallResult, RecordStatus, RecordType } from '../engine/domain.js';
import { CALLBACK_TYPES, DIALLED_IN_TURN } from '../engine/dialing-rules.js';

/**
 * The dialing rules of engine/dialing-rules.ts as SQL, the same text on SQLite and PostgreSQL:
 * the queries of both backends are built from these, so the store chooses what the rule does.
 */

const list = (xs: readonly number[]) => xs.join(', ');

/** Open callbacks (Ready, of a callback type), for `record_type IN (...)`. */
export const CALLBACK_TYPES_SQL = list(CALLBACK_TYPES);

/** The record types dialled in turn; each is probed on its own (calling_list_dialable is ordered within one type). */
export const IN_TURN_TYPES: readonly number[] = DIALLED_IN_TURN;

export const READY = RecordStatus.Ready;
export const CAMPAIGN_CALLBACK = RecordType.CampaignCallback;
export const PERSONAL_CALLBACK = RecordType.PersonalCallback;

/**
 * `r`'s chain is free (blocksChain): none of its records on a desk, No Call or Do Not Call, or
 * holding an open callback other than `r` itself.
 */
export const CHAIN_FREE = `NOT EXISTS (SELECT 1 FROM calling_list c WHERE c.chain_id = r.chain_id AND (c.record_status = ${RecordStatus.Retrieved} OR c.record_type = ${RecordType.NoCall} OR c.call_result = ${CallResult.DoNotCall} OR (c.record_status = ${RecordStatus.Ready} AND c.record_type IN (${CALLBACK_TYPES_SQL}) AND c.record_id <> r.record_id)))`;

/** Inside the contact hours (inContactHours) at `sod`, the seconds of day in the record's zone (a parameter or a column). */
export const inContactHoursSql = (sod: string, prefix = '') => `${prefix}daily_from <= ${sod} AND ${prefix}daily_till > ${sod}`;
