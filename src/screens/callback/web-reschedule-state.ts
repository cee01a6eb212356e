import { addDays } from '../../engine/time/callback-time.js';
import type { FormDay } from './genesys-callback-state.js';

/**
 * Reschedule Callback of a web callback (On, From, Till, To), as a pure reducer: the window the
 * agent is setting, which field has the focus, and what the form says. Tested without Ink
 * (tests/screens/web-reschedule-state.test.ts). The input hook (use-web-reschedule-form.ts) reads
 * typed text and turns keys into these actions; the engine validates the window
 * (quoteWebReschedule) and sets it; the view (web-callback-window.tsx) draws it.
 */

export type WebField = 'armed' | 'on' | 'from' | 'till' | 'to';
export const WEB_FIELDS: WebField[] = ['armed', 'on', 'from', 'till', 'to'];

export interface WebRescheduleState {
  /** The form's check box: clear, closing clears the pending window. */
  armed: boolean;
  /**
   * The day, in the customer's zone. A day read from a typed instant ("in 2 hours") is its wall
   * time as toWall gives it, seconds included, and the quote reads it so (kept as it was).
   */
  on: FormDay;
  /** From and Till, in minutes of the day. */
  from: number;
  till: number;
  /** Which of the contact's numbers is To. */
  toIdx: number;
  field: WebField;
  calendar: boolean;
  note: string | null;
}

export type WebRescheduleAction =
  | { type: 'focus'; step: 1 | -1 }
  | { type: 'toggleArmed' }
  /** ↑/↓ (a minute), PgUp/PgDn (an hour) on From or Till. */
  | { type: 'step'; which: 'from' | 'till'; minutes: number }
  /** A time typed into From or Till and read (in the customer's zone), on the day it falls on there. */
  | { type: 'typedTime'; which: 'from' | 'till'; hour: number; minute: number; date: FormDay; readIn?: string }
  /** A date typed into On and read; `from` (minutes) when it named a time too. */
  | { type: 'typedDay'; on: FormDay; from: number | null }
  | { type: 'stepDay'; days: number }
  | { type: 'pickDay'; on: FormDay }
  | { type: 'calendar'; open: boolean }
  | { type: 'choice'; step: 1 | -1; count: number }
  | { type: 'note'; note: string | null };

const LAST_MINUTE = 24 * 60 - 1;
const clamp = (m: number) => Math.max(0, Math.min(LAST_MINUTE, m));

export function webRescheduleState(init: { on: FormDay; from: number; till: number; toIdx: number; armed: boolean }): WebRescheduleState {
  return { ...init, field: 'armed', calendar: false, note: null };
}

/** Minutes of the day as "07:05". */
export function minutesLabel(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A step of From or Till: moving From keeps the duration, as the Till field follows. */
function stepped(s: WebRescheduleState, which: 'from' | 'till', n: number): WebRescheduleState {
  const moved = which === 'from' ? { from: clamp(s.from + n), till: clamp(s.till + n) } : { till: clamp(s.till + n) };
  return { ...s, ...moved, armed: true, note: null };
}

export function webRescheduleReducer(s: WebRescheduleState, a: WebRescheduleAction): WebRescheduleState {
  switch (a.type) {
    case 'focus':
      return { ...s, field: WEB_FIELDS[(WEB_FIELDS.indexOf(s.field) + a.step + WEB_FIELDS.length) % WEB_FIELDS.length] };
    case 'toggleArmed':
      return { ...s, armed: !s.armed };
    case 'step':
      return stepped(s, a.which, a.minutes);
    case 'typedTime': {
      const m = a.hour * 60 + a.minute;
      const note = a.readIn ? `read in ${a.readIn}: ${minutesLabel(m)} for the customer` : null;
      const read = { ...s, armed: true, on: a.date, note };
      if (a.which === 'till') return { ...read, till: m };
      // The window moves with From, keeping its duration; a Till typed before the old From (no
      // duration to keep) stays when it is after the new From.
      const dur = s.till - s.from;
      if (dur > 0) return { ...read, from: m, till: Math.min(LAST_MINUTE, m + dur) };
      return { ...read, from: m, till: s.till <= m ? Math.min(LAST_MINUTE, m + 30) : s.till };
    }
    case 'typedDay': {
      const read = { ...s, armed: true, on: a.on, note: null };
      return a.from === null ? read : stepped(read, 'from', a.from - s.from);
    }
    case 'stepDay':
      return { ...s, on: addDays(s.on, a.days), armed: true };
    case 'pickDay':
      return { ...s, calendar: false, on: a.on, armed: true };
    case 'calendar':
      return { ...s, calendar: a.open };
    case 'choice':
      return { ...s, toIdx: (s.toIdx + a.count + a.step) % a.count };
    case 'note':
      return { ...s, note: a.note };
  }
}
