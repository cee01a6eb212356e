import type { PendingReschedule } from '../../engine/domain.js';
import { addDays, parseTypedTime } from '../../engine/time/callback-time.js';
import type { TimeZones, WallTime } from '../../engine/time/time-zones.js';
import type { FormDay, FormNote } from '../callback/genesys-callback-state.js';
import { readTypedWhen } from '../../engine/time/typed-when.js';

/**
 * Reschedule Callback of an outbound call (OCS), as a pure reducer: the callback being set (the
 * check box, date, time, which of two fall-back times, Personal Callback, the number), which
 * field has the focus, and what the form says. Tested without Ink
 * (tests/screens/reschedule-state.test.ts). The input hook (use-reschedule-form.ts) reads typed
 * text and turns keys into these actions; the engine quotes the callback (quoteRescheduleWith)
 * and sets it; the view (reschedule-view.tsx) draws it.
 */

export type RescheduleField = 'armed' | 'date' | 'time' | 'overlap' | 'personal' | 'phone' | 'newNumber';

/** Whether the agent chooses Personal Callback, as the campaign's callback policy says (personalChoice). */
export type PersonalPolicy = 'free' | 'locked-on' | 'hidden';

export interface RescheduleState {
  armed: boolean;
  /** The callback's date and time, in the contact's zone. */
  date: FormDay;
  hour: number;
  minute: number;
  personal: boolean;
  /** The chain record (number) it is on. */
  recordId: number;
  /** Which of the two times a wall time in the fall-back hour names; undefined until chosen. */
  overlap: 'earlier' | 'later' | undefined;
  field: RescheduleField;
  calendar: boolean;
  /** New Phone Number is open. */
  adding: boolean;
  note: FormNote | null;
}

/** What typed text changes: the date, maybe the time; it checks the box and asks afresh which fall-back time. */
export type TypedChange = Pick<RescheduleState, 'date' | 'armed' | 'overlap'> & Partial<Pick<RescheduleState, 'hour' | 'minute'>>;

/** Text typed into Date or Time, read: the change and what to say, or why it cannot be read. */
export type TypedRead = { change: TypedChange; note: FormNote | null } | { error: string };

export type RescheduleAction =
  /** Tab and Shift+Tab over `fields`, the fields shown when the key was pressed. */
  | { type: 'focus'; step: 1 | -1; fields: readonly RescheduleField[] }
  /** Typed text read: `note` says how it was read (or null). */
  | { type: 'typed'; change: TypedChange; note: FormNote | null }
  | { type: 'toggleArmed' }
  | { type: 'togglePersonal' }
  | { type: 'stepDay'; days: number }
  | { type: 'pickDay'; date: FormDay }
  /** ↑/↓, PgUp/PgDn on Time: the wall time stepped (stepWallTime, over a daylight-saving gap). */
  | { type: 'stepTime'; wall: WallTime }
  | { type: 'overlap'; step: 1 | -1 }
  | { type: 'setRecord'; recordId: number }
  | { type: 'calendar'; open: boolean }
  | { type: 'adding'; open: boolean }
  /** New Phone Number closed: the number added (its record), or null when cancelled. */
  | { type: 'numberAdded'; recordId: number | null; message: string }
  | { type: 'note'; note: FormNote | null };

/**
 * The form opens on the callback already set; else unchecked, tomorrow at the next full hour in
 * the contact's zone (valid as it stands), Personal as the campaign has it, on the call's number.
 */
export function rescheduleState(init: { pending: PendingReschedule | null; recordId: number; policy: PersonalPolicy; contactTz: string; now: number; zones: TimeZones }): RescheduleState {
  const rest = { field: 'armed' as const, calendar: false, adding: false, note: null, overlap: undefined };
  const { pending, zones } = init;
  if (pending) {
    const w = zones.toWall(pending.tz, pending.at);
    return { ...rest, armed: true, date: { year: w.year, month: w.month, day: w.day }, hour: w.hour, minute: w.minute, personal: pending.callbackType === 'Personal', recordId: pending.recordId };
  }
  const w = zones.toWall(init.contactTz, init.now + 3_600_000);
  return { ...rest, armed: false, date: addDays(w, 1), hour: w.hour, minute: 0, personal: init.policy === 'locked-on', recordId: init.recordId };
}

/** The fields Tab walks: Which only for a wall time in the fall-back hour, Personal as the campaign allows. */
export function rescheduleFields(inFallBackHour: boolean, policy: PersonalPolicy): RescheduleField[] {
  return ['armed', 'date', 'time', ...(inFallBackHour ? ['overlap' as const] : []), ...(policy !== 'hidden' ? ['personal' as const] : []), 'phone', 'newNumber'];
}

export function focusOf(s: RescheduleState, fields: readonly RescheduleField[]): RescheduleField {
  return fields.includes(s.field) ? s.field : 'armed';
}

export function wallOf(s: RescheduleState): WallTime {
  return { ...s.date, hour: s.hour, minute: s.minute };
}

/** A date typed into Date ("tomorrow 3pm", "next monday", "2026-11-30T15:00:00Z"), in the contact's zone; null for no text. */
export function readTypedDate(text: string, now: number, contactTz: string, zones: TimeZones): TypedRead | null {
  const read = readTypedWhen(text, now, contactTz, zones);
  if (!read) return null;
  if ('error' in read) return { error: read.error ?? `cannot read "${text}" as a date; try "tomorrow 3pm", "next monday", "in 2 hours", "12/24 9:30"` };
  const { wall: w, hasTime, pinned } = read;
  return {
    change: { date: { year: w.year, month: w.month, day: w.day }, ...(hasTime ? { hour: w.hour, minute: w.minute } : {}), armed: true, overlap: undefined },
    // Say which zone the typed time was read in, and what it is for the contact.
    note: pinned ? { kind: 'ok', text: `read in ${pinned.readIn}: ${zones.format(pinned.utc, contactTz, 'ccc d LLL HH:mm')} for the contact` } : null,
  };
}

/** A time typed into Time ("15:30", "3pm", "18:30 Europe/Berlin"), on the form's date; null for no text. */
export function readTypedTime(text: string, date: FormDay, now: number, contactTz: string, zones: TimeZones): TypedRead | null {
  if (!text.trim()) return null;
  const t = parseTypedTime(text, date, contactTz, now, zones);
  if (!t || 'error' in t) return { error: t ? t.error : `cannot read "${text}" as a time; try 15:30, 3pm or 15:30 UTC` };
  const hhmm = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  return { change: { date: t.date, hour: t.hour, minute: t.minute, armed: true, overlap: undefined }, note: t.readIn ? { kind: 'ok', text: `read in ${t.readIn}: ${hhmm} for the contact` } : null };
}

/** A change made on the form: what it said no longer applies. */
const changed = (s: RescheduleState, patch: Partial<RescheduleState>): RescheduleState => ({ ...s, ...patch, note: null });

export function rescheduleReducer(s: RescheduleState, a: RescheduleAction): RescheduleState {
  switch (a.type) {
    case 'focus': {
      const n = a.fields.length;
      return { ...s, field: a.fields[(a.fields.indexOf(focusOf(s, a.fields)) + a.step + n) % n] };
    }
    case 'typed':
      return { ...s, ...a.change, note: a.note };
    case 'toggleArmed':
      return changed(s, { armed: !s.armed });
    case 'togglePersonal':
      return changed(s, { personal: !s.personal, armed: true });
    case 'stepDay':
      return changed(s, { date: addDays(s.date, a.days), armed: true });
    case 'pickDay':
      return changed(s, { calendar: false, date: a.date, armed: true, overlap: undefined });
    case 'stepTime':
      // Only the time: stepping it neither checks the box nor clears what the form said.
      return { ...s, hour: a.wall.hour, minute: a.wall.minute, date: { year: a.wall.year, month: a.wall.month, day: a.wall.day } };
    case 'overlap':
      return changed(s, { overlap: a.step < 0 ? 'earlier' : s.overlap === 'earlier' ? 'later' : 'earlier' });
    case 'setRecord':
      return changed(s, { recordId: a.recordId });
    case 'calendar':
      return { ...s, calendar: a.open };
    case 'adding':
      return { ...s, adding: a.open };
    case 'numberAdded':
      return a.recordId === null ? { ...s, adding: false, note: null } : { ...s, adding: false, recordId: a.recordId, note: { kind: 'ok', text: a.message } };
    case 'note':
      return { ...s, note: a.note };
  }
}
