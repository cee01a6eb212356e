import type { CallbackType } from '../../engine/domain.js';
import type { CallbackSlot } from '../../engine/genesys-callback.js';
import { addDays } from '../../engine/time/callback-time.js';
import type { TimeZones } from '../../engine/time/time-zones.js';
import { readTypedWhen } from '../../engine/time/typed-when.js';

/**
 * New Callback / Reschedule Callback (Genesys Callback), as a pure reducer: which field has the
 * focus, the type, service, zone, day and number chosen, where the slot cursor is and which slot
 * is chosen, and what the form says. Tested without Ink (tests/screens/genesys-callback-state.test.ts).
 * The input hook (use-genesys-callback-form.ts) turns keys into these actions and runs the
 * engine's commands; the view (genesys-callback-form.tsx) draws the state. The slots themselves
 * come from the engine (slotsForNumber): an action that needs them is handed the ones on screen,
 * and nothing here decides whether a slot can be booked.
 */

export type GenesysFormMode = 'new' | 'reschedule';

export type GenesysField = 'armed' | 'type' | 'service' | 'zone' | 'date' | 'number' | 'grid' | 'ok';

export interface FormDay {
  year: number;
  month: number;
  day: number;
}

export interface FormNote {
  kind: 'error' | 'warning' | 'ok';
  text: string;
}

export interface GenesysFormState {
  mode: GenesysFormMode;
  /** Reschedule: the type of the booking moved (a new type is a change to discard or commit). */
  existingType: CallbackType | null;
  type: CallbackType;
  service: string;
  /** The zone the grid's slots are labelled in: the same instants whatever it is. */
  tz: string;
  date: FormDay;
  /** Which of the contact's numbers (New Callback). */
  numberIdx: number;
  field: GenesysField;
  /** Reschedule: the help page's check box; any change checks it. New Callback: always true. */
  armed: boolean;
  /** ↓ from the zone field moves into the matches (a list); Esc comes back. */
  zoneInList: boolean;
  calendar: boolean;
  confirmLeave: boolean;
  /** Rows an open drop-down list takes: the grid gives them up. */
  listRows: number;
  /** null: on the first slot that can be booked (see slotCursor). */
  cursor: number | null;
  /** The chosen slot's start (UTC ms). */
  chosen: number | null;
  note: FormNote | null;
}

export type SlotMove = 'left' | 'right' | 'up' | 'down';

export type GenesysFormAction =
  | { type: 'focus'; step: 1 | -1 }
  | { type: 'setType'; value: CallbackType }
  | { type: 'setService'; value: string }
  | { type: 'setNumber'; index: number }
  | { type: 'listRows'; rows: number }
  | { type: 'zoneList'; open: boolean }
  /** Enter on the zone field or a match: `zone` undefined when nothing matches `typed`. */
  | { type: 'pickZone'; zone: string | undefined; typed: string }
  /** Another day: the cursor goes back to the first bookable slot and the choice is dropped. */
  | { type: 'setDay'; date: FormDay; note?: FormNote | null }
  | { type: 'stepDay'; days: number }
  | { type: 'calendar'; open: boolean }
  | { type: 'moveCursor'; move: SlotMove; slots: readonly CallbackSlot[]; cols: number }
  | { type: 'chooseSlot'; slots: readonly CallbackSlot[] }
  | { type: 'toggleArmed' }
  | { type: 'confirmLeave'; open: boolean }
  | { type: 'note'; note: FormNote | null }
  /** OK without a slot chosen: say so and go to the grid. */
  | { type: 'needSlot' };

export function genesysFormState(init: {
  mode: GenesysFormMode;
  service: string;
  tz: string;
  date: FormDay;
  numbers: readonly string[];
  existing?: { type: CallbackType; customerNumber: string };
}): GenesysFormState {
  return {
    mode: init.mode,
    existingType: init.existing?.type ?? null,
    type: init.existing?.type ?? 'Scheduled',
    service: init.service,
    tz: init.tz,
    date: init.date,
    numberIdx: Math.max(0, init.numbers.indexOf(init.existing?.customerNumber ?? '')),
    field: init.mode === 'new' ? 'type' : 'armed',
    armed: init.mode === 'new',
    zoneInList: false,
    calendar: false,
    confirmLeave: false,
    listRows: 0,
    cursor: null,
    chosen: null,
    note: null,
  };
}

/** The fields Tab walks, in order: an Immediate callback has no grid (it is queued now). */
export function formFields(s: Pick<GenesysFormState, 'mode' | 'type'>): GenesysField[] {
  const grid: GenesysField[] = s.type === 'Immediate' ? [] : ['grid'];
  return s.mode === 'new' ? ['type', 'service', 'zone', 'date', 'number', ...grid, 'ok'] : ['armed', 'type', 'zone', 'date', ...grid, 'ok'];
}

/** The field with the focus: the grid, gone with an Immediate type, gives it to the first field. */
export function focusOf(s: GenesysFormState): GenesysField {
  const fields = formFields(s);
  return fields.includes(s.field) ? s.field : fields[0];
}

/** A change Esc would lose: a chosen slot; Reschedule, only once the box is checked (or a new type). */
export function changed(s: GenesysFormState): boolean {
  return s.mode === 'new' ? s.chosen !== null : s.armed && (s.chosen !== null || s.type !== s.existingType);
}

/** A calendar or the discard question is open: the fields take no keys. */
export function inModal(s: GenesysFormState): boolean {
  return s.calendar || s.confirmLeave;
}

/**
 * The slot under the cursor: where the agent moved it, else the first slot that can be booked
 * and called (open, in the number's contact hours), else the first open one, else the first.
 */
export function slotCursor(cursor: number | null, slots: readonly CallbackSlot[]): number {
  const callable = slots.findIndex((x) => x.unavailable === null && !x.outsideContactHours);
  const firstOpen = Math.max(0, callable >= 0 ? callable : slots.findIndex((x) => x.unavailable === null));
  return Math.min(cursor ?? firstOpen, Math.max(0, slots.length - 1));
}

/** The cursor moved one slot, or a row of `cols`; it stops at the grid's edges (full and past slots included). */
function movedCursor(cur: number, move: SlotMove, count: number, cols: number): number {
  switch (move) {
    case 'left':
      return Math.max(0, cur - 1);
    case 'right':
      return Math.min(count - 1, cur + 1);
    case 'up':
      return cur - cols >= 0 ? cur - cols : cur;
    case 'down':
      return cur + cols < count ? cur + cols : cur;
  }
}

/** Zone names containing the typed text (spaces as "_"), at most 50: none for no text. */
export function zoneMatches(names: readonly string[], typed: string): string[] {
  const q = typed.toLowerCase().replace(/\s+/g, '_');
  return q ? names.filter((n) => n.toLowerCase().includes(q)).slice(0, 50) : [];
}

/**
 * The day a typed date names, in the grid's zone ("tomorrow", "12/24", "25 Nov 15:00 Europe/Berlin"),
 * with a note when the text named its own zone or offset; an error when it names none; null for
 * no text (Enter on an empty field does nothing).
 */
export function readTypedDay(text: string, now: number, tz: string, zones: TimeZones): { date: FormDay; note: FormNote | null } | { error: string } | null {
  const read = readTypedWhen(text, now, tz, zones);
  if (!read) return null;
  if ('error' in read) return { error: read.error ?? `cannot read "${text}" as a date` };
  const { wall: w, pinned } = read;
  return {
    date: { year: w.year, month: w.month, day: w.day },
    note: pinned ? { kind: 'ok', text: `read in ${pinned.readIn}: ${zones.format(pinned.utc, tz, 'ccc d LLL HH:mm')} in ${tz}` } : null,
  };
}

/** What OK does now: close unchanged (an unchecked Reschedule), book or move (`slot` null: Immediate), or ask for a slot. */
export type OkOutcome = { type: 'close'; message: string } | { type: 'commit'; slot: number | null } | { type: 'needSlot' };

export function okOutcome(s: GenesysFormState): OkOutcome {
  if (s.mode === 'reschedule' && !s.armed) return { type: 'close', message: NOT_RESCHEDULED };
  if (s.type === 'Immediate') return { type: 'commit', slot: null };
  if (s.chosen === null) return { type: 'needSlot' };
  return { type: 'commit', slot: s.chosen };
}

/** What the form says when it closes without a change (New Callback: nothing). */
export function closedUnchanged(mode: GenesysFormMode): string | null {
  return mode === 'new' ? null : NOT_RESCHEDULED;
}

const NOT_RESCHEDULED = 'Callback not rescheduled';

function setDay(s: GenesysFormState, date: FormDay, note: FormNote | null): GenesysFormState {
  return { ...s, armed: true, date, cursor: null, chosen: null, note };
}

export function genesysFormReducer(s: GenesysFormState, a: GenesysFormAction): GenesysFormState {
  switch (a.type) {
    case 'focus': {
      const fields = formFields(s);
      return { ...s, field: fields[(fields.indexOf(focusOf(s)) + a.step + fields.length) % fields.length] };
    }
    case 'setType':
      return { ...s, armed: true, type: a.value };
    case 'setService':
      return { ...s, service: a.value };
    case 'setNumber':
      return { ...s, numberIdx: a.index };
    case 'listRows':
      return s.listRows === a.rows ? s : { ...s, listRows: a.rows };
    case 'zoneList':
      return { ...s, zoneInList: a.open };
    case 'pickZone':
      if (!a.zone) return { ...s, zoneInList: false, note: { kind: 'error', text: a.typed ? `no time zone matches "${a.typed}"` : 'type part of a zone name, such as kolkata' } };
      return { ...s, zoneInList: false, tz: a.zone, note: null };
    case 'setDay':
      return setDay(s, a.date, a.note ?? null);
    case 'stepDay':
      return setDay(s, addDays(s.date, a.days), null);
    case 'calendar':
      return { ...s, calendar: a.open };
    case 'moveCursor':
      return { ...s, cursor: movedCursor(slotCursor(s.cursor, a.slots), a.move, a.slots.length, a.cols) };
    case 'chooseSlot': {
      const slot = a.slots[slotCursor(s.cursor, a.slots)];
      if (!slot) return s;
      if (slot.unavailable) return { ...s, note: { kind: 'error', text: `that slot is ${slot.unavailable === 'full' ? 'full' : 'in the past'}; available slots are in [brackets]` } };
      return {
        ...s,
        chosen: slot.start,
        armed: true,
        // Booked all the same (the customer chose it): a warning, not a refusal.
        note: slot.outsideContactHours ? { kind: 'warning', text: "outside this number's contact hours: OK books it all the same; the customer may not be reachable then" } : null,
        field: 'ok',
      };
    }
    case 'toggleArmed':
      return { ...s, armed: !s.armed };
    case 'confirmLeave':
      return { ...s, confirmLeave: a.open };
    case 'note':
      return { ...s, note: a.note };
    case 'needSlot':
      return { ...s, note: { kind: 'error', text: 'choose a time slot in the grid first' }, field: 'grid' };
  }
}
