import { nameProblem, shown } from '../commands/names.js';
import { isKeyName } from '../screens/keys.js';
import { DATA_RULE, refusedIn } from './visible-text.js';

/**
 * Demo scripts: one command per line, `#` starts a comment. Settings come before the first
 * key; the rest drive the real desktop. Parsed once into typed steps, so a malformed line is
 * reported (exit 2) before anything runs.
 */
export type DemoStep =
  | { kind: 'key'; line: number; key: string }
  | { kind: 'type'; line: number; text: string }
  | { kind: 'advance'; line: number; ms: number }
  | { kind: 'wait'; line: number; ms: number }
  | { kind: 'expect'; line: number; text: string }
  | { kind: 'snapshot'; line: number; name: string };

export interface DemoSettings {
  columns?: number;
  rows?: number;
  seed?: number;
  now?: number;
  tz?: string;
  agent?: string;
}

export interface DemoScript {
  settings: DemoSettings;
  steps: DemoStep[];
  /** The line of each setting given, to name it in a later refusal (an agent that does not exist). */
  settingLines: Partial<Record<keyof DemoSettings, number>>;
}

export class DemoScriptError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "1d", "1h30m", "250ms". */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  return Number.isFinite(total) ? Math.round(total) : null;
}

/** The longest `advance` of a demo script: a year (366 days) per line. */
export const MAX_ADVANCE_MS = 366 * 86_400_000;
/** The longest `wait` (a pause in the recording): an hour. */
export const MAX_WAIT_MS = 3_600_000;
/** The seeds a world takes, as --seed: 0 to 4294967295. */
export const MAX_SEED = 2 ** 32 - 1;
/** Years an instant or a date may name. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** What is wrong with the fields of a calendar date (and a time of day), or null. */
function fieldsProblem(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR) return `year ${String(year).padStart(4, '0')} is out of range, ${MIN_YEAR} to ${MAX_YEAR}`;
  if (month < 1 || month > 12) return `month ${String(month).padStart(2, '0')} is out of range, 01 to 12`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `day ${String(day).padStart(2, '0')} is out of range, ${MONTHS[month - 1]} ${year} has ${daysInMonth} days`;
  if (hour > 23) return `hour ${hour} is out of range, 00 to 23`;
  if (minute > 59) return `minute ${minute} is out of range, 00 to 59`;
  if (second > 59) return `second ${second} is out of range, 00 to 59`;
  return null;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO-8601 instant with a zone designator (2026-03-06T14:00:00Z or ...+05:30), or what is
 * wrong with it: the form, or the field out of range with its range.
 */
export function readInstant(text: string): { ms: number } | { error: string } {
  const m = INSTANT.exec(text);
  if (!m) {
    if (text.trim() === '') return { error: 'it was empty' };
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text.trim())) return { error: 'it has no zone (add Z or an offset such as +05:30)' };
    return { error: 'not of the form 2026-11-24T15:00:00Z' };
  }
  // Every field in its range: 2026-02-30 is refused, not read as 2 March.
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const bad = fieldsProblem(year, month, day, hour, minute, second);
  if (bad) return { error: bad };
  const off = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8]);
  if (off && (Number(off[2]) > 14 || Number(off[3]) > 59)) return { error: `offset ${m[8]} is out of range, -14:00 to +14:00` };
  const t = Date.parse(text);
  if (Number.isNaN(t)) return { error: 'not of the form 2026-11-24T15:00:00Z' };
  return { ms: t };
}

/** ISO-8601 instant with a zone designator: 2026-03-06T14:00:00Z or ...+05:30; null if not one. */
export function parseInstant(text: string): number | null {
  const r = readInstant(text);
  return 'ms' in r ? r.ms : null;
}

/** A calendar date YYYY-MM-DD, or what is wrong with it; null when the text is not date-shaped at all. */
export function readDate(text: string): { year: number; month: number; day: number } | { error: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const bad = fieldsProblem(year, month, day);
  return bad ? { error: bad } : { year, month, day };
}

/** How a duration is written, for messages. */
function durationText(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 1000}s`;
}

export function parseDemoScript(source: string, isZone: (z: string) => boolean): DemoScript {
  const settings: DemoSettings = {};
  const steps: DemoStep[] = [];
  const settingLines: DemoScript['settingLines'] = {};
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    // A script is a file like a calling list: its `type` and `expect` texts reach the screen.
    const bad = refusedIn(raw);
    if (bad) throw new DemoScriptError(line, `column ${bad.column}: ${bad.what}; ${DATA_RULE}`);
    const text = raw.replace(/^\s+/, '');
    if (text === '' || text.startsWith('#')) return;
    const sp = text.indexOf(' ');
    const cmd = sp < 0 ? text : text.slice(0, sp);
    const arg = sp < 0 ? '' : text.slice(sp + 1).replace(/\s+$/, '');
    const setting = () => {
      if (steps.length > 0) throw new DemoScriptError(line, `"${cmd}" is a setting and must come before the first key`);
    };
    const need = (what: string) => {
      if (!arg) throw new DemoScriptError(line, `"${cmd}" needs ${what}`);
    };
    switch (cmd) {
      case 'size': {
        setting();
        const m = /^(\d+)x(\d+)$/.exec(arg);
        if (!m) throw new DemoScriptError(line, `size must be COLUMNSxROWS, such as 100x30 (got ${shown(arg)})`);
        settings.columns = Number(m[1]);
        settings.rows = Number(m[2]);
        if (settings.columns < 20 || settings.rows < 5 || settings.columns > 500 || settings.rows > 200)
          throw new DemoScriptError(line, `size ${shown(arg)} is out of range (20x5 to 500x200)`);
        settingLines.columns = settingLines.rows = line;
        return;
      }
      case 'seed':
        setting();
        if (!/^\d+$/.test(arg) || Number(arg) > MAX_SEED) throw new DemoScriptError(line, `seed must be a whole number from 0 to ${MAX_SEED} (got ${shown(arg)})`);
        settings.seed = Number(arg);
        settingLines.seed = line;
        return;
      case 'now': {
        setting();
        const t = readInstant(arg);
        if ('error' in t) throw new DemoScriptError(line, `now must be an ISO instant with a zone, such as 2026-03-06T14:00:00Z (got ${shown(arg)}: ${t.error})`);
        settings.now = t.ms;
        settingLines.now = line;
        return;
      }
      case 'tz':
        setting();
        if (!isZone(arg)) throw new DemoScriptError(line, `unknown time zone ${shown(arg)} (use an IANA name such as America/New_York)`);
        settings.tz = arg;
        settingLines.tz = line;
        return;
      case 'agent': {
        setting();
        need('an agent id');
        const bad = nameProblem(arg, 'an agent id');
        if (bad) throw new DemoScriptError(line, bad);
        settings.agent = arg;
        settingLines.agent = line;
        return;
      }
      case 'key':
        need('a key name');
        if (!isKeyName(arg)) throw new DemoScriptError(line, `unknown key ${shown(arg)} (enter, esc, tab, shift+tab, up, down, left, right, pageup, pagedown, home, end, space, backspace, delete, f1-f12, ctrl+LETTER or one character)`);
        steps.push({ kind: 'key', line, key: arg });
        return;
      case 'type':
        need('text');
        steps.push({ kind: 'type', line, text: arg });
        return;
      case 'advance':
      case 'wait': {
        const ms = parseDuration(arg);
        if (ms === null) throw new DemoScriptError(line, `${cmd} needs a duration such as 90s, 15m, 2h or 1d (got ${shown(arg)})`);
        const max = cmd === 'advance' ? MAX_ADVANCE_MS : MAX_WAIT_MS;
        if (ms > max) throw new DemoScriptError(line, `${cmd} ${shown(arg)} is too long: at most ${durationText(max)} per line${cmd === 'advance' ? ' (advance again for more)' : ''}`);
        steps.push({ kind: cmd, line, ms });
        return;
      }
      case 'expect':
        need('the text to find on the screen');
        steps.push({ kind: 'expect', line, text: arg });
        return;
      case 'snapshot':
        need('a name');
        if (!/^[A-Za-z0-9._-]+$/.test(arg)) throw new DemoScriptError(line, `snapshot name may hold letters, digits, ".", "_" and "-" (got ${shown(arg)})`);
        steps.push({ kind: 'snapshot', line, name: arg });
        return;
      default:
        throw new DemoScriptError(line, `unknown command ${shown(cmd)} (expected size, seed, now, tz, agent, key, type, advance, wait, expect or snapshot)`);
    }
  });
  return { settings, steps, settingLines };
}
