import { CallResult } from '../domain.js';
import type { Random } from '../random.js';
import { NON_LIVE_SHARES, NO_ANSWER_RING_SEC } from './campaign-sim.js';

/**
 * One attempt's outcome and how long it rings (or takes to detect), for calls dialed at the
 * desk. The campaign simulation draws the same distribution inline, for speed.
 */
export function drawCallOutcome(rnd: Random, hitRate: number): { result: CallResult; ringMs: number } {
  if (rnd.next() < hitRate) {
    // A live person: the wrong one 5% of the time.
    const result = rnd.next() < 0.05 ? CallResult.WrongParty : CallResult.Answer;
    return { result, ringMs: Math.min(30_000, 3_000 + Math.round(rnd.exponential(7_000))) };
  }
  let y = rnd.next();
  let result: CallResult = CallResult.NoAnswer;
  for (const [code, share] of NON_LIVE_SHARES) {
    y -= share;
    if (y < 0) {
      result = code;
      break;
    }
  }
  // A no answer rings at least 15 seconds (four rings); machines and faxes take detection time.
  if (result === CallResult.NoAnswer) return { result, ringMs: NO_ANSWER_RING_SEC * 1000 + rnd.int(0, 15_000) };
  if (result === CallResult.AnsweringMachine || result === CallResult.FaxDetected) return { result, ringMs: 5_000 + rnd.int(0, 10_000) };
  return { result, ringMs: 1_000 + rnd.int(0, 3_000) };
}
