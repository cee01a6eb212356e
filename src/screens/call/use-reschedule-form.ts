import type { CallingListRecord, Contact, Interaction, PendingReschedule } from '../../engine/domain.js';
import { beyondCallbackHorizon, personalChoice, quoteRescheduleWith, setPendingReschedule, type RescheduleQuote } from '../../engine/outbound.js';
import type { Engine } from '../../engine/engine.js';
import type { Result } from '../../engine/result.js';
import { stepWallTime } from '../../engine/time/wall-step.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_BUTTON, FIELD_CHECKBOX, FIELD_CHOICE, FIELD_DATE, FIELD_TIME, RESCHEDULE } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { TIME_CHAR } from '../components/text-field-state.js';
import { useFormReducer } from '../components/use-form-reducer.js';
import type { FormDay } from '../callback/genesys-callback-state.js';
import {
  focusOf,
  readTypedDate,
  readTypedTime,
  rescheduleFields,
  rescheduleReducer,
  rescheduleState,
  wallOf,
  type RescheduleState,
  type TypedRead,
} from './reschedule-state.js';

/**
 * What the view reschedules: the callback set on a call (Done commits it), or an open callback
 * outside any call (My Callbacks, where leaving the view books it). `save` gets the valid
 * callback, or null when the box is cleared, and answers the message to show.
 */
export interface RescheduleTarget {
  contactId: string;
  campaignId: string;
  /** The chain record the call (or the callback) is on. */
  recordId: number;
  /** The callback already set, which the form opens on. */
  pending: PendingReschedule | null;
  save: (quote: RescheduleQuote | null) => Promise<Result<string>>;
}

/** The callback of an outbound call: set on the interaction, committed by End Call then Done. */
function callTarget(engine: Engine, interaction: Interaction, contactTz: string): RescheduleTarget {
  const ob = interaction.outbound!;
  return {
    contactId: interaction.contactId!,
    campaignId: interaction.campaignId!,
    recordId: ob.recordId,
    pending: ob.pendingReschedule,
    save: async (quote) => {
      const r = await setPendingReschedule(engine, interaction.id, quote);
      if (!r.ok) return r;
      if (!quote) return { ok: true, value: ob.pendingReschedule ? 'Callback cleared' : 'Not rescheduled' };
      return { ok: true, value: `${quote.callbackType} callback set for ${engine.zones.format(quote.at, contactTz, 'ccc d LLL HH:mm')}; End Call, then Done commits it` };
    },
  };
}

/**
 * What the form shows and quotes on, read again after every change (a number added, a callback
 * booked elsewhere that counts against the personal-callback cap).
 */
export function useRescheduleSource(contactId: string, campaignId: string) {
  return useStoreQuery(
    async (q, e) => ({
      contact: await q.contacts.get(contactId),
      chain: await q.records.ofContact(contactId),
      openPersonal: e.agentId ? await q.records.openPersonalCallbacks(e.agentId, campaignId) : [],
    }),
    [contactId, campaignId],
  );
}

export interface RescheduleInput {
  interaction?: Interaction;
  target?: RescheduleTarget;
  onClose: (message: string) => void;
  contact: Contact;
  chain: CallingListRecord[];
  openPersonal: CallingListRecord[];
}

/**
 * The input side of the OCS Reschedule Callback view (the reducer is reschedule-state.ts, the
 * view reschedule-view.tsx): it reads typed dates and times, binds the form's keymaps to the
 * reducer's actions, asks the engine to quote the callback on every change, and saves it on close.
 */
export function useRescheduleForm({ interaction, target: given, onClose, contact, chain, openPersonal }: RescheduleInput) {
  const { engine } = useDesk();
  const contactTz = contact.tz;
  const target = given ?? callTarget(engine, interaction!, contactTz);
  const campaignId = target.campaignId;
  const policy = personalChoice(engine, campaignId);
  const [state, dispatch, get] = useFormReducer(rescheduleReducer, () => rescheduleState({ pending: target.pending, recordId: target.recordId, policy, contactTz, now: engine.now, zones: engine.zones }));
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 40);
  // Room for a zone of its own: "15:30 Europe/Berlin".
  const [timeText, setTimeText, typeTime, timeField] = useTextField('', 40, TIME_CHAR);

  // The engine's check of the callback as the form stands: what closing would set.
  const quoteFor = (s: RescheduleState) =>
    quoteRescheduleWith(engine, { record: chain.find((r) => r.record_id === s.recordId), openPersonal }, {
      recordId: s.recordId,
      when: { kind: 'wall', wall: wallOf(s), hasTime: true },
      tz: contactTz,
      overlap: s.overlap,
      personal: policy === 'locked-on' ? true : policy === 'hidden' ? false : s.personal,
      agentId: engine.agentId,
      campaignId,
    });
  const quote = quoteFor(state);
  const resolution = engine.zones.resolve(contactTz, wallOf(state));
  // A wall time in the fall-back hour happens twice: the agent says which.
  const fields = rescheduleFields(resolution.kind === 'overlap', policy);
  const focus = focusOf(state, fields);

  /**
   * The text typed into Date or Time, read (the field emptied): undefined when nothing is typed,
   * null when it cannot be read (the note says why; the text stays). Enter reads it; so do
   * leaving the field and closing the view, so typed text is never shown on screen while
   * another date is booked.
   */
  const read = (): Extract<TypedRead, { change: unknown }> | undefined | null => {
    const s = get();
    const onDate = focus === 'date';
    const r = onDate ? readTypedDate(dateText, engine.now, contactTz, engine.zones) : focus === 'time' ? readTypedTime(timeText, s.date, engine.now, contactTz, engine.zones) : null;
    if (!r) return undefined;
    if ('error' in r) {
      dispatch({ type: 'note', note: { kind: 'error', text: r.error } });
      return null;
    }
    (onDate ? setDateText : setTimeText)('');
    return r;
  };
  /** Enter in Date or Time. */
  const apply = () => {
    const r = read();
    if (r) dispatch({ type: 'typed', change: r.change, note: r.note });
  };
  /** Tab, Shift+Tab: typed text is read first; text that cannot be read keeps the focus. */
  const leave = (step: 1 | -1) => {
    const r = read();
    if (r === null) return;
    if (r) dispatch({ type: 'typed', change: r.change, note: r.note });
    // Over the fields shown when the key was pressed.
    dispatch({ type: 'focus', step, fields });
  };
  const close = async () => {
    // Text typed into Date or Time and not yet read counts, as it would with Enter.
    const r = read();
    if (r === null) return;
    if (r) dispatch({ type: 'typed', change: r.change, note: null });
    const s = get();
    if (!s.armed) {
      const saved = await target.save(null);
      onClose(saved.ok ? saved.value : saved.error);
      return;
    }
    const q = quoteFor(s);
    if (!q.ok) return dispatch({ type: 'note', note: { kind: 'error', text: 'Fix it, or clear Reschedule Callback to close.' } });
    const saved = await target.save(q.value);
    if (!saved.ok) return dispatch({ type: 'note', note: { kind: 'error', text: saved.error } });
    onClose(saved.value);
  };
  // The arrows step over a time daylight saving skips (the engine's rule: stepWallTime).
  const stepTime = (n: number) => dispatch({ type: 'stepTime', wall: stepWallTime(engine.zones, contactTz, wallOf(get()), n) });
  const modal = state.calendar || state.adding;

  useKeymap(RESCHEDULE, { next: () => leave(1), prev: () => leave(-1), close: () => void close() }, { priority: 60, modal: true, active: !modal });
  useKeymap(
    FIELD_CHECKBOX,
    { toggle: () => dispatch({ type: focus === 'armed' ? 'toggleArmed' : 'togglePersonal' }) },
    { priority: 65, active: !modal && (focus === 'armed' || (focus === 'personal' && policy === 'free')) },
  );
  useKeymap(
    FIELD_DATE,
    {
      apply,
      calendar: () => dispatch({ type: 'calendar', open: true }),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => dispatch({ type: 'stepDay', days: -1 }),
      dayForward: () => dispatch({ type: 'stepDay', days: 1 }),
    },
    { priority: 65, active: !modal && focus === 'date', field: typeDate },
  );
  useKeymap(
    FIELD_TIME,
    {
      apply,
      minuteUp: () => stepTime(1),
      minuteDown: () => stepTime(-1),
      hourUp: () => stepTime(60),
      hourDown: () => stepTime(-60),
    },
    { priority: 65, active: !modal && focus === 'time', field: typeTime },
  );
  useKeymap(FIELD_CHOICE, { prevChoice: () => dispatch({ type: 'overlap', step: -1 }), nextChoice: () => dispatch({ type: 'overlap', step: 1 }) }, { priority: 65, active: !modal && focus === 'overlap' });
  useKeymap(FIELD_BUTTON, { press: () => dispatch({ type: 'adding', open: true }) }, { priority: 65, active: !modal && focus === 'newNumber' });

  return {
    state,
    focus,
    modal,
    policy,
    quote,
    resolution,
    dateField,
    timeField,
    phoneIdx: Math.max(0, chain.findIndex((r) => r.record_id === state.recordId)),
    /** The calendar: today in the contact's zone, and the days past the campaign's callback horizon. */
    today: engine.zones.toWall(contactTz, engine.now),
    closedOn: (d: FormDay) => beyondCallbackHorizon(engine, campaignId, d, contactTz),
    on: {
      pickDay: (date: FormDay) => dispatch({ type: 'pickDay', date }),
      closeCalendar: () => dispatch({ type: 'calendar', open: false }),
      numberAdded: (recordId: number | null, message: string) => dispatch({ type: 'numberAdded', recordId, message }),
      phone: (i: number) => dispatch({ type: 'setRecord', recordId: chain[i].record_id }),
    },
  };
}
