import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { RecordType } from '../../src/engine/domain.js';
import { scheduleCallback } from '../../src/engine/outbound.js';
import { T0, allRecords, demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

const H = 3_600_000;
let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

/** a.lopez with three personal callbacks, the store's reads answering 150 ms late (a database across a network). */
async function slowWorld(): Promise<Engine> {
  const e = await demoEngine(7);
  await e.login('a.lopez', 'Place_3101');
  const general = (await allRecords(e)).filter((r) => r.record_type === RecordType.General && r.campaign_id === 'care-follow-up');
  for (let i = 0; i < 3; i++) {
    const b = await scheduleCallback(e, { recordId: general[i].record_id, when: { kind: 'instant', utc: T0 + 23 * H + i * H }, personal: true, agentId: 'a.lopez' });
    if (!b.ok) throw new Error(b.error.message);
  }
  const read = e.read.bind(e);
  e.read = (async (fn: Parameters<typeof read>[0]) => {
    await new Promise((r) => setTimeout(r, 150));
    return read(fn);
  }) as typeof e.read;
  return e;
}

describe('keys typed ahead of a list', () => {
  it('reach My Callbacks once its rows are read: 6 j j Enter in one burst opens the third', async () => {
    const e = await slowWorld();
    const d = await mountDesk(e);
    unmount = d.unmount;
    // One read of the terminal holding all four keys, as a fast typist or tmux send-keys gives them.
    await d.write('6jj\r');
    // The third: the personal callbacks are due tomorrow at 09:00, 10:00 and 11:00.
    await d.waitFor((s) => s.includes('Booked by'), 'a callback opened');
    expect(d.screen()).toContain('Wed 25 Nov 2026 11:00 EST for you');
  });
});
