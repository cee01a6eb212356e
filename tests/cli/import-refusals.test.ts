import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { refusedIn } from '../../src/runtime/visible-text.js';
import { Utf8Decoder, decodeUtf8 } from '../../src/commands/utf8-decoder.js';
import { runBin, tmpDir } from '../helpers/bin.js';
import { OSC0, OSC52, SGR_RED } from '../helpers/hostile.js';

describe('refusedIn: what imported data and script arguments may not hold', () => {
  it('names the character and its column (in characters)', () => {
    expect(refusedIn('Ana\x1b]0;x\x07')).toEqual({ index: 3, column: 4, what: 'control character ESC (U+001B)' });
    expect(refusedIn('👍a\r')).toEqual({ index: 3, column: 3, what: 'control character CR (U+000D)' });
    expect(refusedIn('x\x00')?.what).toBe('control character NUL (U+0000)');
    expect(refusedIn('x\x7f')?.what).toBe('control character DEL (U+007F)');
    expect(refusedIn('x\u009b')?.what).toBe('C1 control character U+009B');
  });

  it('allows tab, emoji and every script; finds the bytes of invalid UTF-8', () => {
    expect(refusedIn('a\tb 👩‍💻 山田 Łódź')).toBeNull();
    expect(refusedIn(decodeUtf8(Buffer.from([0x4a, 0x6f, 0x73, 0xe9])))).toEqual({ index: 3, column: 4, what: 'invalid UTF-8 (byte 0xE9)' });
  });
});

describe('Utf8Decoder: UTF-8 in chunks, invalid bytes kept findable', () => {
  it('decodes valid text cut anywhere as Node does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 5 }), (s, cuts) => {
        const bytes = Buffer.from(s, 'utf8');
        const d = new Utf8Decoder();
        let out = '';
        let at = 0;
        for (const c of [...cuts.map((x) => x % (bytes.length + 1))].sort((x, y) => x - y)) {
          out += d.write(bytes.subarray(at, Math.max(at, c)));
          at = Math.max(at, c);
        }
        out += d.write(bytes.subarray(at)) + d.end();
        expect(out).toBe(s);
      }),
    );
  });

  it('marks each invalid byte (overlong, surrogate, cut short, stray continuation) as a lone surrogate', () => {
    const cases: [number[], string][] = [
      [[0xc0, 0xaf], '\udcc0\udcaf'],
      [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'],
      [[0x41, 0xe2, 0x82], 'A\udce2\udc82'],
      [[0x80, 0x41], '\udc80A'],
      [[0xf4, 0x90, 0x80, 0x80], '\udcf4\udc90\udc80\udc80'],
    ];
    for (const [bytes, want] of cases) expect(decodeUtf8(Buffer.from(bytes))).toBe(want);
    // The same, fed a byte at a time.
    const d = new Utf8Decoder();
    const text = [0x41, 0xe2, 0x82, 0xac, 0xff, 0x42].map((b) => d.write(Buffer.from([b]))).join('') + d.end();
    expect(text).toBe('A€\udcffB');
  });
});

const dir = tmpDir('cbd-refusals-');
const NOW = '2026-11-24T15:00:00Z';
const HEADER = 'contact_info,daily_from,daily_till,tz,first_name,last_name,Account';
const row = (i: number, first = `First${i}`, last = `Last${i}`, account = `AC-${i}`) => `+1212555${String(1000 + i).padStart(4, '0')},32400,72000,America/New_York,${first},${last},${account}`;

function csv(name: string, body: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

/** The column of the first control character of a line: in characters (an emoji is one), from 1. */
const columnOf = (line: string) => [...line.slice(0, line.search(/[\u0000-\u001f\u007f-\u009f]/))].length + 1;

const count = (state: string) => {
  const db = new Database(state, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM calling_list WHERE campaign_id = 'care-follow-up'").pluck().get() as number;
  } finally {
    db.close();
  }
};

/** The world at NOW, made by the bin once (the first stateAtNow); each state is a copy of it. */
let made: string | undefined;
function stateAtNow(name: string): string {
  if (made === undefined) {
    made = path.join(dir, 'made.db');
    expect(runBin(['records', 'list', '--limit', '1', '--state', made, '--now', NOW]).status).toBe(0);
  }
  const state = path.join(dir, name);
  // The bin closed it: its write-ahead log is in the file.
  fs.copyFileSync(made, state);
  return state;
}

describe('records import refuses what no field may hold, naming the line and column (the built bin)', () => {
  let state: string;
  beforeAll(() => {
    state = stateAtNow('state.db');
  });

  const refuses = (file: string, message: string | RegExp) => {
    const before = count(state);
    const r = runBin(['records', 'import', file, '--campaign', 'care-follow-up', '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    expect(count(state)).toBe(before);
  };

  it('each escape of issue 21: OSC 52, OSC 0, a colour in a custom field, CR, the C1 CSI, DEL, NUL', { timeout: 120_000 }, () => {
    const cases: [string, string, string, string][] = [
      ['osc52', row(2, 'Ana', `Byron${OSC52}`), 'last_name', 'control character ESC (U+001B)'],
      ['osc0', row(2, 'Ana', OSC0), 'last_name', 'control character ESC (U+001B)'],
      ['sgr', row(2, 'Ana', 'Byron', `AC${SGR_RED}red`), 'Account', 'control character ESC (U+001B)'],
      ['cr', row(2, 'Ana\rX'), 'first_name', 'control character CR (U+000D)'],
      ['c1', row(2, 'Ana\u009b2J'), 'first_name', 'C1 control character U+009B'],
      ['del', row(2, 'Ana\x7f'), 'first_name', 'control character DEL (U+007F)'],
      ['nul', row(2, 'Ana\x00Z'), 'first_name', 'control character NUL (U+0000)'],
      ['quoted', row(2, '"Ana, \x1b[2J"'), 'first_name', 'control character ESC (U+001B)'],
      ['newline', row(2, '"Ana\nBeth"'), 'first_name', 'control character LF (U+000A)'],
      ['emoji', row(2, 'José👍', 'B\x1bc'), 'last_name', 'control character ESC (U+001B)'],
    ];
    for (const [name, bad, field, what] of cases) {
      refuses(csv(`${name}.csv`, [HEADER, row(1), bad, row(3)].join('\n')), `${name}.csv line 3: column ${columnOf(bad)} (${field}): ${what}; data may not hold control characters (a tab aside) or invalid UTF-8; nothing was imported`);
    }
  });

  it('invalid UTF-8 (a Latin-1 name), instead of storing U+FFFD', () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n${row(1)}\n+12125551002,32400,72000,America/New_York,Jos`), Buffer.from([0xe9]), Buffer.from(',Byron,AC-2\n')]);
    refuses(csv('latin1.csv', latin1), `latin1.csv line 3: column ${'+12125551002,32400,72000,America/New_York,Jos'.length + 1} (first_name): invalid UTF-8 (byte 0xE9)`);
    // Valid UTF-8 is taken as it is: names in any script, a tab inside a field.
    const good = csv('utf8.csv', [HEADER, row(1, 'José', 'Łódź'), row(2, '山田', '太郎 👍'), row(3, 'Ana', '"Van\tDyke"')].join('\n'));
    const r = runBin(['records', 'import', good, '--campaign', 'care-follow-up', '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const db = new Database(state, { readonly: true });
    const names = db.prepare("SELECT first_name, last_name FROM contact WHERE id IN (SELECT contact_id FROM calling_list WHERE contact_info IN ('+12125551001', '+12125551002', '+12125551003') AND campaign_id = 'care-follow-up') ORDER BY first_name").all();
    db.close();
    expect(names).toEqual([
      { first_name: 'Ana', last_name: 'Van\tDyke' },
      { first_name: 'José', last_name: 'Łódź' },
      { first_name: '山田', last_name: '太郎 👍' },
    ]);
  });

  it('a control character in the header, and --skip-bad skipping and listing the bad lines', () => {
    refuses(csv('header.csv', `${HEADER},No\x1bte\n${row(1)},x\n`), `header.csv line 1: column ${HEADER.length + 4}: control character ESC (U+001B)`);
    const before = count(state);
    const file = csv('skip.csv', [HEADER, row(11), row(12, 'Ana\x1b'), row(13), row(14, 'Bo\x7f')].join('\n'));
    const r = runBin(['records', 'import', file, '--campaign', 'care-follow-up', '--skip-bad', '--state', state]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('imported 2 records into Care Follow-up (2 skipped)');
    expect(r.stderr).toContain(`skip.csv line 3: column ${columnOf(row(12, 'Ana\x1b'))} (first_name): control character ESC (U+001B)`);
    expect(r.stderr).toContain(`skip.csv line 5: column ${columnOf(row(14, 'Bo\x7f'))} (first_name): control character DEL (U+007F)`);
    expect(count(state)).toBe(before + 2);
  });

  it('fields and custom columns past their limits: one line, exit 2, nothing imported', { timeout: 120_000 }, () => {
    refuses(csv('long-name.csv', [HEADER, row(1, 'A'.repeat(257))].join('\n')), /long-name\.csv line 2: first_name has 257 characters; at most 256/);
    refuses(csv('mb-name.csv', [HEADER, row(1, 'A'.repeat(1_000_000))].join('\n')), /mb-name\.csv line 2: first_name has 1000000 characters; at most 256/);
    refuses(csv('long-field.csv', [HEADER, row(1, 'A', 'B', 'x'.repeat(4097))].join('\n')), /long-field\.csv line 2: Account has 4097 characters; at most 4096/);
    refuses(csv('long-id.csv', [`${HEADER},agent_id`, `${row(1)},${'a'.repeat(65)}`].join('\n')), /long-id\.csv line 2: agent_id has 65 characters; at most 64/);
    const columns = (n: number) => `${HEADER},${Array.from({ length: n }, (_, i) => `F${i}`).join(',')}`;
    refuses(csv('many-columns.csv', [columns(100), `${row(1)},${'x,'.repeat(99)}x`].join('\n')), /many-columns\.csv line 1: 101 custom columns \(beside the calling-list fields\); at most 100/);
    refuses(csv('huge-header.csv', `${columns(99_999)}\n`), /huge-header\.csv line 1: 100000 custom columns/);
    refuses(csv('long-column.csv', [`${HEADER},${'C'.repeat(65)}`, `${row(1)},x`].join('\n')), /long-column\.csv line 1: the name of custom column 8 has 65 characters; at most 64/);
    // At the limits, taken (an astral character counts once).
    const edge = csv('edge.csv', [columns(99), `${row(1, '👍'.repeat(256), 'B', 'x'.repeat(4096))},${'y,'.repeat(98)}y`].join('\n'));
    const r = runBin(['records', 'import', edge, '--campaign', 'care-follow-up', '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the scripting commands refuse control characters in what they are given', () => {
  let state: string;
  beforeAll(() => {
    state = stateAtNow('script.db');
  });

  it('in an argument, naming the character and where it is', () => {
    const cases: [string[], RegExp][] = [
      [['callbacks', 'add', '--record', '1001', '--at', 'tomorrow\u009b10:00'], /--at cannot hold a line break or a control character \(C1 control character U\+009B at character 9\)/],
      [['callbacks', 'add', '--record', '1001', '--at', 'tomorrow 10:00', '--agent', 'a.lopez\x7f'], /an agent id cannot hold a line break or a control character \(control character DEL \(U\+007F\) at character 8\)/],
      [['campaigns', 'start', `care${OSC0}`], /a campaign name or id cannot hold a line break or a control character \(control character ESC \(U\+001B\) at character 5\)/],
    ];
    for (const [args, message] of cases) {
      const r = runBin([...args, '--state', state]);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      // The value itself is never echoed raw.
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('in a file: sim --calling-list and a demo script, by line and column', () => {
    const list = csv('sim.csv', `record_id,contact_info,daily_from,daily_till,tz,note\n1,+12125550100,32400,72000,America/New_York,ok\n2,+12125550101,32400,72000,America/New_York,x${OSC0}\n`);
    const sim = runBin(['sim', '--calling-list', list, '--hours', '1']);
    expect(sim.status).toBe(2);
    expect(sim.stderr).toContain(`sim.csv line 3: column ${columnOf(`2,+12125550101,32400,72000,America/New_York,x${OSC0}`)}: control character ESC (U+001B)`);
    const latin1 = csv('sim-latin1.csv', Buffer.concat([Buffer.from('record_id,contact_info,daily_from,daily_till,tz,note\n1,+12125550100,32400,72000,America/New_York,Jos'), Buffer.from([0xe9, 0x0a])]));
    expect(runBin(['sim', '--calling-list', latin1, '--hours', '1']).stderr).toContain(`sim-latin1.csv line 2: column ${'1,+12125550100,32400,72000,America/New_York,Jos'.length + 1}: invalid UTF-8 (byte 0xE9)`);
    const script = csv('hostile.demo', `size 80x24\nkey enter\ntype ab${OSC52}\n`);
    const demo = runBin(['demo', script]);
    expect(demo.status).toBe(2);
    expect(demo.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(demo.stderr).toMatch(/hostile\.demo: line 3: column 8: control character ESC \(U\+001B\)/);
  });
});
