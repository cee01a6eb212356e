import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { Result } from '../../src/engine/result.js';
import { callActionRefusal, type CallAction } from '../../src/engine/call-actions.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { answerPushPreview, dialPreview, endCall, requestPreviewRecord, setPendingReschedule } from '../../src/engine/outbound.js';
import { demoEngine } from '../helpers/world.js';

/**
 * A call action is offered (its key enabled, no disabled reason) exactly when its command would
 * accept it: on random sequences of actions and waits, each command's answer agrees with the
 * check the call window shows (engine/call-actions.ts), before it runs.
 */

const ACTIONS: CallAction[] = ['reject', 'decline', 'dial', 'end', 'reschedule', 'done'];
type Step = { kind: 'act'; action: CallAction } | { kind: 'wait'; seconds: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACTIONS).map((action): Step => ({ kind: 'act', action })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((seconds): Step => ({ kind: 'wait', seconds })) },
);

function run(e: Engine, action: CallAction, id: string): Promise<Result<unknown>> {
  switch (action) {
    case 'reject':
    case 'decline':
      return answerPushPreview(e, id, action);
    case 'dial':
      return dialPreview(e, id);
    case 'end':
      return endCall(e, id);
    case 'reschedule':
      // Clearing a pending reschedule runs the command's whole check, as setting one does.
      return setPendingReschedule(e, id, null);
    case 'done':
      return e.markDone(id);
  }
}

/** A Preview call on a desk with nothing else going on: the other campaigns stopped. */
async function previewCall(): Promise<{ e: Engine; id: string }> {
  const e = await demoEngine(5);
  for (const id of Object.keys(e.state.campaigns)) if (id !== 'care-follow-up' && e.state.campaigns[id].status === 'Started') await setCampaignStatus(e, id, 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  await e.login('a.lopez', 'P');
  const got = await requestPreviewRecord(e, 'care-follow-up');
  if (!got.ok) throw new Error(got.error);
  return { e, id: got.value.id };
}

describe('call actions', () => {
  it('are offered exactly when their command accepts them', { timeout: 240_000 }, async () => {
    const tried = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { e, id } = await previewCall();
        for (const step of steps) {
          if (step.kind === 'wait') {
            await e.advanceBy(step.seconds * 1000);
            continue;
          }
          const it = e.state.interactions[id];
          if (!it || it.state === 'done') return;
          const rec = await e.read((q) => q.records.get(it.outbound!.recordId));
          const refusal = callActionRefusal(e, step.action, it, rec);
          const r = await run(e, step.action, id);
          tried.set(`${step.action} ${refusal === null ? 'offered' : 'refused'}`, (tried.get(`${step.action} ${refusal === null ? 'offered' : 'refused'}`) ?? 0) + 1);
          expect(r.ok, `${step.action} in state ${it.state}: offered ${refusal === null}, the command said ${r.ok ? 'ok' : r.error}`).toBe(refusal === null);
          if (!r.ok) expect(r.error).toBe(refusal);
        }
      }),
      { numRuns: 60, seed: 20 },
    );
    // Each action was seen offered and refused (the property was not checked on one side only).
    for (const a of ['dial', 'end', 'done']) {
      expect(tried.get(`${a} offered`), a).toBeGreaterThan(0);
      expect(tried.get(`${a} refused`), a).toBeGreaterThan(0);
    }
    expect(tried.get('reject refused')).toBeGreaterThan(0);
  });
});
