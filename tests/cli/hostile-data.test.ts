import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin, tmpDir } from '../helpers/bin.js';
import { requireTool } from '../helpers/tools.js';
import { HOSTILE_FIELD, OSC0, OSC52, SHOWN_FIELD, SHOWN_OSC0, SHOWN_OSC52, poison, rawControls } from '../helpers/hostile.js';

const dir = tmpDir('cbd-hostile-');
const NOW = '2026-11-24T15:00:00Z';
/** A number with a CR, the C1 CSI and DEL in it, short enough for the table's column. */
const HOSTILE_NUMBER = '+1709\r\u009b\x7f';

/**
 * The bin on a pseudo-terminal (util-linux script(1)), as a person runs it: stdout and stderr
 * are the terminal. The terminal turns each line feed into CR LF; that CR is its own, not data.
 */
function onTerminal(args: string[]): { status: number | null; out: string } {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols 200; ${cmd}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}


describe('commands on a state whose data holds terminal escapes', () => {
  // `script` gives a command a real terminal, so its output to a terminal is what is checked.
  beforeAll(() => requireTool('script', ['-V'], 'bsdutils'));
  let state: string;
  beforeAll(() => {
    state = path.join(dir, 'hostile.db');
    expect(runBin(['callbacks', 'add', '--record', '1001', '--at', '2026-11-25T15:00:00Z', '--state', state, '--now', NOW]).status).toBe(0);
    expect(runBin(['callbacks', 'book', '--service', 'customer-care', '--contact', 'C0001', '--slot', '2026-11-25T15:00:00Z', '--state', state]).status).toBe(0);
    // Straight into the tables: records import refuses these now.
    const db = new Database(state);
    poison(db, { contacts: true });
    db.prepare('UPDATE calling_list SET contact_info = ? WHERE record_id IN (1001, 1002)').run(HOSTILE_NUMBER);
    db.prepare("UPDATE gms_callback SET customer_number = ?, body = json_set(body, '$.customerNumber', ?)").run(`+1212${OSC0}`, `+1212${OSC0}`);
    db.close();
  });

  it('records list on a terminal: the table with its columns in place, the number drawn visibly', () => {
    const r = onTerminal(['records', 'list', '--limit', '3', '--state', state]);
    expect(r.status).toBe(0);
    expect(rawControls(r.out)).toEqual([]);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[1]).toContain('+1709␍␦␡');
    // Every row's record_type column starts where the header's does.
    const at = lines[0].indexOf('record_type');
    for (const l of lines.slice(1)) expect([...l].slice(at).join('')).toMatch(/^\d \w/);
  });

  it('records list --jsonl and --json on a terminal: DEL and C1 escaped, the same JSON as through a pipe', () => {
    for (const format of ['--jsonl', '--json']) {
      const tty = onTerminal(['records', 'list', '--limit', '2', format, '--state', state]);
      const piped = runBin(['records', 'list', '--limit', '2', format, '--state', state]);
      expect(tty.status).toBe(0);
      expect(rawControls(tty.out)).toEqual([]);
      expect(tty.out).toContain('\\u009b\\u007f');
      // Through a pipe, JSON.stringify's own output: C1 and DEL as they are.
      expect(piped.stdout).toContain('\u009b\x7f');
      const parse = (s: string) => (format === '--jsonl' ? s.trimEnd().split('\n').map((l) => JSON.parse(l)) : JSON.parse(s));
      expect(parse(tty.out)).toEqual(parse(piped.stdout));
      expect(parse(piped.stdout)[0].contact_info).toBe(HOSTILE_NUMBER);
    }
  });

  it('records export: on a terminal every escape drawn visibly; into a pipe byte for byte what is stored', () => {
    const tty = onTerminal(['records', 'export', '--campaign', 'collections-q4', '--state', state]);
    expect(tty.status).toBe(0);
    expect(rawControls(tty.out)).toEqual([]);
    expect(tty.out).toContain(SHOWN_OSC52);
    expect(tty.out).toContain(SHOWN_OSC0);
    expect(tty.out).toContain(`␛[31m${SHOWN_FIELD}`);
    const piped = runBin(['records', 'export', '--campaign', 'collections-q4', '--state', state]);
    expect(piped.status).toBe(0);
    const db = new Database(state, { readonly: true });
    const c = db.prepare("SELECT first_name, last_name, fields FROM contact WHERE id = 'C0001'").get() as { first_name: string; last_name: string; fields: string };
    db.close();
    expect(c.first_name.endsWith(OSC52)).toBe(true);
    // The stored values, exactly, in the CSV (quoted where the CSV needs it).
    expect(piped.stdout).toContain(`,"${HOSTILE_NUMBER}",`);
    expect(piped.stdout).toContain(`${c.first_name},${c.last_name}`);
    expect(piped.stdout).toContain(`"${JSON.parse(c.fields).Account}"`);
    expect(JSON.parse(c.fields).Account.endsWith(HOSTILE_FIELD)).toBe(true);
    // The terminal's copy is the same text with each control as its sign.
    expect(tty.out.replace(/\n$/, '')).toBe(
      piped.stdout
        .replace(/\n$/, '')
        .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (ch) => (ch === '\t' ? ' ' : ch === '\x7f' ? '␡' : ch >= '\u0080' ? '␦' : String.fromCharCode(0x2400 + ch.charCodeAt(0)))),
    );
  });

  it('callbacks list on a terminal: the calling-list callback and the booking, drawn visibly', () => {
    const r = onTerminal(['callbacks', 'list', '--state', state]);
    expect(r.status).toBe(0);
    expect(rawControls(r.out)).toEqual([]);
    expect(r.out).toContain('+1709␍␦␡');
    expect(r.out).toContain(`+1212${SHOWN_OSC0}`);
    const json = onTerminal(['callbacks', 'list', '--gms', '--json', '--state', state]);
    expect(rawControls(json.out)).toEqual([]);
    expect(JSON.parse(json.out)[0]._customer_number).toBe(`+1212${OSC0}`);
  });

  it('an error quoting data is one line with the data drawn visibly, through a pipe too', () => {
    const db = new Database(state);
    db.prepare('UPDATE calling_list SET tz = ? WHERE record_id = 1001').run(`Mars/${OSC0}\u009b`);
    db.close();
    try {
      const piped = runBin(['callbacks', 'list', '--state', state]);
      const tty = onTerminal(['callbacks', 'list', '--state', state]);
      for (const [status, text] of [[piped.status, piped.stderr], [tty.status, tty.out]] as const) {
        expect(status).toBe(2);
        expect(text.trimEnd().split('\n')).toHaveLength(1);
        expect(rawControls(text.trimEnd())).toEqual([]);
        // JSON-quoted in the message: every control escaped.
        expect(text).toContain('calling_list row record_id 1001 is damaged (tz "Mars/\\u001b]0;PWNED\\u0007\\u009b" is not a time zone)');
      }
    } finally {
      const back = new Database(state);
      back.prepare("UPDATE calling_list SET tz = 'America/St_Johns' WHERE record_id = 1001").run();
      back.close();
    }
  });
});
