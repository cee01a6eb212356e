/**
 * IANA time-zone rules as the engine uses them: a sorted list of transition instants and the
 * UTC offset in force after each. Built from data handed in (a maintained npm data package or
 * the system's TZif files); this module never reads files itself.
 *
 * We do not trust the runtime's ICU zone data: Node 20 ships tzdata 2025c, which still has
 * British Columbia changing its clocks after 2026.
 */

export interface ZoneRules {
  readonly name: string;
  /** UTC epoch ms at which period i ends; the last period ends at +Infinity. */
  readonly untils: readonly number[];
  /** Offset east of UTC in minutes for period i (local = utc + offset). */
  readonly offsets: readonly number[];
  /** Abbreviation for period i ("PST", "+0545"). */
  readonly abbrs: readonly string[];
}

export interface ZoneDatabase {
  /** tzdata release, such as "2026f". */
  readonly version: string;
  /** Where the rules came from, for `--version`. */
  readonly source: string;
  /** Canonical zone names and links, sorted. */
  names(): readonly string[];
  get(name: string): ZoneRules | undefined;
}

/** Index of the period in force at `utcMs` (binary search over untils). */
export function periodAt(rules: ZoneRules, utcMs: number): number {
  const u = rules.untils;
  let lo = 0;
  let hi = u.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (utcMs < u[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function offsetAt(rules: ZoneRules, utcMs: number): number {
  return rules.offsets[periodAt(rules, utcMs)];
}

export function abbrAt(rules: ZoneRules, utcMs: number): string {
  return rules.abbrs[periodAt(rules, utcMs)];
}

/** Transition instants t (offset changes at t) with from <= t < to. */
export function transitionsBetween(rules: ZoneRules, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = periodAt(rules, from); i < rules.untils.length - 1; i++) {
    const t = rules.untils[i];
    if (t >= to) break;
    if (t >= from && rules.offsets[i] !== rules.offsets[i + 1]) out.push(t);
  }
  return out;
}

// ---- moment-timezone's packed format ------------------------------------------------------

function base60Digit(code: number): number {
  if (code > 96) return code - 87; // a-z -> 10..35
  if (code > 64) return code - 29; // A-Z -> 36..61
  return code - 48; // 0-9
}

/** moment-timezone packs numbers in base 60 with an optional fraction and sign. */
export function unpackBase60(s: string): number {
  let i = 0;
  let sign = 1;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    sign = -1;
  }
  const parts = s.slice(i).split('.');
  let whole = 0;
  for (const ch of parts[0]) whole = whole * 60 + base60Digit(ch.charCodeAt(0));
  let frac = 0;
  let mult = 1;
  for (const ch of parts[1] ?? '') {
    mult /= 60;
    frac += base60Digit(ch.charCodeAt(0)) * mult;
  }
  return (whole + frac) * sign;
}

/** One line of moment-timezone's packed data: name|abbrs|offsets|indices|untils|population. */
export function unpackMomentZone(line: string): ZoneRules {
  const [name, abbrList, offsetList, indexList = '', untilList = ''] = line.split('|');
  const abbrsByIdx = abbrList.split(' ');
  // moment stores minutes west of UTC; we store minutes east.
  const offsetsByIdx = offsetList.split(' ').map((o) => -unpackBase60(o));
  const offsets: number[] = [];
  const abbrs: string[] = [];
  for (let i = 0; i < indexList.length; i++) {
    const at = base60Digit(indexList.charCodeAt(i));
    offsets.push(roundOffset(offsetsByIdx[at]));
    abbrs.push(abbrsByIdx[at]);
  }
  if (offsets.length === 0) {
    offsets.push(roundOffset(offsetsByIdx[0]));
    abbrs.push(abbrsByIdx[0]);
  }
  const untils: number[] = [];
  unpackUntils(untilList, untils);
  while (untils.length < offsets.length) untils.push(Infinity);
  return { name, untils, offsets, abbrs };
}

/**
 * A zone's ends of periods: base-60 minutes, each the step from the one before, summed into
 * epoch ms (as unpackBase60 reads one, in the same arithmetic). One pass over the text, no
 * substring per number: New York has 1,161 of them, and splitting and parsing them one by one
 * took 12 ms the first time (cold code), under a preview's write lock in a team.
 */
function unpackUntils(list: string, out: number[]): void {
  const n = list.length;
  let acc = 0;
  let i = 0;
  while (i < n) {
    let sign = 1;
    if (list.charCodeAt(i) === 45) {
      sign = -1;
      i++;
    }
    let whole = 0;
    let c = list.charCodeAt(i);
    while (i < n && c !== 32 && c !== 46) {
      whole = whole * 60 + base60Digit(c);
      c = list.charCodeAt(++i);
    }
    let frac = 0;
    if (i < n && c === 46) {
      let mult = 1;
      c = list.charCodeAt(++i);
      while (i < n && c !== 32) {
        mult /= 60;
        frac += base60Digit(c) * mult;
        c = list.charCodeAt(++i);
      }
    }
    acc += (whole + frac) * sign;
    out.push(Math.round(acc * 60000));
    i++;
  }
}

/** LMT offsets have seconds; the engine works in whole seconds, expressed as fractional minutes. */
function roundOffset(min: number): number {
  return Math.round(min * 60) / 60;
}

export interface MomentPackedData {
  version: string;
  zones: string[];
  links: string[];
}

export function zoneDatabaseFromMoment(data: MomentPackedData, source: string): ZoneDatabase {
  const lines = new Map<string, string>();
  for (const z of data.zones) lines.set(z.slice(0, z.indexOf('|')), z);
  const links = new Map<string, string>();
  for (const l of data.links) {
    const [target, alias] = l.split('|');
    links.set(alias, target);
  }
  const cache = new Map<string, ZoneRules>();
  const names = [...lines.keys(), ...links.keys()].sort();
  return {
    version: data.version,
    source,
    names: () => names,
    get(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      const target = links.get(name) ?? name;
      const line = lines.get(target);
      if (!line) return undefined;
      const rules = { ...unpackMomentZone(line), name };
      cache.set(name, rules);
      return rules;
    },
  };
}

/**
 * The text of a file, searched and sliced where it lies: the platform hands over its bytes
 * undecoded (decoding moment-timezone's 730 KB file into a string took 4 to 5 ms of a start);
 * a string serves as well.
 */
export interface SearchableText {
  readonly length: number;
  indexOf(needle: string, from: number): number;
  lastIndexOf(needle: string, before: number): number;
  slice(from: number, to: number): string;
}

/** A string as SearchableText (tests, and any text already decoded). */
export function searchableString(text: string): SearchableText {
  return { length: text.length, indexOf: (n, f) => text.indexOf(n, f), lastIndexOf: (n, b) => text.lastIndexOf(n, b), slice: (f, t) => text.slice(f, t) };
}

/**
 * moment-timezone's packed data as the text of its JSON file, read a zone at a time: the
 * version from the head, a zone's line found in the text when it is first asked for. Parsing the
 * whole file (730 KB) and indexing its 600 zones took 16 ms of every start, for the two or three
 * zones a desktop uses. The whole is parsed only when the list of names is asked for. The
 * file's strings have no escapes (zone names, abbreviations and base-60 digits).
 */
export function zoneDatabaseFromMomentText(text: SearchableText, source: string): ZoneDatabase {
  const parseWhole = () => zoneDatabaseFromMoment(JSON.parse(text.slice(0, text.length)) as MomentPackedData, source);
  const version = /"version"\s*:\s*"([^"]*)"/.exec(text.slice(0, 400))?.[1];
  const zonesAt = text.indexOf('"zones"', 0);
  const linksAt = text.indexOf('"links"', 0);
  if (version === undefined || zonesAt < 0 || linksAt < zonesAt) return parseWhole();
  const afterLinks = text.indexOf('"countries"', linksAt);
  const linksEnd = afterLinks < 0 ? text.length : afterLinks;
  let whole: ZoneDatabase | undefined;
  const cache = new Map<string, ZoneRules | null>();
  /** The packed line of a zone (not a link), or undefined. */
  const lineOf = (name: string): string | undefined => {
    const at = text.indexOf(`"${name}|`, zonesAt);
    if (at < 0 || at > linksAt) return undefined;
    return text.slice(at + 1, text.indexOf('"', at + 1));
  };
  /** The zone a link names ("target|alias"), or undefined. */
  const targetOf = (alias: string): string | undefined => {
    const at = text.indexOf(`|${alias}"`, linksAt);
    if (at < 0 || at > linksEnd) return undefined;
    return text.slice(text.lastIndexOf('"', at) + 1, at);
  };
  return {
    version,
    source,
    names: () => (whole ??= parseWhole()).names(),
    get(name) {
      if (cache.has(name)) return cache.get(name) ?? undefined;
      // Only a name that can stand in the file between its quotes and bars is looked for.
      let rules: ZoneRules | null = null;
      if (/^[A-Za-z0-9_+\-/]+$/.test(name)) {
        const line = lineOf(name) ?? lineOf(targetOf(name) ?? '');
        if (line) rules = { ...unpackMomentZone(line), name };
      }
      cache.set(name, rules);
      return rules ?? undefined;
    },
  };
}

// ---- TZif (RFC 8536), as in /usr/share/zoneinfo ------------------------------------------

/** Parses a TZif file; a slim file's future transitions come from its POSIX TZ footer. */
export function parseTzif(name: string, bytes: Uint8Array, untilYear = 2040): ZoneRules {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'TZif') throw new Error(`${name}: not a TZif file`);
  const version = bytes[4];
  const header = (at: number) => ({
    isutcnt: view.getUint32(at + 20),
    isstdcnt: view.getUint32(at + 24),
    leapcnt: view.getUint32(at + 28),
    timecnt: view.getUint32(at + 32),
    typecnt: view.getUint32(at + 36),
    charcnt: view.getUint32(at + 40),
  });
  let h = header(0);
  let pos = 44;
  let timeSize = 4;
  if (version >= 0x32) {
    pos += h.timecnt * 4 + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt;
    h = header(pos);
    pos += 44;
    timeSize = 8;
  }
  const times: number[] = [];
  for (let i = 0; i < h.timecnt; i++) {
    const t = timeSize === 8 ? Number(view.getBigInt64(pos + i * 8)) : view.getInt32(pos + i * 4);
    times.push(t * 1000);
  }
  pos += h.timecnt * timeSize;
  const idx = Array.from(bytes.subarray(pos, pos + h.timecnt));
  pos += h.timecnt;
  const types: { off: number; abbrIdx: number }[] = [];
  for (let i = 0; i < h.typecnt; i++) {
    types.push({ off: view.getInt32(pos) / 60, abbrIdx: bytes[pos + 5] });
    pos += 6;
  }
  const chars = bytes.subarray(pos, pos + h.charcnt);
  const abbrOf = (i: number) => {
    let end = i;
    while (end < chars.length && chars[end] !== 0) end++;
    return String.fromCharCode(...chars.subarray(i, end));
  };
  pos += h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  let footer = '';
  if (version >= 0x32 && bytes[pos] === 0x0a) {
    let end = pos + 1;
    while (end < bytes.length && bytes[end] !== 0x0a) end++;
    footer = String.fromCharCode(...bytes.subarray(pos + 1, end));
  }
  const untils: number[] = [];
  const offsets: number[] = [];
  const abbrs: string[] = [];
  // Before the first transition the first type (RFC 8536 section 3.2) applies.
  const first = types[0] ?? { off: 0, abbrIdx: 0 };
  offsets.push(first.off);
  abbrs.push(abbrOf(first.abbrIdx));
  for (let i = 0; i < times.length; i++) {
    untils.push(times[i]);
    const t = types[idx[i]];
    offsets.push(t.off);
    abbrs.push(abbrOf(t.abbrIdx));
  }
  const posix = footer ? parsePosixTz(footer) : undefined;
  if (posix && posix.dst) {
    const lastT = times.length ? times[times.length - 1] : -Infinity;
    const startYear = times.length ? new Date(lastT).getUTCFullYear() : 1970;
    for (let y = startYear; y <= untilYear; y++) {
      for (const tr of posixTransitions(posix, y)) {
        if (tr.at <= lastT) continue;
        untils.push(tr.at);
        offsets.push(tr.off);
        abbrs.push(tr.abbr);
      }
    }
  } else if (posix && times.length && offsets[offsets.length - 1] !== posix.stdOff) {
    untils.push(times[times.length - 1] + 1);
    offsets.push(posix.stdOff);
    abbrs.push(posix.stdAbbr);
  }
  untils.push(Infinity);
  return { name, untils, offsets, abbrs };
}

interface PosixRule {
  month: number;
  week: number;
  weekday: number;
  julian?: number;
  zeroJulian?: number;
  time: number; // seconds after local midnight
}

interface PosixTz {
  stdAbbr: string;
  stdOff: number; // minutes east
  dst?: { abbr: string; off: number; start: PosixRule; end: PosixRule };
}

/** POSIX TZ strings such as "EST5EDT,M3.2.0,M11.1.0" or "<+0545>-5:45". */
export function parsePosixTz(s: string): PosixTz | undefined {
  const re = /^(<[^>]+>|[A-Za-z]{3,})([-+]?\d{1,3}(?::\d{2}){0,2})(?:(<[^>]+>|[A-Za-z]{3,})([-+]?\d{1,3}(?::\d{2}){0,2})?,([^,]+),([^,]+))?$/;
  const m = re.exec(s);
  if (!m) return undefined;
  const strip = (a: string) => a.replace(/[<>]/g, '');
  const hms = (t: string) => {
    const sign = t.startsWith('-') ? -1 : 1;
    const [h, mi = '0', se = '0'] = t.replace(/^[-+]/, '').split(':');
    return sign * (Number(h) * 3600 + Number(mi) * 60 + Number(se));
  };
  const stdOff = -hms(m[2]) / 60;
  if (!m[3]) return { stdAbbr: strip(m[1]), stdOff };
  const dstOff = m[4] ? -hms(m[4]) / 60 : stdOff + 60;
  const rule = (r: string): PosixRule => {
    const [date, time = '2'] = r.split('/');
    const secs = hms(time);
    if (date.startsWith('M')) {
      const [mo, wk, wd] = date.slice(1).split('.').map(Number);
      return { month: mo, week: wk, weekday: wd, time: secs };
    }
    if (date.startsWith('J')) return { month: 0, week: 0, weekday: 0, julian: Number(date.slice(1)), time: secs };
    return { month: 0, week: 0, weekday: 0, zeroJulian: Number(date), time: secs };
  };
  return { stdAbbr: strip(m[1]), stdOff, dst: { abbr: strip(m[3]), off: dstOff, start: rule(m[5]), end: rule(m[6]) } };
}

function posixRuleDay(r: PosixRule, year: number): number {
  if (r.julian !== undefined) {
    // Jn: 1..365, February 29 never counted.
    const d = Date.UTC(year, 0, 1) + (r.julian - 1) * 86400000;
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    return leap && r.julian >= 60 ? d + 86400000 : d;
  }
  if (r.zeroJulian !== undefined) return Date.UTC(year, 0, 1) + r.zeroJulian * 86400000;
  const first = new Date(Date.UTC(year, r.month - 1, 1));
  let day = 1 + ((r.weekday - first.getUTCDay() + 7) % 7) + (r.week - 1) * 7;
  const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  while (day > daysInMonth) day -= 7;
  return Date.UTC(year, r.month - 1, day);
}

function posixTransitions(p: PosixTz, year: number): { at: number; off: number; abbr: string }[] {
  const dst = p.dst!;
  // Rule times are in the local time in force before the transition.
  const start = posixRuleDay(dst.start, year) + dst.start.time * 1000 - p.stdOff * 60000;
  const end = posixRuleDay(dst.end, year) + dst.end.time * 1000 - dst.off * 60000;
  const list = [
    { at: start, off: dst.off, abbr: dst.abbr },
    { at: end, off: p.stdOff, abbr: p.stdAbbr },
  ];
  return list.sort((a, b) => a.at - b.at);
}

/** "2026f" > "2025b": year first, then the letter(s). */
export function compareTzVersions(a: string, b: string): number {
  const pa = /^(\d{4})([a-z]*)$/.exec(a);
  const pb = /^(\d{4})([a-z]*)$/.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[1] !== pb[1]) return Number(pa[1]) - Number(pb[1]);
  if (pa[2].length !== pb[2].length) return pa[2].length - pb[2].length;
  return pa[2] < pb[2] ? -1 : pa[2] > pb[2] ? 1 : 0;
}
