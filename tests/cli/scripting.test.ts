import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBinAsync, tmpDir } from '../helpers/bin.js';
import { digest, stateBackends, type StateBackend } from '../helpers/pg-state-backends.js';

const dir = tmpDir('cbd-script-');
const NOW = '2026-11-24T15:00:00Z';
// The commands on a state, each describe once on a SQLite file and once on a PostgreSQL database.
const backends = stateBackends('cbd-script-');
afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

// The describes run side by side (describe.concurrent, vitest's maxConcurrency at a time), each
// on states of its own; the tests of one describe one after another, as they share its state.
// A run of the bin waits on its disk or its database about as much as it computes.
const it = test.sequential;

/**
 * A world the bin made at NOW, once per backend; a test that starts on such a world gets a copy
 * of it (an existing state keeps its clock: --now only shapes a new one). The original itself is
 * never used: PostgreSQL copies a database only while nobody is connected to it.
 */
const worlds = new Map<StateBackend, Promise<string>>();
async function worldAtNow(states: StateBackend, label: string): Promise<string> {
  let made = worlds.get(states);
  if (made === undefined) {
    made = (async () => {
      const s = await states.fresh('now');
      const r = await runBinAsync(['campaigns', 'list', '--state', s, '--now', NOW]);
      expect(r.status, r.stderr).toBe(0);
      return s;
    })();
    worlds.set(states, made);
  }
  return states.copy(await made, label);
}

/** Every row a command could change: the calling list, contacts, bookings, messages, config, ids. */
async function entitiesHash(states: StateBackend, state: string): Promise<string> {
  return digest(await states.rows(state, { tables: ['calling_list', 'contact', 'gms_callback', 'gms_slot', 'message', 'interaction', 'entity', 'counter'] }));
}

describe.concurrent.each(backends)('records and callbacks commands (the built bin), on $name', (states) => {
  let state: string;
  beforeAll(async () => {
    state = await worldAtNow(states, 'state');
  });

  it('records list --json uses the calling-list field names plus tz and local_time', async () => {
    const r = await runBinAsync(['records', 'list', '--state', state, '--now', NOW, '--zone', 'Asia/Kathmandu', '--json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.length).toBeGreaterThan(0);
    for (const rec of list) {
      expect(Object.keys(rec)).toEqual(
        expect.arrayContaining(['record_id', 'contact_info', 'contact_info_type', 'record_type', 'record_status', 'call_result', 'dial_sched_time', 'daily_from', 'daily_till', 'agent_id', 'chain_id', 'chain_n', 'tz', 'local_time']),
      );
      expect(rec.tz).toBe('Asia/Kathmandu');
    }
  });

  it('records list --campaign filters by name', async () => {
    const r = await runBinAsync(['records', 'list', '--state', state, '--campaign', 'Care Follow-up', '--json']);
    expect(r.status).toBe(0);
    expect(new Set(JSON.parse(r.stdout).map((x: { campaign_id: string }) => x.campaign_id))).toEqual(new Set(['care-follow-up']));
    const bad = await runBinAsync(['records', 'list', '--state', state, '--campaign', 'Nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no campaign "Nope"');
  });

  it('adds, lists, reschedules and cancels a callback on the same state file', async () => {
    const vancouver = JSON.parse((await runBinAsync(['records', 'list', '--state', state, '--zone', 'America/Vancouver', '--campaign', 'care-follow-up', '--json'])).stdout)[0];
    const add = await runBinAsync(['callbacks', 'add', '--state', state, '--record', String(vancouver.record_id), '--at', '2026-11-25 10:00', '--campaign', '--json']);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    const booked = JSON.parse(add.stdout);
    expect(booked.record_type).toBe(6);
    // British Columbia no longer changes its clocks: 10:00 in Vancouver is 17:00 UTC.
    expect(booked.dial_sched_time).toBe(Date.UTC(2026, 10, 25, 17) / 1000);
    expect(booked.local_time).toBe('2026-11-25T10:00:00-07:00');

    const list = JSON.parse((await runBinAsync(['callbacks', 'list', '--state', state, '--json'])).stdout);
    expect(list.map((x: { record_id: number }) => x.record_id)).toContain(vancouver.record_id);

    const moved = await runBinAsync(['callbacks', 'reschedule', String(vancouver.record_id), '--state', state, '--at', '2026-11-26 09:30', '--json']);
    expect(moved.status).toBe(0);
    expect(JSON.parse(moved.stdout).local_time).toBe('2026-11-26T09:30:00-07:00');

    const cancel = await runBinAsync(['callbacks', 'cancel', String(vancouver.record_id), '--state', state]);
    expect(cancel.status).toBe(0);
    const after = JSON.parse((await runBinAsync(['callbacks', 'list', '--state', state, '--json'])).stdout).find((x: { record_id: number }) => x.record_id === vancouver.record_id);
    expect(after.record_status).toBe(5);
  });

  it('books a personal callback for --agent, in --tz when given', async () => {
    const rec = JSON.parse((await runBinAsync(['records', 'list', '--state', state, '--zone', 'Asia/Kolkata', '--campaign', 'care-follow-up', '--json'])).stdout)[0];
    const r = await runBinAsync(['callbacks', 'add', '--state', state, '--record', String(rec.record_id), '--at', '2026-11-25 08:00', '--tz', 'Europe/London', '--personal', '--json']);
    expect(r.status).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.record_type).toBe(5);
    expect(b.agent_id).toBe('a.lopez');
    expect(b.dial_sched_time).toBe(Date.UTC(2026, 10, 25, 8) / 1000);
    expect(b.local_time).toBe('2026-11-25T13:30:00+05:30');
  });

  it('refuses a daylight-saving gap with the nearest valid times, and an overlap without --earlier/--later; nothing changes', async () => {
    const march = await states.fresh('march');
    const rec = JSON.parse((await runBinAsync(['records', 'list', '--state', march, '--now', '2027-03-01T15:00:00Z', '--zone', 'America/New_York', '--campaign', 'care-follow-up', '--json'])).stdout)[0];
    const before = await entitiesHash(states, march);
    const gap = await runBinAsync(['callbacks', 'add', '--state', march, '--record', String(rec.record_id), '--at', '2027-03-14 02:30']);
    expect(gap.status).toBe(2);
    expect(gap.stderr).toContain('nearest valid times: 01:59 EST or 03:00 EDT');
    expect(gap.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await entitiesHash(states, march)).toBe(before);

    const fall = await states.fresh('fall');
    const rec2 = JSON.parse((await runBinAsync(['records', 'list', '--state', fall, '--now', '2026-10-25T15:00:00Z', '--zone', 'America/New_York', '--campaign', 'care-follow-up', '--json'])).stdout)[0];
    const over = await runBinAsync(['callbacks', 'add', '--state', fall, '--record', String(rec2.record_id), '--at', '2026-11-01 01:30']);
    expect(over.status).toBe(2);
    expect(over.stderr).toContain('pass --earlier or --later');
    const later = await runBinAsync(['callbacks', 'add', '--state', fall, '--record', String(rec2.record_id), '--at', '2026-11-01 01:30', '--later', '--json']);
    expect(later.status).toBe(0);
    expect(JSON.parse(later.stdout).dial_sched_time).toBe(Date.UTC(2026, 10, 1, 6, 30) / 1000);
  });

  it.each([
    [['--record', '999999', '--at', 'tomorrow 3pm'], 'no record 999999'],
    [['--record', '1459', '--at', 'someday'], 'cannot read --at "someday"'],
    [['--record', '1459', '--at', '2026-11-20 10:00'], 'is in the past'],
    [['--record', '1459', '--at', 'tomorrow 3pm', '--phone', '12'], 'not a valid phone number'],
    [['--record', '1459', '--at', 'tomorrow 3pm', '--personal', '--campaign'], 'cannot be used with'],
  ])('%j: one line on stderr, exit 2, nothing changed', async (args, message) => {
    const before = await entitiesHash(states, state);
    const r = await runBinAsync(['callbacks', 'add', '--state', state, ...(args as string[])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message as string);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await entitiesHash(states, state)).toBe(before);
  });
});



describe.concurrent.each(backends)('slots and callbacks book (the built bin), on $name', (states) => {
  let state: string;
  beforeAll(async () => {
    state = await worldAtNow(states, 'gms');
  });
  it('slots --json answers in the GMS v2 shape, utcTime exact to the second', async () => {
    const r = await runBinAsync(['slots', '--state', state, '--now', NOW, '--service', 'billing', '--start', '2026-11-25', '--json']);
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(Object.keys(a)).toEqual(['durationMin', 'timezone', 'slots']);
    expect(a).toMatchObject({ durationMin: 30, timezone: 'Europe/London' });
    expect(a.slots[0]).toEqual({ utcTime: '2026-11-25T09:00:00Z', localTime: '2026-11-25T09:00:00+00:00', capacity: 2, total: 2 });
    expect(a.slots).toHaveLength(16);
  });

  it('books until full, then refuses with CallbackExceptionAvailability (exit 2); --busy shows the full slot', async () => {
    // Three customers for the two places of one slot.
    const args = (contact: string) => ['callbacks', 'book', '--state', state, '--service', 'billing', '--contact', contact, '--slot', '2026-11-25T10:00:00Z'];
    expect((await runBinAsync([...args('C0001'), '--json'])).status).toBe(0);
    expect((await runBinAsync(args('C0002'))).status).toBe(0);
    const third = await runBinAsync(args('C0003'));
    expect(third.status).toBe(2);
    expect(third.stderr).toContain('CallbackExceptionAvailability');
    const free = JSON.parse((await runBinAsync(['slots', '--state', state, '--service', 'billing', '--start', '2026-11-25', '--json'])).stdout);
    expect(free.slots.some((s: { utcTime: string }) => s.utcTime === '2026-11-25T10:00:00Z')).toBe(false);
    const busy = JSON.parse((await runBinAsync(['slots', '--state', state, '--service', 'billing', '--start', '2026-11-25', '--busy', '--json'])).stdout);
    expect(busy.slots.find((s: { utcTime: string }) => s.utcTime === '2026-11-25T10:00:00Z')).toMatchObject({ capacity: 0, total: 2 });
  });

  it.each([
    [['slots', '--service', 'nope'], 'CallbackExceptionResource'],
    [['slots', '--days', '0'], 'number of days'],
    [['callbacks', 'book', '--service', 'billing', '--contact', 'C0001', '--slot', '2026-11-25T03:00:00Z'], 'closed'],
    [['callbacks', 'book', '--service', 'billing', '--contact', 'C0001', '--slot', 'tomorrow'], 'not an ISO-8601 instant'],
    [['callbacks', 'book', '--service', 'billing', '--contact', 'C9999', '--slot', '2026-11-25T11:00:00Z'], 'no contact "C9999" (nearest: C0099'],
  ])('%j: exit 2 with a one-line message', async (args, message) => {
    const r = await runBinAsync([...(args as string[]), '--state', state]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message as string);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe.concurrent('sim (the built bin)', () => {
  it('prints the figures, the same for the same arguments', async () => {
    const args = ['sim', '--mode', 'predictive', '--agents', '30', '--hours', '2', '--seed', '4', '--json'];
    const a = await runBinAsync(args);
    expect(a.status).toBe(0);
    expect((await runBinAsync(args)).stdout).toBe(a.stdout);
    const f = JSON.parse(a.stdout);
    for (const k of ['attempts', 'liveAnswers', 'abandoned', 'abandonRate', 'occupancy', 'talkMinutesPerAgentHour', 'byResult']) expect(f).toHaveProperty(k);
    expect(Object.values(f.byResult as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(f.attempts);
    const text = await runBinAsync(['sim', '--mode', 'progressive', '--agents', '10', '--hours', '1']);
    expect(text.stdout).toContain('agent occupancy');
    expect(text.stdout).toContain('attempts by call_result:');
  });

  it('loads a calling list and names the line of a bad row', async () => {
    const good = path.join(dir, 'list.csv');
    fs.writeFileSync(good, 'record_id,contact_info,contact_info_type,record_type,record_status,daily_from,daily_till,tz\n1,+12125550100,4,2,1,0,86400,America/New_York\n2,+12125550101,4,2,1,0,86400,America/New_York\n');
    expect((await runBinAsync(['sim', '--calling-list', good, '--agents', '2', '--hours', '1'])).status).toBe(0);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'record_id,contact_info,daily_from,daily_till,tz\n1,+12125550100,0,86400,America/New_York\n2,+12125550101,0,lunch,America/New_York\n');
    const r = await runBinAsync(['sim', '--calling-list', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.csv line 3: daily_till "lunch"');
  });

  it.each([
    [['--mode', 'turbo'], 'Allowed choices'],
    [['--agents', '0'], 'whole number'],
    [['--hit-rate', '2'], 'number from'],
    [['--talk', 'long'], 'number from'],
  ])('%j: one line on stderr, exit 2', async (args, msg) => {
    const r = await runBinAsync(['sim', ...(args as string[])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(msg as string);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

// In memory (no --state): once, not once per backend. tests/cli/demos-on-both.test.ts runs every
// demo on a SQLite file and on a PostgreSQL database.
describe.concurrent('the demos behind the README', () => {
  it.each([
    'demos/web-callback.demo',
    'demos/negotiated-logout.demo',
    'demos/login.demo',
    'demos/my-callbacks.demo',
    'demos/notification-queue.demo',
    'demos/reschedule-callback.demo',
    'demos/new-callback-from-chat.demo',
    'demos/new-callback-from-team-communicator.demo',
  ])('%s runs through the bin', async (demo) => {
    const r = await runBinAsync(['demo', demo]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe.concurrent.each(backends)('campaigns (the built bin), on $name', (states) => {
  let state: string;
  beforeAll(async () => {
    state = await worldAtNow(states, 'campaigns');
  });
  it('moves a campaign through its lifecycle and changes its dialing mode', async () => {
    const list = JSON.parse((await runBinAsync(['campaigns', 'list', '--state', state, '--now', NOW, '--json'])).stdout);
    expect(list.find((c: { id: string }) => c.id === 'winter-appeal')).toMatchObject({ status: 'Loaded', dialing_mode: 8, delivery: 'Automatic' });
    expect((await runBinAsync(['campaigns', 'start', 'Winter Appeal', '--state', state])).stdout).toBe('Winter Appeal: Started\n');
    const bad = await runBinAsync(['campaigns', 'unload', 'Winter Appeal', '--state', state]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('it can go to Stopped');
    expect((await runBinAsync(['campaigns', 'stop', 'winter-appeal', '--state', state])).status).toBe(0);
    expect((await runBinAsync(['campaigns', 'unload', 'winter-appeal', '--state', state])).status).toBe(0);
    expect((await runBinAsync(['campaigns', 'mode', 'Collections Q4', 'progressive', '--state', state])).stdout).toBe('Collections Q4: Progressive\n');
    const after = JSON.parse((await runBinAsync(['campaigns', 'list', '--state', state, '--json'])).stdout);
    expect(after.find((c: { id: string }) => c.id === 'winter-appeal').status).toBe('Unloaded');
    expect(after.find((c: { id: string }) => c.id === 'collections-q4').dialing_mode).toBe(2);
  });

  it('keeps the form\'s rules and is safe to retry: a second or identical callback, policy, agent, contact hours', async () => {
    const f = await worldAtNow(states, 'retry');
    const add = (...args: string[]) => runBinAsync(['callbacks', 'add', '--state', f, '--now', NOW, ...args]);
    expect((await add('--record', '1010', '--at', '2026-11-26 18:00', '--campaign')).status).toBe(0);
    const before = await entitiesHash(states, f);
    const again = await add('--record', '1010', '--at', '2026-11-26 18:00', '--campaign');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/callback 1010 already exists/);
    const second = await add('--record', '1010', '--at', '2026-11-26 19:00', '--campaign');
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already has an open callback .*pass --replace/);
    expect(await entitiesHash(states, f)).toBe(before);
    expect((await add('--record', '1010', '--at', '2026-11-26 19:00', '--campaign', '--replace')).status).toBe(0);
    const list = JSON.parse((await runBinAsync(['records', 'list', '--state', f, '--campaign', 'winter-appeal', '--json'])).stdout) as { record_id: number }[];
    const personalOnly = await add('--record', String(list[0].record_id), '--at', 'tomorrow 10:00', '--campaign');
    expect(personalOnly.status).toBe(2);
    expect(personalOnly.stderr).toMatch(/personal-only/);
    const nobody = await add('--record', '1020', '--at', 'tomorrow 10:00', '--personal', '--agent', 'nobody');
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toMatch(/no agent "nobody" \(agents: a\.lopez/);
    // Outside the number's contact hours: booked, with the form's warning on stderr.
    const night = await add('--record', '1011', '--at', '2026-11-26 03:00', '--campaign');
    expect(night.status).toBe(0);
    expect(night.stderr).toMatch(/warning: outside the contact hours .* the dialer waits until/);
    // An explicit zone is read as given, and the JSON says so.
    const utc = await add('--record', '1012', '--at', '2026-11-26T15:00:00Z', '--campaign', '--json');
    expect(utc.status).toBe(0);
    const rec = JSON.parse(utc.stdout);
    expect(rec.dial_sched_time).toBe(Date.UTC(2026, 10, 26, 15) / 1000);
    expect(rec.at_read_in).toBe('UTC');
    const book = (...args: string[]) => runBinAsync(['callbacks', 'book', '--state', f, '--service', 'billing', '--contact', 'C0010', '--slot', '2026-12-01T10:00:00Z', ...args]);
    expect((await book()).status).toBe(0);
    const twice = await book();
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/C0010 already holds this slot of billing: callback CB\d+/);
  });

  it('callbacks list shows the open Genesys Callback bookings too; --gms --json in the GMS names', async () => {
    const f = await worldAtNow(states, 'list-gms');
    const booked = await runBinAsync(['callbacks', 'book', '--state', f, '--now', NOW, '--service', 'billing', '--contact', 'C0011', '--slot', '2026-12-01T10:00:00Z', '--json']);
    expect(booked.status).toBe(0);
    const id = JSON.parse(booked.stdout).id as string;
    const text = await runBinAsync(['callbacks', 'list', '--state', f]);
    expect(text.stdout).toContain('Genesys Callback bookings (open)');
    expect(text.stdout).toMatch(new RegExp(`${id}\\s+billing\\s+2026-12-01T10:00:00Z\\s+C0011`));
    const json = JSON.parse((await runBinAsync(['callbacks', 'list', '--state', f, '--gms', '--json'])).stdout) as { id: string; _desired_time: string; state: string }[];
    expect(json.find((b) => b.id === id)).toMatchObject({ _desired_time: '2026-12-01T10:00:00Z', state: 'SCHEDULED' });
  });
});

