import type { Contact, Interaction } from '../../engine/domain.js';
import { parseTypedTime } from '../../engine/time/callback-time.js';
import { quoteWebReschedule, setWebPending } from '../../engine/web-callback.js';
import { useDesk } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_CHECKBOX, FIELD_CHOICE, FIELD_DATE, FIELD_TIME, RESCHEDULE } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { TIME_CHAR } from '../components/text-field-state.js';
import { useFormReducer } from '../components/use-form-reducer.js';
import type { FormDay } from './genesys-callback-state.js';
import { readTypedWhen } from '../../engine/time/typed-when.js';
import { webRescheduleReducer, webRescheduleState, type WebRescheduleState } from './web-reschedule-state.js';

export interface WebRescheduleInput {
  it: Interaction;
  onClose: (m: string) => void | Promise<void>;
  contact: Contact;
  numbers: string[];
}

/**
 * The input side of a web callback's Reschedule Callback (the reducer is web-reschedule-state.ts,
 * the view WebRescheduleForm in web-callback-window.tsx): it reads typed dates and times, binds
 * the form's keymaps to the reducer's actions, asks the engine for the window (quoteWebReschedule)
 * and sets it as the pending one on close.
 */
export function useWebRescheduleForm({ it, onClose, contact, numbers }: WebRescheduleInput) {
  const { engine } = useDesk();
  const web = it.web!;
  const tz = contact.tz;
  const start = web.pending ?? web.window;
  const [state, dispatch, get] = useFormReducer(webRescheduleReducer, () => {
    const from = engine.zones.toWall(tz, start.from);
    const till = engine.zones.toWall(tz, start.till);
    return webRescheduleState({ on: from, from: from.hour * 60 + from.minute, till: till.hour * 60 + till.minute, toIdx: Math.max(0, numbers.indexOf(start.to)), armed: web.pending !== null });
  });
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 30);
  // Room for a zone of its own: "15:30 Europe/Berlin".
  const [timeText, setTimeText, typeTime, timeField] = useTextField('', 40, TIME_CHAR);
  const { field, calendar } = state;
  const hm = (m: number) => ({ hour: Math.floor(m / 60), minute: m % 60 });
  const toOf = (s: WebRescheduleState) => numbers[s.toIdx] ?? start.to;
  // The engine's check of the window, as the form stands: what closing would set.
  const quoteOf = (s: WebRescheduleState) => quoteWebReschedule(engine, it.id, { on: s.on, from: hm(s.from), till: hm(s.till), to: toOf(s), tz, contactTz: contact.tz });
  const quote = quoteOf(state);

  const move = (step: 1 | -1) => {
    dispatch({ type: 'focus', step });
    setTimeText('');
  };
  const applyTime = (which: 'from' | 'till') => {
    const t = parseTypedTime(timeText, get().on, tz, engine.now, engine.zones);
    if (!t || 'error' in t) return dispatch({ type: 'note', note: t ? t.error : `cannot read "${timeText}" as a time; try 15:30, 3pm or 15:30 UTC` });
    setTimeText('');
    dispatch({ type: 'typedTime', which, hour: t.hour, minute: t.minute, date: t.date, readIn: t.readIn });
  };
  const applyDate = () => {
    const read = readTypedWhen(dateText, engine.now, tz, engine.zones);
    if (!read) return;
    if ('error' in read) return dispatch({ type: 'note', note: read.error ?? `cannot read "${dateText}" as a date` });
    setDateText('');
    dispatch({ type: 'typedDay', on: read.wall, from: read.hasTime ? read.wall.hour * 60 + read.wall.minute : null });
  };
  const close = async () => {
    if (!get().armed) {
      await setWebPending(engine, it.id, null);
      return onClose(web.pending ? 'reschedule cleared' : 'not rescheduled');
    }
    const quote = quoteOf(get());
    if (!quote.ok) return dispatch({ type: 'note', note: 'Fix it, or clear Reschedule Callback to close.' });
    const r = await setWebPending(engine, it.id, quote.value);
    if (!r.ok) return dispatch({ type: 'note', note: r.error });
    await onClose(`Rescheduled to ${engine.zones.format(quote.value.from, tz, 'ccc d LLL HH:mm')}; Done commits it`);
  };

  useKeymap(RESCHEDULE, { next: () => move(1), prev: () => move(-1), close: () => void close() }, { priority: 60, modal: true, active: !calendar });
  useKeymap(FIELD_CHECKBOX, { toggle: () => dispatch({ type: 'toggleArmed' }) }, { priority: 65, active: !calendar && field === 'armed' });
  useKeymap(
    FIELD_DATE,
    {
      apply: applyDate,
      calendar: () => dispatch({ type: 'calendar', open: true }),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => dispatch({ type: 'stepDay', days: -1 }),
      dayForward: () => dispatch({ type: 'stepDay', days: 1 }),
    },
    { priority: 65, active: !calendar && field === 'on', field: typeDate },
  );
  const which = field === 'till' ? 'till' : 'from';
  useKeymap(
    FIELD_TIME,
    {
      apply: () => applyTime(which),
      minuteUp: () => dispatch({ type: 'step', which, minutes: 1 }),
      minuteDown: () => dispatch({ type: 'step', which, minutes: -1 }),
      hourUp: () => dispatch({ type: 'step', which, minutes: 60 }),
      hourDown: () => dispatch({ type: 'step', which, minutes: -60 }),
    },
    { priority: 65, active: !calendar && (field === 'from' || field === 'till'), field: typeTime },
  );
  useKeymap(
    FIELD_CHOICE,
    { prevChoice: () => dispatch({ type: 'choice', step: -1, count: numbers.length }), nextChoice: () => dispatch({ type: 'choice', step: 1, count: numbers.length }) },
    { priority: 65, active: !calendar && field === 'to' },
  );

  return {
    state,
    to: toOf(state),
    quote,
    dateField,
    timeField,
    /** The calendar: today in the customer's zone. */
    today: engine.zones.toWall(tz, engine.now),
    pickDay: (d: FormDay) => dispatch({ type: 'pickDay', on: d }),
    closeCalendar: () => dispatch({ type: 'calendar', open: false }),
  };
}
