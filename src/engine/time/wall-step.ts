import type { TimeZones, WallTime } from './time-zones.js';

/** The date `days` after (or before) a wall date, by the calendar. */
function shiftDate(w: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * A wall time stepped by `minutes` on the clock face (the day turning over at midnight), as the
 * time field's arrows step: a time daylight saving skips in `tz` is stepped over, to the first
 * time after the gap going forward, the last before it going back, so the field never rests on
 * a time that does not exist. Times of the fall-back hour exist (twice) and are kept.
 */
export function stepWallTime(zones: TimeZones, tz: string, w: WallTime, minutes: number): WallTime {
  const total = w.hour * 60 + w.minute + minutes;
  const dayShift = Math.floor(total / 1440);
  const inDay = ((total % 1440) + 1440) % 1440;
  const date = dayShift ? shiftDate(w, dayShift) : { year: w.year, month: w.month, day: w.day };
  const next: WallTime = { ...date, hour: Math.floor(inDay / 60), minute: inDay % 60 };
  const r = zones.resolve(tz, next);
  if (r.kind !== 'gap') return next;
  // In the gap: the wall time just past it (its first instant), or the one just before.
  const at = zones.toWall(tz, minutes > 0 ? r.after : r.before);
  return { year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute };
}
