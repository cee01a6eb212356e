import { describe, expect, it } from 'vitest';
import { CallResult, RecordStatus, RecordType } from '../../src/engine/domain.js';
import { T0, allRecords, demoEngine, restart } from '../helpers/world.js';

describe('the callback hopper', () => {
  it('delivers every callback of a window fuller than one batch, once, across a restart', async () => {
    const e = await demoEngine(7, T0);
    // Winter Appeal makes every callback personal and does not pass missed ones to the campaign.
    const base = (await allRecords(e)).find((r) => r.campaign_id === 'winter-appeal')!;
    // 25,000 personal callbacks of an agent who is not logged in, all due within ten minutes:
    // each is missed once its grace period is over (record_status 8, call_result 47).
    const n = 25_000;
    await e.store.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        await tx.records.put({
          ...base,
          record_id: 9_000_000 + i,
          chain_id: 9_000_000 + i,
          contact_info: `+1212${String(5000000 + i)}`,
          record_type: RecordType.PersonalCallback,
          record_status: RecordStatus.Ready,
          agent_id: 'a.lopez',
          daily_from: 0,
          daily_till: 86400,
          dialSchedAt: T0 + 3600_000 + (i % 600) * 1000,
        });
      }
      await tx.bumpRevision();
    });
    const again = await restart(e);
    await again.advanceBy(3600_000 + 5 * 60_000);
    const mid = await restart(again); // a restart in the middle of the window
    await mid.advanceBy(60 * 60_000);
    const ours = (await allRecords(mid)).filter((r) => r.record_id >= 9_000_000);
    expect(ours).toHaveLength(n);
    for (const r of ours) {
      expect(r.record_status).toBe(RecordStatus.MissedCallback);
      expect(r.call_result).toBe(CallResult.AgentCallbackError);
      expect(r.treatments.filter((t) => t.startsWith('Missed personal callback'))).toHaveLength(1);
    }
  }, 60_000);
});
