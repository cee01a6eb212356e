import {
  abbrAt,
  offsetAt,
  transitionsBetween,
  type ZoneDatabase,
  type ZoneRules,
} from './zone-rules.js';

/** A wall-clock time with no zone attached: what an agent types or a contact lives by. */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/**
 * What a local time means in a zone. A time in a daylight-saving gap does not exist and is
 * refused with the nearest valid instants; a time in the fall-back hour happens twice.
 */
export type LocalResolution =
  | { kind: 'exact'; utc: number }
  | { kind: 'gap'; before: number; after: number }
  | { kind: 'overlap'; earlier: number; later: number };

const DAY = 86_400_000;

export function formatOffsetMinutes(total: number, format: 'narrow' | 'short' | 'techie' = 'short'): string {
  const sign = total < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(total));
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (format === 'narrow') return m ? `${sign}${h}:${String(m).padStart(2, '0')}` : `${sign}${h}`;
  const hh = String(h).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  return format === 'techie' ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
}

/** The engine's one door to time-zone rules. */
export class TimeZones {
  constructor(readonly db: ZoneDatabase) {}

  has(name: string): boolean {
    return this.db.get(name) !== undefined;
  }

  rules(name: string): ZoneRules {
    const r = this.db.get(name);
    if (!r) throw new Error(`unknown time zone "${name}"`);
    return r;
  }

  /** Offset east of UTC in minutes at an instant. */
  offset(name: string, utc: number): number {
    return offsetAt(this.rules(name), utc);
  }

  abbr(name: string, utc: number): string {
    return abbrAt(this.rules(name), utc);
  }

  toWall(name: string, utc: number): WallTime {
    const d = new Date(utc + this.offset(name, utc) * 60000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }

  /** Resolves a wall time to the instant(s) it names in a zone. */
  resolve(name: string, wall: WallTime): LocalResolution {
    const rules = this.rules(name);
    const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
    const candidates = new Set<number>([
      offsetAt(rules, wallMs - DAY),
      offsetAt(rules, wallMs),
      offsetAt(rules, wallMs + DAY),
    ]);
    const valid: number[] = [];
    for (const off of candidates) {
      const utc = wallMs - off * 60000;
      if (offsetAt(rules, utc) === off) valid.push(utc);
    }
    valid.sort((a, b) => a - b);
    if (valid.length === 1) return { kind: 'exact', utc: valid[0] };
    if (valid.length >= 2) return { kind: 'overlap', earlier: valid[0], later: valid[valid.length - 1] };
    // In a gap: the transition lies within a day of the wall time read as UTC.
    const t = transitionsBetween(rules, wallMs - DAY, wallMs + DAY).find((tr) => {
      const before = offsetAt(rules, tr - 1);
      const after = offsetAt(rules, tr);
      return after > before && wallMs >= tr + before * 60000 && wallMs < tr + after * 60000;
    });
    if (t === undefined) throw new Error(`cannot resolve ${JSON.stringify(wall)} in ${name}`);
    return { kind: 'gap', before: t - 60000, after: t };
  }

  /** Like resolve, but takes the earlier (or later) instant of an overlap; null in a gap. */
  instant(name: string, wall: WallTime, overlap: 'earlier' | 'later' = 'earlier'): number | null {
    const r = this.resolve(name, wall);
    if (r.kind === 'exact') return r.utc;
    if (r.kind === 'overlap') return overlap === 'earlier' ? r.earlier : r.later;
    return null;
  }

  /** "Tue 24 Nov 2026 10:00 PST": every time shown carries its zone. */
  format(utc: number, name: string, pattern = 'ccc d LLL yyyy HH:mm'): string {
    return `${this.formatPlain(utc, name, pattern)} ${this.abbr(name, utc)}`;
  }

  /** The wall time of `utc` in a zone, formatted without the zone label. */
  formatPlain(utc: number, name: string, pattern: string): string {
    return formatWall(this.toWall(name, utc), pattern);
  }
}

export function secondsOfDay(w: WallTime): number {
  return w.hour * 3600 + w.minute * 60 + (w.second ?? 0);
}

export function formatSecondsOfDay(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** ISO weekday, 1 = Monday ... 7 = Sunday. */
export function isoWeekday(w: Pick<WallTime, 'year' | 'month' | 'day'>): number {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * Formats a wall time with luxon-style tokens (ccc cccc d dd L LL LLL LLLL yyyy HH H mm ss h a).
 * English names from our own tables: the same text on every machine, whatever its ICU data,
 * and no Intl start-up cost on the first frame.
 */
export function formatWall(w: WallTime, pattern: string): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const wd = WEEKDAYS[isoWeekday(w) % 7];
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const tokens: Record<string, () => string> = {
    cccc: () => wd,
    ccc: () => wd.slice(0, 3),
    LLLL: () => MONTHS[w.month - 1],
    LLL: () => MONTHS[w.month - 1].slice(0, 3),
    LL: () => p2(w.month),
    L: () => String(w.month),
    yyyy: () => String(w.year).padStart(4, '0'),
    dd: () => p2(w.day),
    d: () => String(w.day),
    HH: () => p2(w.hour),
    H: () => String(w.hour),
    hh: () => p2(h12),
    h: () => String(h12),
    mm: () => p2(w.minute),
    ss: () => p2(w.second ?? 0),
    a: () => (w.hour < 12 ? 'AM' : 'PM'),
  };
  return pattern.replace(/'([^']*)'|cccc|ccc|LLLL|LLL|LL|L|yyyy|dd|d|HH|H|hh|h|mm|ss|a/g, (m, lit) => (lit !== undefined ? lit : tokens[m]()));
}
