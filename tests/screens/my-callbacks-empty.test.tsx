import { afterEach, describe, expect, it } from 'vitest';
import { demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('an empty My Callbacks (issue 21)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`says there are none and how to make one, with the keys, at ${columns}x${rows}`, async () => {
      const engine = await demoEngine(7);
      const d = await mountDesk(engine, { columns, rows });
      cleanup = d.unmount;
      await d.keys('enter', 'n', '6');
      await d.until((s) => s.includes('0 pending'), 'with the list read');
      const s = d.screen();
      expect(s).toContain('No pending callbacks.');
      expect(s).toContain('To make one:');
      expect(s).toContain('· On a call: r Reschedule Callback, or b New Callback (Genesys).');
      expect(s).toContain('· For any contact: Team Communicator (4), find them, enter, New Callback.');
      expect(s).toContain('· From a script: callbacks add, or callbacks book (Genesys).');
      // No column header over nothing.
      expect(s).not.toContain('When (you · contact)');
      expect(s.split('\n').length).toBeLessThanOrEqual(rows);
    });
  }
});
