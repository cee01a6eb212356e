import { describe, expect, it } from 'vitest';
import { stepWallTime } from '../../src/engine/time/wall-step.js';
import { testZones } from '../helpers/world.js';

/** The time field's arrows, on the day New York springs forward (8 March 2026, 02:00 to 03:00). */
describe('stepping a wall time', () => {
  const zones = testZones();
  const at = (hour: number, minute: number, day = 8) => ({ year: 2026, month: 3, day, hour, minute });

  it('steps over the hour daylight saving skips, forward and back', () => {
    expect(stepWallTime(zones, 'America/New_York', at(1, 59), 1)).toEqual(at(3, 0));
    expect(stepWallTime(zones, 'America/New_York', at(3, 0), -1)).toEqual(at(1, 59));
    expect(stepWallTime(zones, 'America/New_York', at(1, 30), 60)).toEqual(at(3, 0));
    expect(stepWallTime(zones, 'America/New_York', at(3, 30), -60)).toEqual(at(1, 59));
    // In London nothing is skipped that day: 02:00 is a time there.
    expect(stepWallTime(zones, 'Europe/London', at(1, 59), 1)).toEqual(at(2, 0));
  });

  it('keeps the fall-back hour (it happens twice) and turns the day at midnight', () => {
    expect(stepWallTime(zones, 'America/New_York', { year: 2026, month: 11, day: 1, hour: 0, minute: 59 }, 60)).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 59 });
    expect(stepWallTime(zones, 'America/New_York', { year: 2026, month: 3, day: 31, hour: 23, minute: 59 }, 1)).toEqual({ year: 2026, month: 4, day: 1, hour: 0, minute: 0 });
    expect(stepWallTime(zones, 'America/New_York', { year: 2026, month: 1, day: 1, hour: 0, minute: 0 }, -1)).toEqual({ year: 2025, month: 12, day: 31, hour: 23, minute: 59 });
  });
});
