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
  /** A wall time; `zone` when the text named an IANA zone ("10:00 Europe/Berlin"), else the default zone's. */
  | { kind: 'wall'; wall: WallTime; hasTime: boolean; zone?: string }
  /** An instant; `readIn` names the offset or zone the text gave ("UTC", "UTC+05:30", "PST"). */
  | { kind: 'instant'; utc: number; readIn?: string };

/** ISO-8601 with its own zone: 2026-11-25T15:00:00Z, 2026-11-25 10:00 +0900, ...T10:00:00+05:30. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/i;
/** A trailing IANA zone name: "tomorrow 10:00 Europe/Berlin". */
const TRAILING_ZONE = /^(.*\S)\s+([A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;

function offsetLabel(min: number): string {
  if (min === 0) return 'UTC';
  const a = Math.abs(min);
  return `UTC${min < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A relative duration means an instant: "in 2 hours" is two hours from now, DST or not. */
const RELATIVE = /^\s*(in\s+\d|\d+\s*(min|minute|hour|day|week)s?\s+from\s+now)/i;

export function parseWhen(text: string, now: number, zone: string, zones: TimeZones): ParsedWhen | null {
  const t = text.trim();
  if (!t) return null;
  // An explicit zone or offset wins over the default zone.
  const withOffset = ISO_WITH_OFFSET.exec(t);
  if (withOffset) {
    const [, y, mo, d, h, mi, sec, off] = withOffset;
    const wall = { year: +y, month: +mo, day: +d, hour: +h, minute: +mi };
    if (!validWall(wall) || (sec !== undefined && +sec > 59)) return null;
    let offMin = 0;
    if (!/^(z|utc|gmt)$/i.test(off)) {
      const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(off)!;
      offMin = (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + (m[3] ? +m[3] : 0));
      if (+m[2] > 14 || (m[3] && +m[3] > 59)) return null;
    }
    const utc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, sec ? +sec : 0) - offMin * 60_000;
    return { kind: 'instant', utc, readIn: offsetLabel(offMin) };
  }
  const named = TRAILING_ZONE.exec(t);
  if (named && zones.has(named[2])) {
    const inner = parseWhen(named[1], now, named[2], zones);
    if (!inner) return null;
    return inner.kind === 'wall' ? { ...inner, zone: named[2] } : inner;
  }
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
  // A zone abbreviation chrono knows ("10:00 PST", "3pm CET") or an offset ("+0900").
  if (s.isCertain('timezoneOffset')) {
    const tzText = /([A-Za-z]{2,5}|[+-]\d{2}:?\d{2}|Z)\s*$/.exec(r.text)?.[1];
    return { kind: 'instant', utc: s.date().getTime(), readIn: tzText && /[A-Za-z]/.test(tzText) && tzText !== 'Z' ? tzText.toUpperCase() : offsetLabel(s.get('timezoneOffset') ?? 0) };
  }
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

/**
 * A time the text pinned to a zone of its own ("...Z", "+05:30", "PST", "10:00 Europe/Berlin"),
 * as an instant and the zone it was read in; null when the text named no zone (the form's zone
 * applies). In the fall-back hour of the named zone the first of the two times is taken.
 */
export function explicitInstant(p: ParsedWhen, zones: TimeZones): { utc: number; readIn: string } | { error: string } | null {
  if (p.kind === 'instant') return p.readIn ? { utc: p.utc, readIn: p.readIn } : null;
  if (!p.zone) return null;
  const res = zones.resolve(p.zone, p.wall);
  if (res.kind === 'gap') {
    return { error: `${String(p.wall.hour).padStart(2, '0')}:${String(p.wall.minute).padStart(2, '0')} does not exist in ${p.zone} on that day (the clocks skip it for daylight saving)` };
  }
  return { utc: res.kind === 'exact' ? res.utc : res.earlier, readIn: p.zone };
}

/**
 * A time typed into a time field, on the form's date: "15:30" or "3pm" in the form's zone, or
 * with a zone of its own ("15:30 UTC", "10:00 Europe/Berlin", "3pm PST", "14:00 +0900"), then
 * read there and shown in the form's zone (the date may move with it). null: not a time.
 */
export function parseTypedTime(
  text: string,
  date: { year: number; month: number; day: number },
  zone: string,
  now: number,
  zones: TimeZones,
): { hour: number; minute: number; date: { year: number; month: number; day: number }; readIn?: string } | { error: string } | null {
  const plain = parseTimeOfDay(text);
  if (plain) return { ...plain, date };
  const day = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  const p = parseWhen(`${day} ${text.trim()}`, now, zone, zones);
  if (!p) return null;
  const pinned = explicitInstant(p, zones);
  if (!pinned) return null;
  if ('error' in pinned) return pinned;
  const w = zones.toWall(zone, pinned.utc);
  return { hour: w.hour, minute: w.minute, date: { year: w.year, month: w.month, day: w.day }, readIn: pinned.readIn };
}

/**
 * Why a callback time at or before now is refused. A time in the current minute is not "in the
 * past" to someone reading minutes off the clock, so that one says so, with the seconds.
 */
export function notLaterThanNow(at: number, now: number, tz: string, zones: TimeZones): string {
  if (Math.floor(at / 60_000) === Math.floor(now / 60_000)) {
    return `${zones.format(at, tz, 'HH:mm')} is now (${zones.formatPlain(now, tz, 'HH:mm:ss')}): choose a later time`;
  }
  return `${zones.format(at, tz, 'ccc d LLL yyyy HH:mm')} is in the past (now ${zones.format(now, tz, 'ccc d LLL HH:mm')})`;
}
