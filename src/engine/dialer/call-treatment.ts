import { CallResult } from '../domain.js';

/**
 * What a call result does to its record (OCS treatments): whether the record is finished or
 * dialed again, and after how long. One table, for the desk and for `sim` alike.
 */
export interface RetryPolicy {
  /** Attempts after which a record is finished whatever the result. */
  attemptLimit: number;
  /** Seconds before a busy number is dialed again. */
  busyRetrySec: number;
  /** Seconds before an unanswered number (no answer, answering machine, abandoned) is dialed again. */
  noAnswerRetrySec: number;
}

/** *Default*: five attempts, busy again after 15 minutes, no answer after an hour. */
export const DEFAULT_RETRY: RetryPolicy = { attemptLimit: 5, busyRetrySec: 15 * 60, noAnswerRetrySec: 60 * 60 };

export type Treatment = { finished: true } | { finished: false; retryAfterSec: number };

/**
 * A live answer (the agent processes the record), a wrong party, a wrong or invalid number,
 * a fax and Do Not Call finish a record; busy, no answer, an answering machine, an abandoned or
 * dropped call and a network failure retry after the policy's interval, up to its attempt limit.
 */
export function treatCallResult(result: number, attempts: number, policy: RetryPolicy = DEFAULT_RETRY): Treatment {
  switch (result) {
    case CallResult.Answer:
    case CallResult.WrongParty:
    case CallResult.WrongNumber:
    case CallResult.SITInvalidNumber:
    case CallResult.SITDetected:
    case CallResult.FaxDetected:
    case CallResult.DoNotCall:
    case CallResult.CancelRecord:
      return { finished: true };
  }
  if (attempts >= policy.attemptLimit) return { finished: true };
  return { finished: false, retryAfterSec: result === CallResult.Busy || result === CallResult.AllTrunksBusy || result === CallResult.NoPortAvailable ? policy.busyRetrySec : policy.noAnswerRetrySec };
}
