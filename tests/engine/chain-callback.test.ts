import { describe, expect, it } from 'vitest';
import { RecordType } from '../../src/engine/domain.js';
import { nextDialableRecord, scheduleCallback } from '../../src/engine/outbound.js';
import { T0, allRecords, demoEngine } from '../helpers/world.js';

describe('a chain with an open callback', () => {
  it('is not dialled on its other numbers until the callback is processed', async () => {
    const e = await demoEngine(7);
    await e.login('a.lopez', 'Place_3101');
    // Care Follow-up (Preview) records in New York whose chain has two numbers.
    const records = (await allRecords(e)).filter((r) => r.campaign_id === 'care-follow-up' && r.record_type === RecordType.General);
    const chainSize = new Map<number, number>();
    for (const r of records) chainSize.set(r.chain_id, (chainSize.get(r.chain_id) ?? 0) + 1);
    const first = records.find((r) => chainSize.get(r.chain_id)! >= 2 && r.chain_n === 1)!;
    const booked = await scheduleCallback(e, { recordId: first.record_id, when: { kind: 'instant', utc: T0 + 26 * 3600_000 }, personal: false, agentId: 'a.lopez' });
    expect(booked.ok).toBe(true);
    // Walk the campaign's dialable records (excluding each one found): none of that chain comes up.
    const seen: number[] = [];
    // The dialer's query runs inside a transaction (it reads the store as the dialer does).
    await e.exclusive(async () => {
      for (let i = 0; i < 400; i++) {
        const next = await nextDialableRecord(e, 'care-follow-up', seen);
        if (!next) break;
        expect(next.chain_id).not.toBe(first.chain_id);
        seen.push(next.record_id);
      }
    });
    expect(seen.length).toBeGreaterThan(10);
  });
});
