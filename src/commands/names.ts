import { refusedName, terminalJson } from '../runtime/visible-text.js';

/**
 * Names the user gives (agents, campaigns, services, contacts, zones): their form, and when one
 * does not exist, the nearest ones that do. Everything here builds one line of a message.
 */

/** The longest id or name a command takes (agent, campaign, service, contact). */
export const MAX_ID_LENGTH = 64;

/**
 * A value the user gave, for a message: JSON-quoted, every control character escaped (\u001b,
 * \u009b: so it stays on the line and a terminal does not act on it), and cut short when long,
 * saying how long it was.
 */
export function shown(value: string, max = 40): string {
  if (value.length <= max) return terminalJson(JSON.stringify(value));
  return `${terminalJson(JSON.stringify(value.slice(0, max)))}… (${value.length} characters)`;
}

/** A name in a list: bare when it is a plain word (collections-q4), quoted otherwise ("Collections Q4"). */
export function listed(name: string): string {
  return /^[A-Za-z0-9._/+-]+$/.test(name) ? name : shown(name);
}

/**
 * Levenshtein distance with adjacent transpositions (optimal string alignment), case-folded.
 * `limit`: stop early once every path is longer (the answer is then some value > limit).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length];
}

/**
 * Up to `n` of `candidates` nearest to `name`: by edit distance, a candidate that starts with
 * or contains what was typed counting as near; ties keep the candidates' order. `near`: only
 * the ones within 2 of the best (none when even the best is far from what was typed).
 */
export function nearestNames(name: string, candidates: Iterable<string>, n = 5, near = false): string[] {
  const typed = name.trim().toLowerCase().slice(0, 200);
  const scored: { c: string; d: number; i: number }[] = [];
  const seen = new Set<string>();
  let i = 0;
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const lc = c.toLowerCase();
    let d = editDistance(typed, lc);
    if (typed.length > 0 && lc.startsWith(typed)) d = Math.min(d, 1);
    else if (typed.length > 1 && lc.includes(typed)) d = Math.min(d, 2);
    scored.push({ c, d, i: i++ });
  }
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  if (!near || scored.length === 0) return scored.slice(0, n).map((x) => x.c);
  const best = scored[0].d;
  // Far: more than half of what was typed (and more than 2 characters) would have to change.
  if (best > Math.max(2, Math.ceil(typed.length / 2))) return [];
  return scored
    .filter((x) => x.d <= best + 2)
    .slice(0, n)
    .map((x) => x.c);
}

/**
 * `no campaign "colections" (nearest: collections-q4, "Collections Q4")`; when nothing is near,
 * the whole list if it is short (up to 15: `(callback services: customer-care, billing, tech-support)`),
 * else the nearest anyway.
 */
export function noSuch(what: string, name: string, candidates: Iterable<string>, n = 5): string {
  const all = [...new Set(candidates)];
  if (all.length === 0) return `no ${what} ${shown(name)} (there are no ${what}s)`;
  const near = nearestNames(name, all, n, true);
  if (near.length) return `no ${what} ${shown(name)} (nearest: ${near.map(listed).join(', ')})`;
  if (all.length <= 15) return `no ${what} ${shown(name)} (${what}s: ${all.map(listed).join(', ')})`;
  return `no ${what} ${shown(name)} (nearest: ${nearestNames(name, all, n).map(listed).join(', ')})`;
}

/**
 * The form of a name or id the user gave: not empty, at most MAX_ID_LENGTH characters, no
 * control characters. Returns what is wrong, or null.
 */
export function nameProblem(value: string, what: string): string | null {
  if (value.trim() === '') return `${what} cannot be empty`;
  if (value.length > MAX_ID_LENGTH) return `${what} has at most ${MAX_ID_LENGTH} characters (this one has ${value.length})`;
  return controlProblem(value, what);
}

/** A value the user gave that holds a control character (C0, tab included, DEL or C1): what and where; else null. */
export function controlProblem(value: string, what: string): string | null {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (!m) return null;
  return `${what} cannot hold a line break or a control character (${refusedName(m[0].charCodeAt(0))} at character ${[...value.slice(0, m.index)].length + 1})`;
}

/** Looks a name up in a Map or an object's own keys only (never `__proto__` or `constructor`). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
