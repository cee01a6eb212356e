import { createRequire } from 'node:module';
import type * as ChronoModule from 'chrono-node';
import type { TimeZones, WallTime } from './time-zones.js';

// chrono-node takes longer to load than the whole first frame; it is loaded on first use (the
// desktop warms it up once it is idle), so start-up does not pay for it.
const requireModule = createRequire(import.meta.url);
let chronoModule: typeof ChronoModule | undefined;
export function chrono(): typeof ChronoModule {
  return (chronoModule ??= requireModule('chrono-node') as typeof ChronoModule);
}

/**
 * What an agent typed for a callback time: a wall time in the contact's zone ("tomorrow 3pm",
 * "next monday", "12/24 9:30", "2026-12-01 10:00") or an instant ("in 2 hours").
 */
export type ParsedWhen =
  | { kind: 'wall'; wall: WallTime; hasTime: boolean }
  | { kind: 'instant'; utc: number };

/** A relative duration means an instant: "in 2 hours" is two hours from now, DST or not. */
const RELATIVE = /^\s*(in\s+\d|\d+\s*(min|minute|hour|day|week)s?\s+from\s+now)/i;

export function parseWhen(text: string, now: number, zone: string, zones: TimeZones): ParsedWhen | null {
  const t = text.trim();
  if (!t) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  if (iso) {
    const wall = { year: +iso[1], month: +iso[2], day: +iso[3], hour: iso[4] ? +iso[4] : 0, minute: iso[5] ? +iso[5] : 0 };
    return validWall(wall) ? { kind: 'wall', wall, hasTime: !!iso[4] } : null;
  }
  const results = chrono().parse(t, { instant: new Date(now), timezone: zones.offset(zone, now) }, { forwardDate: true });
  const r = results[0];
  // Refuse text that chrono only half understood ("tomorrow blah"): it must read it all.
  if (!r || r.index !== 0 || r.text.length < t.replace(/[.\s]+$/, '').length) return null;
  if (RELATIVE.test(t)) return { kind: 'instant', utc: r.start.date().getTime() };
  const s = r.start;
  const wall = { year: s.get('year')!, month: s.get('month')!, day: s.get('day')!, hour: s.get('hour') ?? 0, minute: s.get('minute') ?? 0 };
  return validWall(wall) ? { kind: 'wall', wall, hasTime: s.isCertain('hour') } : null;
}

/** A time of day typed into the time field: "15:30", "9:05", "3pm", "3:30 pm", "1530". */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const t = text.trim().toLowerCase();
  const m = /^(\d{1,2})(?::?(\d{2}))?\s*(am|pm|a|p)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const ampm = m[3];
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm.startsWith('p') && hour !== 12) hour += 12;
    if (ampm.startsWith('a') && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

function validWall(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour < 0 || w.hour > 23 || w.minute < 0 || w.minute > 59) return false;
  const dim = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= dim;
}

/** Adds days to a calendar date (no zone involved: a date is a date). */
export function addDays(d: { year: number; month: number; day: number }, n: number) {
  const x = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate() };
}

/** Adds months, keeping the day where the month allows (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: { year: number; month: number; day: number }, n: number) {
  const idx = d.year * 12 + (d.month - 1) + n;
  const year = Math.floor(idx / 12);
  const month = (idx % 12) + 1;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(d.day, dim) };
}
