import { describe, expect, it } from 'vitest';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import {
  focusOf,
  readTypedDate,
  readTypedTime,
  rescheduleFields,
  rescheduleReducer,
  rescheduleState,
  type RescheduleAction,
  type RescheduleState,
} from '../../src/screens/call/reschedule-state.js';

/** The OCS Reschedule Callback, action by action: the reducer, without Ink or an engine. */

const zones = new TimeZones(loadZoneDatabase());
const T0 = Date.UTC(2026, 10, 24, 15, 20, 0); // Tue 24 Nov 2026 10:20 EST
const NY = 'America/New_York';
const form = (policy: 'free' | 'locked-on' | 'hidden' = 'free') => rescheduleState({ pending: null, recordId: 1001, policy, contactTz: NY, now: T0, zones });
const run = (s: RescheduleState, ...actions: RescheduleAction[]) => actions.reduce(rescheduleReducer, s);

describe('the form it opens on', () => {
  it('without a callback set: unchecked, tomorrow at the next full hour in the contact\'s zone, Personal as the campaign has it', () => {
    expect(form()).toMatchObject({ armed: false, date: { year: 2026, month: 11, day: 25 }, hour: 11, minute: 0, personal: false, recordId: 1001, field: 'armed', note: null });
    expect(form('locked-on').personal).toBe(true);
  });

  it('with a callback set: that callback, checked', () => {
    const pending = { at: Date.UTC(2026, 10, 27, 21, 45), tz: NY, local: '2026-11-27 16:45', callbackType: 'Personal' as const, recordId: 1002 };
    expect(rescheduleState({ pending, recordId: 1001, policy: 'free', contactTz: NY, now: T0, zones })).toMatchObject({
      armed: true,
      date: { year: 2026, month: 11, day: 27 },
      hour: 16,
      minute: 45,
      personal: true,
      recordId: 1002,
    });
  });
});

describe('the fields Tab walks', () => {
  it('has Which only in the fall-back hour, and Personal unless the campaign hides it', () => {
    expect(rescheduleFields(false, 'free')).toEqual(['armed', 'date', 'time', 'personal', 'phone', 'newNumber']);
    expect(rescheduleFields(true, 'locked-on')).toEqual(['armed', 'date', 'time', 'overlap', 'personal', 'phone', 'newNumber']);
    expect(rescheduleFields(false, 'hidden')).toEqual(['armed', 'date', 'time', 'phone', 'newNumber']);
  });

  it('walks the fields shown, wrapping; a field no longer shown gives the focus back to the check box', () => {
    const fields = rescheduleFields(true, 'free');
    expect(run(form(), { type: 'focus', step: -1, fields }).field).toBe('newNumber');
    const onWhich = run(form(), ...Array<RescheduleAction>(3).fill({ type: 'focus', step: 1, fields }));
    expect(onWhich.field).toBe('overlap');
    const shown = rescheduleFields(false, 'free');
    expect(focusOf(onWhich, shown)).toBe('armed');
    expect(run(onWhich, { type: 'focus', step: 1, fields: shown }).field).toBe('date');
  });
});

describe('changes', () => {
  it('checks the box with a new day, a picked day or Personal, and clears what the form said', () => {
    const said = run(form(), { type: 'note', note: { kind: 'error', text: 'old' } });
    expect(run(said, { type: 'stepDay', days: 1 })).toMatchObject({ date: { year: 2026, month: 11, day: 26 }, armed: true, note: null });
    expect(run(said, { type: 'pickDay', date: { year: 2026, month: 12, day: 24 } })).toMatchObject({ date: { day: 24, month: 12 }, armed: true, note: null, calendar: false });
    expect(run(said, { type: 'togglePersonal' })).toMatchObject({ personal: true, armed: true, note: null });
    expect(run(said, { type: 'toggleArmed' })).toMatchObject({ armed: true, note: null });
    expect(run(said, { type: 'setRecord', recordId: 1003 })).toMatchObject({ recordId: 1003, note: null });
  });

  it('steps the time alone: the box and the note stay as they were', () => {
    const said = run(form(), { type: 'note', note: { kind: 'error', text: 'old' } });
    const s = run(said, { type: 'stepTime', wall: { year: 2026, month: 11, day: 26, hour: 0, minute: 5 } });
    expect(s).toMatchObject({ date: { year: 2026, month: 11, day: 26 }, hour: 0, minute: 5, armed: false, note: { text: 'old' } });
  });

  it('chooses the first of the two fall-back times with ←, and toggles between them with →', () => {
    expect(run(form(), { type: 'overlap', step: -1 }).overlap).toBe('earlier');
    expect(run(form(), { type: 'overlap', step: 1 }).overlap).toBe('earlier');
    expect(run(form(), { type: 'overlap', step: 1 }, { type: 'overlap', step: 1 }).overlap).toBe('later');
    // Another day asks again.
    expect(run(form(), { type: 'overlap', step: 1 }, { type: 'pickDay', date: { year: 2026, month: 11, day: 30 } }).overlap).toBeUndefined();
  });

  it('puts the number New Phone Number added on the callback, and says so', () => {
    const open = run(form(), { type: 'adding', open: true });
    expect(open.adding).toBe(true);
    expect(run(open, { type: 'numberAdded', recordId: 1009, message: 'added +442079460123' })).toMatchObject({ adding: false, recordId: 1009, note: { kind: 'ok', text: 'added +442079460123' } });
    expect(run(open, { type: 'numberAdded', recordId: null, message: '' })).toMatchObject({ adding: false, recordId: 1001, note: null });
  });
});

describe('typed text', () => {
  it('reads a date in words in the contact\'s zone, with its time when it has one', () => {
    const monday = readTypedDate('next monday', T0, NY, zones);
    expect(monday).toEqual({ change: { date: { year: 2026, month: 11, day: 30 }, armed: true, overlap: undefined }, note: null });
    if (!monday || 'error' in monday) throw new Error('next monday: not read');
    const s = run(form(), { type: 'typed', change: monday.change, note: monday.note });
    expect(s).toMatchObject({ date: { day: 30 }, hour: 11, minute: 0, armed: true });
    expect(readTypedDate('friday 4pm', T0, NY, zones)).toMatchObject({ change: { date: { day: 27 }, hour: 16, minute: 0 } });
  });

  it('reads a date or a time in the zone it names, and says so', () => {
    expect(readTypedDate('2026-11-30T15:00:00Z', T0, NY, zones)).toEqual({
      change: { date: { year: 2026, month: 11, day: 30 }, hour: 10, minute: 0, armed: true, overlap: undefined },
      note: { kind: 'ok', text: 'read in UTC: Mon 30 Nov 10:00 EST for the contact' },
    });
    expect(readTypedTime('18:30 Europe/Berlin', { year: 2026, month: 11, day: 30 }, T0, NY, zones)).toMatchObject({
      change: { hour: 12, minute: 30, date: { day: 30 } },
      note: { kind: 'ok', text: 'read in Europe/Berlin: 12:30 for the contact' },
    });
  });

  it('says why it cannot read the text, and reads nothing in an empty field', () => {
    expect(readTypedDate('blursday', T0, NY, zones)).toEqual({ error: 'cannot read "blursday" as a date; try "tomorrow 3pm", "next monday", "in 2 hours", "12/24 9:30"' });
    expect(readTypedTime('25:99', { year: 2026, month: 11, day: 30 }, T0, NY, zones)).toEqual({ error: 'cannot read "25:99" as a time; try 15:30, 3pm or 15:30 UTC' });
    expect(readTypedDate(' ', T0, NY, zones)).toBeNull();
    expect(readTypedTime('', { year: 2026, month: 11, day: 30 }, T0, NY, zones)).toBeNull();
  });
});
