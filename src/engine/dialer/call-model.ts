import { CallResult } from '../domain.js';
import type { Random } from '../random.js';

/** Abandoned calls: not connected to an agent within 2 seconds of the answer (US/UK rules); the one window both dialers keep. */
export const ABANDON_AFTER_SEC = 2;

/** Outcome shares of an attempt that is not a live answer (they sum to 1). */
export const NON_LIVE_SHARES: [CallResult, number][] = [
  [CallResult.NoAnswer, 0.4],
  [CallResult.Busy, 0.15],
  [CallResult.AnsweringMachine, 0.3],
  [CallResult.FaxDetected, 0.03],
  [CallResult.SITInvalidNumber, 0.05],
  [CallResult.SITDetected, 0.02],
  [CallResult.WrongNumber, 0.05],
];

/** Rings before "no answer": at least 15 seconds (about four rings). */
export const NO_ANSWER_RING_SEC = 15;

/** One attempt's drawn outcome: its call_result and seconds until it is known. */
export interface CallOutcome {
  result: CallResult;
  ringSec: number;
}

/**
 * One attempt's outcome and how long it rings (or takes to detect): the one call model, for
 * calls dialed at the desk and in the campaign simulation alike. `out` is filled and returned,
 * so the simulation draws millions without allocating.
 */
export function drawCallOutcome(rnd: Random, hitRate: number, out: CallOutcome = { result: CallResult.Unknown, ringSec: 0 }): CallOutcome {
  if (rnd.next() < hitRate) {
    // A live person: the wrong one 5% of the time.
    out.result = rnd.next() < 0.05 ? CallResult.WrongParty : CallResult.Answer;
    out.ringSec = Math.min(30, 3 + rnd.exponential(7));
    return out;
  }
  let y = rnd.next();
  let result: CallResult = CallResult.NoAnswer;
  for (let i = 0; i < NON_LIVE_SHARES.length; i++) {
    y -= NON_LIVE_SHARES[i][1];
    if (y < 0) {
      result = NON_LIVE_SHARES[i][0];
      break;
    }
  }
  out.result = result;
  // A no answer rings at least 15 seconds (four rings); machines and faxes take detection time;
  // busy, SIT and wrong numbers are known at once.
  if (result === CallResult.NoAnswer) out.ringSec = NO_ANSWER_RING_SEC + 15 * rnd.next();
  else if (result === CallResult.AnsweringMachine || result === CallResult.FaxDetected) out.ringSec = 5 + 10 * rnd.next();
  else out.ringSec = 1 + 3 * rnd.next();
  return out;
}
