import { describe, expect, it } from 'vitest';
import { ClockDriver } from '../../src/runtime/clock-driver.js';
import { demoEngine } from '../helpers/world.js';

const MIN = 60_000;

describe('the desktop clock', () => {
  it('makes up time its slice of a tick could not run: the clock catches up over the next ticks, none lost', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    // Real time moves 1 ms each time the clock asks, so each tick's 40 ms slice runs a few dozen
    // timers and stops short (as after a long refused spell, an import: many timers due at once).
    let real = 0;
    let asks = 0;
    const clock = new ClockDriver(e, 60, () => real + asks++);
    clock.start();
    clock.stop();
    const before = e.now;
    real = 10 * MIN; // ten real minutes at --speed 60: ten simulated hours, the dialer's timers in them
    await clock.tick();
    const afterOne = e.now;
    // Cut short: the first tick did not reach the target.
    expect(afterOne - before).toBeLessThan(10 * MIN * 60);
    expect(afterOne).toBeGreaterThan(before);
    // Further ticks, real time moving only by the asks: each runs another slice until the time is made up.
    let ticks = 1;
    while (e.now < before + 10 * MIN * 60 && ticks < 5_000) {
      await clock.tick();
      ticks++;
    }
    expect(ticks).toBeGreaterThan(1);
    // Made up whole: where ten real minutes at speed 60 put it, give or take the asks' own time.
    expect(e.now).toBeGreaterThanOrEqual(before + 10 * MIN * 60);
    expect(e.now).toBeLessThan(before + 10 * MIN * 60 + asks * 60 + 1);
  });
});
