import { describe, expect, it } from 'vitest';
import type { CallbackSlot } from '../../src/engine/genesys-callback.js';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import {
  changed,
  focusOf,
  formFields,
  genesysFormReducer,
  genesysFormState,
  okOutcome,
  readTypedDay,
  slotCursor,
  zoneMatches,
  type GenesysFormAction,
  type GenesysFormState,
} from '../../src/screens/callback/genesys-callback-state.js';

/** New Callback / Reschedule Callback, action by action: the reducer, without Ink or an engine. */

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0); // Tue 24 Nov 2026 10:00 EST
const MIN = 60_000;
const TUE = { year: 2026, month: 11, day: 24 };

function newForm(): GenesysFormState {
  return genesysFormState({ mode: 'new', service: 'customer-care', tz: 'America/New_York', date: TUE, numbers: ['+17095550100', '+17095550101'] });
}
function rescheduleForm(): GenesysFormState {
  return genesysFormState({
    mode: 'reschedule',
    service: 'customer-care',
    tz: 'America/New_York',
    date: TUE,
    numbers: ['+17095550100', '+17095550101'],
    existing: { type: 'Scheduled', customerNumber: '+17095550101' },
  });
}
const run = (s: GenesysFormState, ...actions: GenesysFormAction[]) => actions.reduce(genesysFormReducer, s);

/** Slots of 15 minutes from T0, one per letter: o open, p past, f full, x open but outside the number's contact hours. */
function slots(marks: string): CallbackSlot[] {
  return [...marks].map((m, i) => ({
    service: 'customer-care',
    start: T0 + i * 15 * MIN,
    end: T0 + (i + 1) * 15 * MIN,
    total: 3,
    remaining: m === 'f' ? 0 : 3,
    unavailable: m === 'p' ? 'past' : m === 'f' ? 'full' : null,
    ...(m === 'x' ? { outsideContactHours: true } : {}),
  }));
}

describe('the fields Tab walks', () => {
  it('starts New Callback on Type and Reschedule on its check box, unchecked, on the booking\'s type and number', () => {
    expect(newForm()).toMatchObject({ field: 'type', armed: true, type: 'Scheduled', numberIdx: 0, cursor: null, chosen: null });
    expect(rescheduleForm()).toMatchObject({ field: 'armed', armed: false, type: 'Scheduled', numberIdx: 1 });
  });

  it('walks the fields in order, wrapping both ways', () => {
    expect(formFields(newForm())).toEqual(['type', 'service', 'zone', 'date', 'number', 'grid', 'ok']);
    expect(formFields(rescheduleForm())).toEqual(['armed', 'type', 'zone', 'date', 'grid', 'ok']);
    expect(focusOf(run(newForm(), { type: 'focus', step: 1 }, { type: 'focus', step: 1 }))).toBe('zone');
    expect(focusOf(run(newForm(), { type: 'focus', step: -1 }))).toBe('ok');
    expect(focusOf(run(rescheduleForm(), { type: 'focus', step: -1 }, { type: 'focus', step: 1 }, { type: 'focus', step: 1 }))).toBe('type');
  });

  it('has no grid for an Immediate callback: the focus on the grid goes to the first field', () => {
    const onGrid = run(newForm(), { type: 'focus', step: -1 }, { type: 'focus', step: -1 });
    expect(focusOf(onGrid)).toBe('grid');
    const immediate = run(onGrid, { type: 'setType', value: 'Immediate' });
    expect(formFields(immediate)).toEqual(['type', 'service', 'zone', 'date', 'number', 'ok']);
    expect(focusOf(immediate)).toBe('type');
    // Back to a type with slots: the grid comes back, and the focus with it.
    expect(focusOf(run(immediate, { type: 'setType', value: 'Delayed' }))).toBe('grid');
  });
});

describe('changes', () => {
  it('checks the Reschedule box on a new type, and a new type is a change Esc asks about', () => {
    const s = rescheduleForm();
    expect(changed(s)).toBe(false);
    const delayed = run(s, { type: 'setType', value: 'Delayed (Agent Preview)' });
    expect(delayed).toMatchObject({ armed: true, type: 'Delayed (Agent Preview)' });
    expect(changed(delayed)).toBe(true);
    // The same type again with the box checked: nothing to lose.
    expect(changed(run(delayed, { type: 'setType', value: 'Scheduled' }))).toBe(false);
    // The box cleared: nothing would be committed, so nothing is lost.
    expect(changed(run(delayed, { type: 'toggleArmed' }))).toBe(false);
  });

  it('counts only a chosen slot as a change of a New Callback', () => {
    const s = run(newForm(), { type: 'setType', value: 'Delayed' }, { type: 'setService', value: 'billing' }, { type: 'setNumber', index: 1 });
    expect(s).toMatchObject({ type: 'Delayed', service: 'billing', numberIdx: 1 });
    expect(changed(s)).toBe(false);
    expect(changed(run(s, { type: 'chooseSlot', slots: slots('oo') }))).toBe(true);
  });
});

describe('the time zone', () => {
  it('takes the zone picked, leaves the list and clears the note; the day and the choice stay', () => {
    const chosen = run(newForm(), { type: 'chooseSlot', slots: slots('po') }, { type: 'zoneList', open: true });
    const s = run(chosen, { type: 'note', note: { kind: 'error', text: 'old' } }, { type: 'pickZone', zone: 'Asia/Kolkata', typed: 'kolkata' });
    expect(s).toMatchObject({ tz: 'Asia/Kolkata', zoneInList: false, note: null, date: TUE, chosen: T0 + 15 * MIN });
  });

  it('says what was typed when no zone matches it, and what to type when nothing was', () => {
    expect(run(newForm(), { type: 'pickZone', zone: undefined, typed: 'atlantis' })).toMatchObject({ tz: 'America/New_York', note: { kind: 'error', text: 'no time zone matches "atlantis"' } });
    expect(run(newForm(), { type: 'pickZone', zone: undefined, typed: '' }).note?.text).toBe('type part of a zone name, such as kolkata');
  });

  it('matches zone names by a part of them, spaces read as underscores', () => {
    const names = ['America/New_York', 'America/St_Johns', 'Asia/Kolkata', 'Europe/Berlin'];
    expect(zoneMatches(names, 'new york')).toEqual(['America/New_York']);
    expect(zoneMatches(names, 'AMERICA')).toEqual(['America/New_York', 'America/St_Johns']);
    expect(zoneMatches(names, '')).toEqual([]);
  });
});

describe('the day', () => {
  it('drops the chosen slot and puts the cursor back on the first bookable one on another day', () => {
    const s = run(newForm(), { type: 'moveCursor', move: 'right', slots: slots('ooo'), cols: 7 }, { type: 'chooseSlot', slots: slots('ooo') });
    expect(s).toMatchObject({ cursor: 1, chosen: T0 + 15 * MIN, field: 'ok' });
    const next = run(s, { type: 'stepDay', days: 1 });
    expect(next).toMatchObject({ date: { year: 2026, month: 11, day: 25 }, cursor: null, chosen: null, note: null });
    expect(run(s, { type: 'stepDay', days: -24 }).date).toEqual({ year: 2026, month: 10, day: 31 });
    expect(run(s, { type: 'setDay', date: { year: 2026, month: 12, day: 1 } })).toMatchObject({ date: { year: 2026, month: 12, day: 1 }, cursor: null, chosen: null });
  });

  it('checks the Reschedule box on another day', () => {
    expect(run(rescheduleForm(), { type: 'stepDay', days: 1 }).armed).toBe(true);
  });

  it('reads a typed date in the grid\'s zone, and says so when the text named its own zone', () => {
    const zones = new TimeZones(loadZoneDatabase());
    expect(readTypedDay('  ', T0, 'America/New_York', zones)).toBeNull();
    expect(readTypedDay('tomorrow', T0, 'America/New_York', zones)).toEqual({ date: { year: 2026, month: 11, day: 25 }, note: null });
    expect(readTypedDay('no such day', T0, 'America/New_York', zones)).toEqual({ error: 'cannot read "no such day" as a date' });
    // 01:00 on the 26th in Kolkata is still the 25th in New York: the grid's day.
    const pinned = readTypedDay('2026-11-26T01:00:00+05:30', T0, 'America/New_York', zones);
    expect(pinned).toEqual({ date: { year: 2026, month: 11, day: 25 }, note: { kind: 'ok', text: 'read in UTC+05:30: Wed 25 Nov 14:30 EST in America/New_York' } });
  });
});

describe('the slot cursor', () => {
  it('starts on the first slot that is open and in the number\'s hours, else the first open one, else the first', () => {
    expect(slotCursor(null, slots('pfxoo'))).toBe(3);
    expect(slotCursor(null, slots('pxxf'))).toBe(1);
    expect(slotCursor(null, slots('ppff'))).toBe(0);
    expect(slotCursor(null, [])).toBe(0);
    // Where the agent moved it, kept inside the grid when the day has fewer slots.
    expect(slotCursor(2, slots('ooooo'))).toBe(2);
    expect(slotCursor(9, slots('ooo'))).toBe(2);
  });

  it('moves one slot across or a row of the grid, onto full and past slots too, and stops at the edges', () => {
    const grid = slots('ppoo' + 'fooo' + 'oo'); // 10 slots, 4 a row
    const move = (s: GenesysFormState, ...moves: ('left' | 'right' | 'up' | 'down')[]) => run(s, ...moves.map((m) => ({ type: 'moveCursor' as const, move: m, slots: grid, cols: 4 })));
    const at = (s: GenesysFormState) => slotCursor(s.cursor, grid);
    expect(at(newForm())).toBe(2);
    expect(at(move(newForm(), 'left'))).toBe(1);
    expect(at(move(newForm(), 'left', 'left', 'left'))).toBe(0);
    expect(at(move(newForm(), 'down'))).toBe(6);
    expect(at(move(newForm(), 'down', 'down'))).toBe(6); // no row below slot 6 at its column
    expect(at(move(newForm(), 'up'))).toBe(2); // no row above
    expect(at(move(newForm(), 'right', 'down', 'down'))).toBe(7);
    expect(at(move(newForm(), 'down', 'right', 'right', 'right', 'right', 'right'))).toBe(9);
  });
});

describe('choosing a slot and OK', () => {
  it('refuses a full or past slot, saying why, and keeps the choice it had', () => {
    const full = run(newForm(), { type: 'moveCursor', move: 'left', slots: slots('fo'), cols: 7 }, { type: 'chooseSlot', slots: slots('fo') });
    expect(full).toMatchObject({ chosen: null, field: 'type', note: { kind: 'error', text: 'that slot is full; available slots are in [brackets]' } });
    const past = run(newForm(), { type: 'chooseSlot', slots: slots('o') }, { type: 'moveCursor', move: 'left', slots: slots('po'), cols: 7 }, { type: 'chooseSlot', slots: slots('po') });
    expect(past).toMatchObject({ chosen: T0, note: { text: 'that slot is in the past; available slots are in [brackets]' } });
  });

  it('books a slot outside the number\'s contact hours with a warning, and goes to OK', () => {
    const s = run(newForm(), { type: 'moveCursor', move: 'left', slots: slots('xo'), cols: 7 }, { type: 'chooseSlot', slots: slots('xo') });
    expect(s).toMatchObject({ chosen: T0, field: 'ok', note: { kind: 'warning' } });
    expect(run(newForm(), { type: 'chooseSlot', slots: slots('xo') })).toMatchObject({ chosen: T0 + 15 * MIN, note: null });
  });

  it('does nothing on an empty day', () => {
    const s = newForm();
    expect(run(s, { type: 'chooseSlot', slots: [] })).toBe(s);
  });

  it('asks for a slot first, commits the chosen one, or queues an Immediate callback now', () => {
    const s = newForm();
    expect(okOutcome(s)).toEqual({ type: 'needSlot' });
    expect(run(s, { type: 'needSlot' })).toMatchObject({ field: 'grid', note: { kind: 'error', text: 'choose a time slot in the grid first' } });
    expect(okOutcome(run(s, { type: 'chooseSlot', slots: slots('po') }))).toEqual({ type: 'commit', slot: T0 + 15 * MIN });
    expect(okOutcome(run(s, { type: 'setType', value: 'Immediate' }))).toEqual({ type: 'commit', slot: null });
  });

  it('closes a Reschedule whose box is clear without moving it', () => {
    const chosen = run(rescheduleForm(), { type: 'chooseSlot', slots: slots('oo') });
    expect(okOutcome(chosen)).toEqual({ type: 'commit', slot: T0 });
    expect(okOutcome(run(chosen, { type: 'toggleArmed' }))).toEqual({ type: 'close', message: 'Callback not rescheduled' });
  });
});
