import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editDistance, nearestNames, noSuch } from '../../src/commands/names.js';
import { runBinAsync, tmpDir } from '../helpers/bin.js';
import { stateBackends, type StateBackend } from '../helpers/pg-state-backends.js';

/**
 * Bad input to every scripting command (and `demo`): exit 2, exactly one line on stderr, no
 * stack trace, nothing on stdout, and the state as it was: a SQLite file byte for byte, a
 * PostgreSQL database row for row (each describe that names a state runs on both).
 */

const dir = tmpDir('cbd-bad-');
const NOW = '2026-11-24T15:00:00Z';
const backends = stateBackends('cbd-bad-');
afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

/**
 * A copy of the state that one case at a time runs on: independent cases run side by side (the
 * bin waits on its disk or its database about as much as it computes), each still alone on the
 * state it fingerprints, so "nothing changed" means what it means when the cases run one after
 * another. `print` is its fingerprint as the last case left it (nothing else touches a lane, so
 * it is the next case's "before"; a PostgreSQL fingerprint reads every row of every table).
 */
interface Lane {
  state: string;
  print?: string;
}

class Lanes {
  private readonly waiting: ((lane: Lane) => void)[] = [];
  constructor(private readonly free: Lane[]) {}

  async with<T>(fn: (lane: Lane) => Promise<T>): Promise<T> {
    const lane = this.free.pop() ?? (await new Promise<Lane>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(lane);
    } finally {
      const next = this.waiting.shift();
      if (next) next(lane);
      else this.free.push(lane);
    }
  }
}

/** Cases at once: past four, beside the other test files, runs of the bin only queue for the two cores. */
const LANES = 4;

/**
 * The backend of the describe under way, its state (made once per backend by the bin, and then
 * only ever copied: PostgreSQL copies a database only while nobody is connected to it) and the
 * lanes the cases run in.
 */
let states: StateBackend;
let state = '';
let lanes: Lanes;
const made = new Map<StateBackend, { state: string; lanes: Lanes }>();
async function on(b: StateBackend): Promise<void> {
  states = b;
  let m = made.get(b);
  if (m === undefined) {
    const s = await b.fresh('state');
    const r = await runBinAsync(['campaigns', 'list', '--state', s, '--now', NOW]);
    expect(r.status, r.stderr).toBe(0);
    const copies: Lane[] = [];
    for (let i = 0; i < LANES; i++) copies.push({ state: await b.copy(s, 'lane') });
    m = { state: s, lanes: new Lanes(copies) };
    made.set(b, m);
  }
  state = m.state;
  lanes = m.lanes;
}

/** Stands for the state of the lane a case runs in, in the arguments it is given. */
const STATE = '@state';

/** `before`: the state's fingerprint when the case starts, if known. */
async function refused(args: string[], file: string, before?: string): Promise<{ stderr: string; after: string }> {
  before ??= await states.fingerprint(file);
  const r = await runBinAsync(args);
  const why = `${JSON.stringify(args.map((a) => (a.length > 60 ? `${a.slice(0, 60)}…(${a.length})` : a)))} -> exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`;
  expect(r.status, why).toBe(2);
  expect(r.stderr.endsWith('\n'), why).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines, why).toHaveLength(1);
  expect(lines[0].trim(), why).not.toBe('');
  expect(r.stderr, why).not.toMatch(/^\s+at /m);
  expect(r.stdout, why).toBe('');
  const after = await states.fingerprint(file);
  expect(after, `${why}: the state changed`).toBe(before);
  return { stderr: lines[0], after };
}

/** refused() in a lane: `STATE` in the arguments becomes the lane's state, the one fingerprinted. */
const refusedInLane = (args: string[]) =>
  lanes.with(async (lane) => {
    const before = lane.print;
    // Unknown again until this case has ended well (a failed one leaves it to be read anew).
    lane.print = undefined;
    const r = await refused(args.map((a) => (a === STATE ? lane.state : a)), lane.state, before);
    lane.print = r.after;
    return r;
  });

let scripts = 0;
const files = {
  goodCsv: path.join(dir, 'good.csv'),
  lettersCsv: path.join(dir, 'letters.csv'),
  twiceCsv: path.join(dir, 'twice.csv'),
  demo: path.join(dir, 'ok.demo'),
  missing: path.join(dir, 'no-such-file.csv'),
};

beforeAll(() => {
  fs.writeFileSync(files.goodCsv, 'record_id,contact_info,daily_from,daily_till,tz\n90001,+12125550100,0,86400,America/New_York\n');
  fs.writeFileSync(files.lettersCsv, 'record_id,contact_info,daily_from,daily_till,tz\n90001,+12125550100,0,86400,America/New_York\n90002,+1212abc0100,0,86400,America/New_York\n');
  fs.writeFileSync(files.twiceCsv, 'record_id,contact_info,daily_from,daily_till,tz,tz\n90001,+12125550100,0,86400,America/New_York,UTC\n');
  fs.writeFileSync(files.demo, 'size 80x24\nkey enter\n');
});

describe('names: edit distance and the nearest names', () => {
  it('measures edits, transpositions counting one, case folded', () => {
    expect(editDistance('colections', 'collections')).toBe(1);
    expect(editDistance('a.lopez', 'a.lpoez')).toBe(1);
    expect(editDistance('Care', 'care')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('lists up to five nearest, only near ones when some are near, all of a short list otherwise', () => {
    const campaigns = ['collections-q4', 'Collections Q4', 'policy-renewals', 'Policy Renewals', 'winter-appeal', 'Winter Appeal'];
    expect(noSuch('campaign', 'colections', campaigns)).toBe('no campaign "colections" (nearest: collections-q4, "Collections Q4")');
    expect(noSuch('callback service', '__proto__', ['customer-care', 'billing', 'tech-support'])).toBe('no callback service "__proto__" (callback services: customer-care, billing, tech-support)');
    expect(nearestNames('x', Array.from({ length: 50 }, (_, i) => `agent${i}`))).toHaveLength(5);
    expect(noSuch('agent', 'x'.repeat(100_000), ['a.lopez']).length).toBeLessThan(200);
  });
});

// The cases of a describe side by side (it.concurrent), in the lanes of its backend; the
// describes one after another (each sets the backend under way).
describe.each(backends)('the cases users reported: one line, exit 2, nothing changed, on $name', (b) => {
  beforeAll(() => on(b));

  it.concurrent.each([
    [['slots', '--start', '2026-02-30'], /--start.*"2026-02-30".*day 30 is out of range, February 2026 has 28 days/],
    [['slots', '--start', '2026-13-01'], /month 13 is out of range, 01 to 12/],
    [['slots', '--start', ''], /--start.*it was empty/],
    [['records', 'list', '--campaign', ''], /a campaign name or id cannot be empty/],
    [['records', 'list', '--campaign', 'colections'], /no campaign "colections" \(nearest: collections-q4, "Collections Q4"\)$/],
    [['records', 'list', '--zone', ''], /a time zone cannot be empty/],
    [['records', 'list', '--zone', 'America/NewYork'], /unknown time zone "America\/NewYork" .*nearest: America\/New_York\)/],
    [['callbacks', 'add', '--record', '1001', '--at', 'tomorrow 10:00', '--agent', 'x'.repeat(100_000)], /an agent id has at most 64 characters \(this one has 100000\)/],
    [['callbacks', 'add', '--record', '1001', '--at', 'tomorrow 10:00', '--agent', 'a.lopz'], /no agent "a\.lopz" \(nearest: a\.lopez\)/],
    [['callbacks', 'add', '--record', '1001', '--at', 'tomorrow 10:00', '--phone', ''], /a phone number cannot be empty/],
    [['callbacks', 'add', '--record', '99999999999999999999', '--at', 'tomorrow 10:00'], /a record id, a whole number from 1 to 9007199254740991/],
    [['callbacks', 'cancel', '0x10'], /a record id, a whole number from 1 to 9007199254740991/],
    [['callbacks', 'book', '--service', '__proto__', '--contact', 'C0001', '--slot', '2026-11-25T15:00:00Z'], /no callback service "__proto__" \(callback services: customer-care, billing, tech-support\)/],
    [['callbacks', 'book', '--service', 'customer-care', '--contact', 'C'.repeat(100_000), '--slot', '2026-11-25T15:00:00Z'], /a contact id has at most 64 characters \(this one has 100000\)/],
    [['callbacks', 'book', '--service', 'customer-care', '--contact', 'C42', '--slot', '2026-11-25T15:00:00Z'], /no contact "C42" \(nearest: C0042/],
    [['callbacks', 'book', '--service', 'customer-care', '--contact', 'C0001', '--slot', '2026-11-25T15:00:00Z', '--number', ''], /a phone number cannot be empty/],
    [
      ['callbacks', 'book', '--service', 'customer-care', '--contact', 'C0001', '--slot', '2026-11-25T15:07:00Z'],
      /--slot 2026-11-25T15:07:00Z is not the start of a slot \(customer-care has 15-minute slots\); nearest slot starts: 2026-11-25T15:00:00Z .*, 2026-11-25T15:15:00Z/,
    ],
    [['callbacks', 'book', '--service', 'customer-care', '--contact', 'C0001', '--slot', '2026-11-25T10:07:00Z'], /is not the start of a slot \(customer-care is closed at .*\); nearest slot starts: 2026-11-25T13:00:00Z/],
    [['campaigns', 'start', 'winter'], /no campaign "winter" \(nearest: winter-appeal, "Winter Appeal"\)/],
    [['records', 'list', '--limit', '0x10'], /expected a whole number from 1 to 1000000000/],
    [['slots', '--days', '1.5'], /a number of days from 1 to 90/],
    [['records', 'list', '--seed', '99999999999999999999999'], /the seed must be a whole number from 0 to 4294967295/],
    [['records', 'list', '--tz', 'Europe/Berln'], /unknown time zone "Europe\/Berln" .*nearest: Europe\/Berlin\)/],
  ])('%j', async (args, message) => {
    const { stderr } = await refusedInLane([...(args as string[]), '--state', STATE]);
    expect(stderr).toMatch(message as RegExp);
  });

  it.concurrent.each([
    [['sim', '--hours', '0x10'], /--hours.*expected a plain decimal number from 0\.01 to 744/],
    [['sim', '--agents', '-3'], /expected a whole number from 1 to 10000/],
    [['sim', '--hit-rate', '1e-1'], /expected a plain decimal number from 0\.001 to 1/],
    [['sim', '--now', '2026-02-30T10:00:00Z'], /day 30 is out of range, February 2026 has 28 days/],
    [['sim', '--calling-list', ''], /--calling-list needs a file name \(it was empty\)/],
    [['sim', '--calling-list', files.lettersCsv], /letters\.csv line 3: contact_info "\+1212abc0100" is not a phone number/],
    [['sim', '--calling-list', files.twiceCsv], /twice\.csv line 1: column "tz" appears twice \(columns 5 and 6\)/],
    [['--speed', '0x10'], /the speed must be a number from 0 \(paused\) to 100000/],
  ])('%j', async (args, message) => {
    expect((await refusedInLane(args as string[])).stderr).toMatch(message as RegExp);
  });

  it.concurrent.each([
    ['seed 99999999999999999999999\n', /line 1: seed must be a whole number from 0 to 4294967295/],
    ['size 80x24\nkey enter\nadvance 99999999999d\n', /line 3: advance "99999999999d" is too long: at most 366d per line/],
    ['wait 2h\n', /line 1: wait "2h" is too long: at most 1h per line/],
    ['size 100000x30\n', /line 1: size "100000x30" is out of range \(20x5 to 500x200\)/],
    ['agent a.lopz\nkey enter\n', /line 1: no agent "a\.lopz" \(nearest: a\.lopez\)/],
    ['now 2026-13-01T00:00:00Z\n', /line 1: now must be .*month 13 is out of range/],
  ])('demo script %j', async (source, message) => {
    // A file of its own: the cases run side by side.
    const script = path.join(dir, `bad-${b.name}-${++scripts}.demo`);
    fs.writeFileSync(script, source);
    expect((await refusedInLane(['demo', script, '--state', STATE])).stderr).toMatch(message);
  });
});

describe.each(backends)('a damaged row is named by its table and id (exit 2, state untouched), on $name', (b) => {
  beforeAll(() => on(b));
  const damaged = async (name: string, sql: string) => {
    const f = await states.copy(state, name);
    await states.exec(f, sql);
    return f;
  };

  it.concurrent('treatments that are not JSON', async () => {
    const f = await damaged('treatments', "UPDATE calling_list SET treatments = 'not json' WHERE record_id = 1003");
    const r = await runBinAsync(['records', 'list', '--state', f, '--campaign', 'collections-q4']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^callback-desk: calling_list row record_id 1003 is damaged \(treatments is "not json", not a JSON array\)/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.concurrent('a tz that is not a zone', async () => {
    const f = await damaged('tz', "UPDATE calling_list SET tz = 'Mars/Base', record_type = 6, dial_sched_time = 1795600000 WHERE record_id = 1004");
    expect((await refused(['callbacks', 'list', '--state', f], f)).stderr).toMatch(/calling_list row record_id 1004 is damaged \(tz "Mars\/Base" is not a time zone\)/);
    expect((await refused(['callbacks', 'add', '--state', f, '--record', '1004', '--at', 'tomorrow 10:00', '--campaign'], f)).stderr).toMatch(/record_id 1004 is damaged/);
  });

  it.concurrent('a configuration row and a contact', async () => {
    const svc = await damaged('entity', "UPDATE entity SET body = '{x' WHERE kind = 'service' AND id = 'billing'");
    expect((await refused(['slots', '--state', svc], svc)).stderr).toMatch(/entity row service id billing is damaged \(body is "\{x", not a JSON object\)/);
    const contact = await damaged('contact', "UPDATE contact SET fields = '{' WHERE id = 'C0005'");
    expect((await refused(['callbacks', 'book', '--state', contact, '--service', 'billing', '--contact', 'C0005', '--slot', '2026-12-01T10:00:00Z'], contact)).stderr).toMatch(
      /contact row id C0005 is damaged \(fields is "\{", not a JSON object\)/,
    );
  });
});

// ---- the property: generated bad arguments for every command ------------------------------

const huge = (c: string) => fc.integer({ min: 65, max: 100_000 }).map((n) => c.repeat(n));
/** Never a whole number in any range: sign, hex, fraction, exponent, letters, blanks, overlong. */
const badIntForm = fc.oneof(
  fc.integer({ min: 1, max: 1e9 }).map((n) => `-${n}`),
  fc.integer({ min: 0, max: 1e6 }).map((n) => `0x${n.toString(16)}`),
  fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a}.${b}`),
  fc.nat(99).map((n) => `${n}e3`),
  fc.constantFrom('', ' ', 'abc', '12abc', ' 5', '5 ', '+5', 'Infinity', 'NaN', '١٢', '1_000'),
  fc.integer({ min: 30, max: 5000 }).map((n) => '9'.repeat(n)),
);
/** Never a plain decimal number in range. */
const badNumForm = fc.oneof(
  fc.integer({ min: 1, max: 1e6 }).map((n) => `-${n}`),
  fc.integer({ min: 0, max: 1e6 }).map((n) => `0x${n.toString(16)}`),
  fc.constantFrom('', ' ', 'abc', '1e3', '1e-2', 'Infinity', '-Infinity', 'NaN', '1,5', '1..2', '.', '0b11'),
  fc.integer({ min: 400, max: 5000 }).map((n) => '9'.repeat(n)),
);
const badDate = fc.oneof(
  fc.constantFrom('', 'tomorrow', '2026-02-30', '2026-13-01', '2026-00-10', '2026-11-31', '0000-01-01', '1969-12-31', '2026-11-25T25:00:00Z', '2026-11-25T10:60:00Z', '2026-11-25T10:00', '2026-11-25T10:00:00+15:00', '25/11/2026', '2026-1-5'),
  fc.record({ y: fc.integer({ min: 2000, max: 2100 }), m: fc.integer({ min: 13, max: 99 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => `${y}-${m}-${String(d).padStart(2, '0')}`),
  fc.record({ y: fc.integer({ min: 2000, max: 2100 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 32, max: 99 }) }).map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${d}`),
  huge('2'),
);
const badInstant = fc.oneof(badDate, fc.constantFrom('2026-11-25', 'now', '2026-11-25 10:00:00Z', '2026-02-29T10:00:00Z'));
/** A name that no agent, campaign, service or contact has. */
const badName = fc.oneof(
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a\nb', 'tab\there', 'Collections Q5', 'C99999', 'a.lopez '),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => `zz-${s}`),
  huge('n'),
);
const badZone = fc.oneof(fc.constantFrom('', 'Mars/Base', '__proto__', 'America/NewYork', '../../etc/passwd', 'UTC+5', 'america/new_york '), huge('Z'));
const badPhone = fc.oneof(fc.constantFrom('', ' ', 'abc', '+1 212 CALL NOW', '1\n2', '+'), huge('5'));
const badAt = fc.oneof(fc.constantFrom('', ' ', 'not a date', 'sometime', '2026-02-30 10:00', '2020-01-01 10:00', '2026-11-25T10:00:00+15:00', 'line\nbreak'), huge('t'));
const badChoice = fc.oneof(fc.constantFrom('', 'PREVIEW', 'fast', '__proto__', 'csv,jsonl'), huge('c'));
const junk = fc.oneof(fc.constantFrom('extra', '--nope', '-x'), fc.string({ minLength: 1, maxLength: 10 }).map((s) => `zz${s}`));
/** A minute into a billing slot (30-minute slots from 09:00 London): never a slot's start. */
const offSlot = fc.integer({ min: 1, max: 29 }).map((m) => `2026-12-01T10:${String(m).padStart(2, '0')}:00Z`);

const st = () => ['--state', STATE];
const add = (over: Record<string, string>) => {
  const o: Record<string, string> = { '--record': '1010', '--at': '2026-11-26 18:00', ...over };
  return ['callbacks', 'add', ...st(), '--campaign', ...Object.entries(o).flat()];
};
const bookArgs = (over: Record<string, string>) => {
  const o: Record<string, string> = { '--service': 'billing', '--contact': 'C0010', '--slot': '2026-12-01T10:00:00Z', ...over };
  return ['callbacks', 'book', ...st(), ...Object.entries(o).flat()];
};

/** One command with one bad argument, everything else valid (the same command with good ones would succeed or be refused for that argument only). */
const badCommand: fc.Arbitrary<string[]> = fc.oneof(
  badName.map((v) => ['records', 'list', ...st(), '--campaign', v]),
  badZone.map((v) => ['records', 'list', ...st(), '--zone', v]),
  fc.oneof(badIntForm, fc.constantFrom('0', '1000000001')).map((v) => ['records', 'list', ...st(), '--limit', v]),
  fc.oneof(badChoice, fc.constantFrom('10', 'Readyy')).map((v) => ['records', 'list', ...st(), '--status', v]),
  badName.map((v) => ['records', 'import', files.goodCsv, ...st(), '--campaign', v]),
  fc.constantFrom('', files.missing, dir, files.lettersCsv, files.twiceCsv).map((f) => ['records', 'import', f, ...st(), '--campaign', 'collections-q4']),
  badName.map((v) => ['records', 'export', ...st(), '--campaign', v]),
  badChoice.map((v) => ['records', 'export', ...st(), '--campaign', 'collections-q4', '--format', v]),
  junk.map((v) => ['callbacks', 'list', ...st(), v]),
  fc.oneof(badIntForm, fc.constantFrom('0', '9007199254740992')).map((v) => add({ '--record': v })),
  badAt.map((v) => add({ '--at': v })),
  badPhone.map((v) => add({ '--phone': v })),
  badName.map((v) => add({ '--agent': v })),
  badZone.map((v) => add({ '--tz': v })),
  fc.oneof(badIntForm, fc.constant('999999')).map((v) => ['callbacks', 'reschedule', v, ...st(), '--at', '2026-11-26 18:00']),
  fc.oneof(badIntForm, fc.constant('999999')).map((v) => ['callbacks', 'cancel', v, ...st()]),
  badName.map((v) => bookArgs({ '--service': v })),
  badName.map((v) => bookArgs({ '--contact': v })),
  fc.oneof(badInstant, offSlot).map((v) => bookArgs({ '--slot': v })),
  badChoice.map((v) => bookArgs({ '--type': v })),
  badPhone.map((v) => bookArgs({ '--number': v })),
  badName.map((v) => ['slots', ...st(), '--service', v]),
  badDate.map((v) => ['slots', ...st(), '--start', v]),
  fc.oneof(badIntForm, fc.constantFrom('0', '91')).map((v) => ['slots', ...st(), '--days', v]),
  badZone.map((v) => ['slots', ...st(), '--tz', v]),
  badChoice.map((v) => ['sim', '--mode', v]),
  fc.oneof(badIntForm, fc.constantFrom('0', '2001')).map((v) => ['sim', '--agents', v]),
  fc.oneof(badNumForm, fc.constantFrom('0', '745')).map((v) => ['sim', '--hours', v]),
  fc.oneof(badNumForm, fc.constantFrom('0', '1.5')).map((v) => ['sim', '--hit-rate', v]),
  fc.oneof(badNumForm, fc.constantFrom('0', '36001')).map((v) => ['sim', '--talk', v]),
  fc.oneof(badNumForm, fc.constant('36001')).map((v) => ['sim', '--wrap', v]),
  fc.oneof(badNumForm, fc.constantFrom('0', '0.6')).map((v) => ['sim', '--target-abandon', v]),
  fc.oneof(badIntForm, fc.constant('4294967296')).map((v) => ['sim', '--seed', v]),
  badInstant.map((v) => ['sim', '--now', v]),
  fc.constantFrom('', files.missing, dir, files.lettersCsv, files.twiceCsv).map((f) => ['sim', '--calling-list', f]),
  junk.map((v) => ['campaigns', 'list', ...st(), v]),
  fc.tuple(fc.constantFrom('load', 'start', 'stop', 'unload'), badName).map(([verb, v]) => ['campaigns', verb, v, ...st()]),
  badName.map((v) => ['campaigns', 'mode', v, 'preview', ...st()]),
  badChoice.map((v) => ['campaigns', 'mode', 'collections-q4', v, ...st()]),
  // World options, on any command.
  fc.tuple(fc.constantFrom('records list', 'callbacks list', 'slots', 'campaigns list'), fc.oneof(badIntForm, fc.constant('4294967296'))).map(([c, v]) => [...c.split(' '), ...st(), '--seed', v]),
  fc.tuple(fc.constantFrom('records list', 'callbacks list', 'slots', 'campaigns list'), badInstant).map(([c, v]) => [...c.split(' '), ...st(), '--now', v]),
  // demo: its options and a bad line of its script.
  fc.oneof(badIntForm, fc.constant('4294967296')).map((v) => ['demo', files.demo, ...st(), '--seed', v]),
  fc.constantFrom('--cast', '--frames').map((o) => ['demo', files.demo, ...st(), o, '']),
  fc
    .oneof(
      // A script line loses its trailing blanks: "seed 5 " would be a good seed.
      fc.oneof(badIntForm, fc.constant('4294967296')).filter((v) => !/^\d+$/.test(v.trimEnd())).map((v) => `seed ${v}`),
      fc.oneof(fc.integer({ min: 367, max: 1e9 }).map((n) => `${n}d`), fc.integer({ min: 8785, max: 1e9 }).map((n) => `${n}h`), fc.constantFrom('soon', '-1d', '0x10s', '')).map((v) => `advance ${v}`),
      fc.integer({ min: 61, max: 1e9 }).map((n) => `wait ${n}m`),
      badInstant.map((v) => `now ${v}`),
      badZone.filter((z) => z.trim() !== '').map((v) => `tz ${v}`),
      badName.filter((n) => n.trim() !== '' && n.trimEnd() !== 'a.lopez' && !n.includes('\n')).map((v) => `agent ${v}`),
    )
    .map((line) => ['demo', `@script:size 80x24\n${line}\nkey enter\n`, ...st()]),
);

describe.each(backends)('property: every command refuses generated bad arguments, on $name', (b) => {
  beforeAll(() => on(b));
  // 100 runs of the bin: about a minute alone, several beside a busy machine.
  it('exit 2, one line on stderr, no stack trace, the state byte-identical', { timeout: 600_000 }, async () => {
    let n = 0;
    const check = (generated: string[]): Promise<unknown> => {
      let args = generated;
      // A demo script is written to a file of its own.
      const i = args.findIndex((a) => a.startsWith('@script:'));
      if (i >= 0) {
        const f = path.join(dir, `case-${b.name}-${n}.demo`);
        fs.writeFileSync(f, args[i].slice('@script:'.length));
        args = args.map((a, j) => (j === i ? f : a));
      }
      n++;
      return refusedInLane(args);
    };
    // fast-check draws the same 100 commands for one seed in fc.sample as in fc.assert: each is
    // started here, LANES at a time, and the property awaits their checks in the order it draws
    // them (a command it tries while shrinking after a failure is checked when it asks).
    const started = fc.sample(badCommand, { seed: 42, numRuns: 100 }).map((args) => {
      const done = check(args);
      // Awaited by the property below, where a failure fails it.
      done.catch(() => {});
      return { key: JSON.stringify(args), done };
    });
    try {
      await fc.assert(
        fc.asyncProperty(badCommand, async (args) => {
          await (started[0]?.key === JSON.stringify(args) ? started.shift()!.done : check(args));
        }),
        { seed: 42, numRuns: 100 },
      );
    } finally {
      // None still running when the test ends, passed or failed.
      await Promise.allSettled(started.map((s) => s.done));
    }
  });
});
