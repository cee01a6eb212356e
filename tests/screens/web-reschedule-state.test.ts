import { describe, expect, it } from 'vitest';
import { minutesLabel, webRescheduleReducer, webRescheduleState, type WebRescheduleAction, type WebRescheduleState } from '../../src/screens/callback/web-reschedule-state.js';

/** A web callback's Reschedule Callback, action by action: the reducer, without Ink or an engine. */

const TUE = { year: 2026, month: 11, day: 24 };
const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** A 07:30-08:00 window on Tue 24 Nov, the box clear, To the second number. */
const form = (): WebRescheduleState => webRescheduleState({ on: TUE, from: at('07:30'), till: at('08:00'), toIdx: 1, armed: false });
const run = (s: WebRescheduleState, ...actions: WebRescheduleAction[]) => actions.reduce(webRescheduleReducer, s);
const window = (s: WebRescheduleState) => `${minutesLabel(s.from)}-${minutesLabel(s.till)}`;

describe('a web callback\'s Reschedule Callback', () => {
  it('starts on the check box and walks On, From, Till, To, wrapping both ways', () => {
    expect(form()).toMatchObject({ field: 'armed', armed: false, calendar: false, note: null });
    expect(run(form(), { type: 'focus', step: 1 }).field).toBe('on');
    expect(run(form(), { type: 'focus', step: -1 }).field).toBe('to');
    expect(run(form(), ...Array<WebRescheduleAction>(5).fill({ type: 'focus', step: 1 })).field).toBe('armed');
  });

  it('moves the window with From, keeping its duration, and Till alone; inside the day', () => {
    expect(window(run(form(), { type: 'step', which: 'from', minutes: 60 }))).toBe('08:30-09:00');
    expect(window(run(form(), { type: 'step', which: 'from', minutes: -1 }))).toBe('07:29-07:59');
    expect(window(run(form(), { type: 'step', which: 'till', minutes: 60 }))).toBe('07:30-09:00');
    // At the ends of the day both stop: the window shrinks instead of leaving the day.
    expect(window(run(form(), { type: 'step', which: 'from', minutes: 16 * 60 + 45 }))).toBe('23:59-23:59');
    expect(window(run(form(), { type: 'step', which: 'from', minutes: -8 * 60 }))).toBe('00:00-00:00');
    // A step checks the box and clears what the form said.
    expect(run(form(), { type: 'note', note: 'old' }, { type: 'step', which: 'till', minutes: 1 })).toMatchObject({ armed: true, note: null });
  });

  it('reads a typed From as the new start, keeping the duration, or half an hour when there was none', () => {
    const from = run(form(), { type: 'typedTime', which: 'from', hour: 15, minute: 30, date: TUE });
    expect(window(from)).toBe('15:30-16:00');
    expect(from).toMatchObject({ armed: true, note: null, on: TUE });
    // Till before From: no duration to keep, so half an hour after the new From...
    const inverted = run(form(), { type: 'typedTime', which: 'till', hour: 7, minute: 0, date: TUE });
    expect(window(inverted)).toBe('07:30-07:00');
    expect(window(run(inverted, { type: 'typedTime', which: 'from', hour: 9, minute: 0, date: TUE }))).toBe('09:00-09:30');
    // ...unless that Till is after the new From: it stays.
    expect(window(run(inverted, { type: 'typedTime', which: 'from', hour: 6, minute: 0, date: TUE }))).toBe('06:00-07:00');
    // Never past the end of the day.
    expect(window(run(form(), { type: 'typedTime', which: 'from', hour: 23, minute: 45, date: TUE }))).toBe('23:45-23:59');
  });

  it('takes the day a time typed in another zone falls on, and says where it was read', () => {
    const wed = { year: 2026, month: 11, day: 25 };
    const s = run(form(), { type: 'typedTime', which: 'till', hour: 1, minute: 5, date: wed, readIn: 'Europe/Berlin' });
    expect(s).toMatchObject({ on: wed, till: at('01:05'), note: 'read in Europe/Berlin: 01:05 for the customer' });
  });

  it('moves From to a typed date\'s time, and keeps it for a date without one', () => {
    const wed = { year: 2026, month: 11, day: 25 };
    const timed = run(form(), { type: 'note', note: 'old' }, { type: 'typedDay', on: wed, from: at('10:00') });
    expect(timed).toMatchObject({ on: wed, armed: true, note: null });
    expect(window(timed)).toBe('10:00-10:30');
    expect(window(run(form(), { type: 'typedDay', on: wed, from: null }))).toBe('07:30-08:00');
  });

  it('steps the day and picks one on the calendar, checking the box', () => {
    expect(run(form(), { type: 'stepDay', days: -1 })).toMatchObject({ on: { year: 2026, month: 11, day: 23 }, armed: true });
    expect(run(form(), { type: 'stepDay', days: 7 }).on).toEqual({ year: 2026, month: 12, day: 1 });
    const open = run(form(), { type: 'calendar', open: true });
    expect(open.calendar).toBe(true);
    expect(run(open, { type: 'pickDay', on: { year: 2026, month: 12, day: 24 } })).toMatchObject({ calendar: false, armed: true, on: { year: 2026, month: 12, day: 24 } });
  });

  it('cycles To through the contact\'s numbers', () => {
    expect(run(form(), { type: 'choice', step: 1, count: 3 }).toIdx).toBe(2);
    expect(run(form(), { type: 'choice', step: 1, count: 2 }).toIdx).toBe(0);
    expect(run(form(), { type: 'choice', step: -1, count: 3 }, { type: 'choice', step: -1, count: 3 }).toIdx).toBe(2);
  });

  it('toggles the box', () => {
    expect(run(form(), { type: 'toggleArmed' }).armed).toBe(true);
    expect(run(form(), { type: 'toggleArmed' }, { type: 'toggleArmed' }).armed).toBe(false);
  });
});
