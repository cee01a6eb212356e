import { isKeyName } from '../screens/keys.js';

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
  return Math.round(total);
}

/** ISO-8601 instant with a zone designator: 2026-03-06T14:00:00Z or ...+05:30. */
export function parseInstant(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (!m) return null;
  // Every field in its range: 2026-02-30 is refused, not read as 2 March.
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const off = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8]);
  if (off && (Number(off[2]) > 14 || Number(off[3]) > 59)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

export function parseDemoScript(source: string, isZone: (z: string) => boolean): DemoScript {
  const settings: DemoSettings = {};
  const steps: DemoStep[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
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
        if (!m) throw new DemoScriptError(line, `size must be COLUMNSxROWS, such as 100x30 (got "${arg}")`);
        settings.columns = Number(m[1]);
        settings.rows = Number(m[2]);
        if (settings.columns < 20 || settings.rows < 5 || settings.columns > 500 || settings.rows > 200)
          throw new DemoScriptError(line, `size ${arg} is out of range`);
        return;
      }
      case 'seed':
        setting();
        if (!/^\d+$/.test(arg)) throw new DemoScriptError(line, `seed must be a whole number (got "${arg}")`);
        settings.seed = Number(arg);
        return;
      case 'now': {
        setting();
        const t = parseInstant(arg);
        if (t === null) throw new DemoScriptError(line, `now must be an ISO instant with a zone, such as 2026-03-06T14:00:00Z (got "${arg}")`);
        settings.now = t;
        return;
      }
      case 'tz':
        setting();
        if (!isZone(arg)) throw new DemoScriptError(line, `unknown time zone "${arg}"`);
        settings.tz = arg;
        return;
      case 'agent':
        setting();
        need('an agent id');
        settings.agent = arg;
        return;
      case 'key':
        need('a key name');
        if (!isKeyName(arg)) throw new DemoScriptError(line, `unknown key "${arg}"`);
        steps.push({ kind: 'key', line, key: arg });
        return;
      case 'type':
        need('text');
        steps.push({ kind: 'type', line, text: arg });
        return;
      case 'advance':
      case 'wait': {
        const ms = parseDuration(arg);
        if (ms === null) throw new DemoScriptError(line, `${cmd} needs a duration such as 90s, 15m, 2h or 1d (got "${arg}")`);
        steps.push({ kind: cmd, line, ms });
        return;
      }
      case 'expect':
        need('the text to find on the screen');
        steps.push({ kind: 'expect', line, text: arg });
        return;
      case 'snapshot':
        need('a name');
        if (!/^[A-Za-z0-9._-]+$/.test(arg)) throw new DemoScriptError(line, `snapshot name may hold letters, digits, ".", "_" and "-" (got "${arg}")`);
        steps.push({ kind: 'snapshot', line, name: arg });
        return;
      default:
        throw new DemoScriptError(line, `unknown command "${cmd}" (expected size, seed, now, tz, agent, key, type, advance, wait, expect or snapshot)`);
    }
  });
  return { settings, steps };
}
