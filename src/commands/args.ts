import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { readDate, readInstant } from '../runtime/demo-script.js';
import { controlProblem, nameProblem } from './names.js';

/** The form of every argument of the scripting commands: numbers, ids, names, texts. */

/** A whole number written in decimal digits, from min to max (no sign, hex, exponent or fraction). */
export function intIn(min: number, max: number, what = 'a whole number') {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected ${what} from ${min} to ${max} (decimal digits only)`);
    return Number(v);
  };
}

/** A plain decimal number (1, 0.5, .5), from min to max: no sign, hex, exponent, Infinity. */
export function numIn(min: number, max: number) {
  return (v: string) => {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected a plain decimal number from ${min} to ${max}`);
    return Number(v);
  };
}

/** Record ids, as the calling list and `records import` take them. */
export const parseId = intIn(1, Number.MAX_SAFE_INTEGER, 'a record id, a whole number');

/** An id or a name (agent, campaign, service, contact): not empty, at most 64 characters. */
export function nameArg(what: string) {
  return (v: string) => {
    const bad = nameProblem(v, what);
    if (bad) throw new InvalidArgumentError(bad);
    return v;
  };
}

/** Free text such as --at: not empty, one line, bounded. */
export function textArg(what: string, max: number) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${what} cannot be empty`);
    if (v.length > max) throw new InvalidArgumentError(`${what} has at most ${max} characters (this one has ${v.length})`);
    const bad = controlProblem(v, what);
    if (bad) throw new InvalidArgumentError(bad);
    return v;
  };
}

/** A phone number as typed: digits, spaces and + ( ) - . / only, at most 32 characters. */
export const phoneArg = (v: string) => {
  if (v.trim() === '') throw new InvalidArgumentError('a phone number cannot be empty');
  if (v.length > 32) throw new InvalidArgumentError(`a phone number has at most 32 characters (this one has ${v.length})`);
  if (/[^\d+() .\-/]/.test(v) || !/\d/.test(v)) throw new InvalidArgumentError('a phone number holds digits, spaces and + ( ) - . only, such as +1 212 555 0123');
  return v;
};

/** A file the command reads: a name, not empty. */
export function fileArg(what: string) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${what} needs a file name (it was empty)`);
    if (v.length > 4096) throw new InvalidArgumentError(`a file name has at most 4096 characters (this one has ${v.length})`);
    return v;
  };
}

/** A file to write: a name, not a directory (its directory must exist). */
export function outFileArg(what: string) {
  const name = fileArg(what);
  return (v: string) => {
    name(v);
    if (v.endsWith('/') || (fs.existsSync(v) && fs.statSync(v).isDirectory())) throw new InvalidArgumentError(`${what} ${v} is a directory; give a file name`);
    const dir = path.dirname(path.resolve(v));
    if (!fs.existsSync(dir)) throw new InvalidArgumentError(`the directory ${dir} does not exist`);
    return v;
  };
}

/** An ISO-8601 instant with its zone; the message names the field out of range. */
export function instantArg(example: string) {
  return (v: string) => {
    const r = readInstant(v);
    if ('error' in r) throw new InvalidArgumentError(`not an ISO-8601 instant with a zone, such as ${example} (${r.error})`);
    return r.ms;
  };
}

/** slots --start: a date in --tz, or an instant. */
export type StartArg = { date: { year: number; month: number; day: number } } | { instant: number };
export function startArg(v: string): StartArg {
  const d = readDate(v);
  if (d && 'error' in d) throw new InvalidArgumentError(`expected a date YYYY-MM-DD or an ISO-8601 instant (${d.error})`);
  if (d) return { date: d };
  const i = readInstant(v);
  if ('error' in i) throw new InvalidArgumentError(`expected a date YYYY-MM-DD (such as 2026-11-25) or an ISO-8601 instant with a zone (such as 2026-11-25T14:00:00Z): ${i.error}`);
  return { instant: i.ms };
}
