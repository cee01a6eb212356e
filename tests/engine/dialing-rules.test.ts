import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallingListRecord } from '../../src/engine/domain.js';
import { pickNextRecord } from '../../src/engine/dialing-rules.js';
import type { StorePort } from '../../src/engine/store-port.js';
import { secondsOfDay } from '../../src/engine/time/time-zones.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { dropDatabases, freshDatabase } from '../helpers/pg-db.js';
import { T0, emptyWorld, record } from '../helpers/pg-fixtures.js';
import { testZones } from '../helpers/world.js';

/**
 * The dialing rule has one home (engine/dialing-rules.ts) and the store's queries are built from
 * it: on random calling lists, the record each backend's indexed query chooses is the one the
 * rule, written as plain code, chooses.
 */

const ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata'];
const CAMPAIGNS = ['camp', 'other'];

const recordArb = (id: number) =>
  fc
    .record({
      campaign: fc.constantFrom(...CAMPAIGNS),
      type: fc.constantFrom(0, 1, 2, 2, 2, 3, 3, 4, 5, 6, 6, 7),
      status: fc.constantFrom(1, 1, 1, 1, 2, 3, 4, 5, 8),
      result: fc.constantFrom(28, 28, 33, 7, 6, 51),
      attempt: fc.integer({ min: 0, max: 4 }),
      due: fc.option(fc.integer({ min: -6, max: 6 }), { nil: null }),
      dueSecond: fc.constantFrom(0, 0, 1, -1),
      tz: fc.constantFrom(...ZONES),
      from: fc.constantFrom(0, 8, 9, 10, 16),
      span: fc.constantFrom(4, 8, 13, 24),
      chain: fc.integer({ min: 0, max: 14 }),
    })
    .map(
      (p): CallingListRecord =>
        record({
          record_id: id,
          campaign_id: p.campaign,
          record_type: p.type as CallingListRecord['record_type'],
          record_status: p.status as CallingListRecord['record_status'],
          call_result: p.result as CallingListRecord['call_result'],
          attempt: p.attempt,
          // Due around now: whole hours either side, and a second before, at or after.
          dialSchedAt: p.due === null ? null : T0 + p.due * 3_600_000 + p.dueSecond * 1000,
          tz: p.tz,
          daily_from: p.from * 3600,
          daily_till: Math.min(24, p.from + p.span) * 3600,
          chain_id: 1000 + p.chain,
          agent_id: p.type === 5 ? 'a.lopez' : null,
        }),
    );

const listArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => recordArb(i + 1))));
const nowArb = fc.integer({ min: -12, max: 12 }).map((h) => T0 + h * 3_600_000 + 30_000);
const excludeArb = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 3 });

class Rollback extends Error {}

/** What the store's query chooses on these records, in a transaction rolled back after. */
async function storeChooses(store: StorePort, records: CallingListRecord[], now: number, exclude: number[]): Promise<number | null> {
  const zones = testZones();
  let chosen: number | null = null;
  await store
    .transaction(async (tx) => {
      for (const r of records) await tx.records.put(r);
      const r = await tx.records.nextDialable({ campaignId: 'camp', now, localSeconds: (tz) => secondsOfDay(zones.toWall(tz, now)), exclude });
      chosen = r?.record_id ?? null;
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return chosen;
}

function ruleChooses(records: CallingListRecord[], now: number, exclude: number[]): number | null {
  const zones = testZones();
  return pickNextRecord(records, { campaignId: 'camp', now, exclude, secondsOfDay: (tz) => secondsOfDay(zones.toWall(tz, now)) })?.record_id ?? null;
}

const stores: { name: string; store: StorePort }[] = [];
beforeAll(async () => {
  stores.push({ name: 'sqlite', store: (await SqliteStore.open(':memory:', emptyWorld)).store });
  const db = await freshDatabase('dialing_rules');
  stores.push({ name: 'postgres', store: (await PgStore.open(db.url, emptyWorld)).store });
}, 120_000);
afterAll(async () => {
  for (const s of stores) await s.store.close();
  await dropDatabases();
});

describe('the dialing rule, one home', () => {
  it('is kept by the store: every backend chooses the record the rule chooses', { timeout: 240_000 }, async () => {
    let chosenSome = 0;
    await fc.assert(
      fc.asyncProperty(listArb, nowArb, excludeArb, async (records, now, exclude) => {
        const want = ruleChooses(records, now, exclude);
        if (want !== null) chosenSome++;
        for (const { name, store } of stores) expect(await storeChooses(store, records, now, exclude), name).toBe(want);
      }),
      { numRuns: 150, seed: 22 },
    );
    // The lists were not all undialable: the rule chose a record in many runs.
    expect(chosenSome).toBeGreaterThan(30);
  });

  it('takes a due campaign callback first, then the least tried record dialled in turn, Campaign Rescheduled included', async () => {
    const base = { campaign_id: 'camp', tz: 'America/New_York', daily_from: 0, daily_till: 86_400 };
    const records = [
      record({ ...base, record_id: 1, attempt: 2, record_type: 2 }),
      record({ ...base, record_id: 2, attempt: 1, record_type: 3, dialSchedAt: T0 - 60_000 }),
      record({ ...base, record_id: 3, attempt: 0, record_type: 3, dialSchedAt: T0 + 60_000 }),
      record({ ...base, record_id: 4, attempt: 0, record_type: 4 }),
    ];
    expect(ruleChooses(records, T0, [])).toBe(2);
    for (const { name, store } of stores) expect(await storeChooses(store, records, T0, []), name).toBe(2);
    const withCallback = [...records, record({ ...base, record_id: 5, attempt: 3, record_type: 6, dialSchedAt: T0 })];
    expect(ruleChooses(withCallback, T0, [])).toBe(5);
    for (const { name, store } of stores) expect(await storeChooses(store, withCallback, T0, []), name).toBe(5);
  });
});
