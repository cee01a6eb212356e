import { useMemo } from 'react';
import { CALLBACK_TYPES, type CallingListRecord, type Contact, type GenesysCallback } from '../../engine/domain.js';
import { bookGenesysCallback, rescheduleGenesysCallback, serviceOpenOn, slotsForNumber, type CallbackSlot } from '../../engine/genesys-callback.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_BUTTON, FIELD_CHECKBOX, FIELD_DATE, GENESYS_FORM, SLOT_GRID, ZONE_LIST, ZONE_PICKER } from '../keymaps.js';
import { useSelectList } from '../components/use-select-list.js';
import { useTextField } from '../components/use-text-field.js';
import { gridColumns } from '../components/slot-grid.js';
import { useFormReducer } from '../components/use-form-reducer.js';
import {
  changed,
  closedUnchanged,
  focusOf,
  genesysFormReducer,
  genesysFormState,
  inModal,
  okOutcome,
  readTypedDay,
  slotCursor,
  zoneMatches,
  type FormDay,
  type GenesysField,
  type GenesysFormMode,
} from './genesys-callback-state.js';

/** What the form starts from: the booking moved (Reschedule), the contact and its numbers. */
export function useGenesysFormSource(contactId: string, callbackId: string | undefined) {
  return useStoreQuery(
    async (q) => ({ existing: callbackId ? await q.gcallbacks.get(callbackId) : undefined, contact: await q.contacts.get(contactId), chain: await q.records.ofContact(contactId) }),
    [contactId, callbackId],
  );
}

export interface GenesysFormInput {
  mode: GenesysFormMode;
  contactId: string;
  callbackId?: string;
  originInteraction?: string | null;
  width: number;
  onClose: (message: string | null) => void;
  existing: GenesysCallback | undefined;
  contact: Contact | undefined;
  chain: CallingListRecord[];
}

/**
 * The input side of New Callback / Reschedule Callback (the reducer is genesys-callback-state.ts,
 * the view genesys-callback-form.tsx): it reads the slots from the engine, binds the form's
 * keymaps to the reducer's actions, and runs the engine's commands (book, reschedule) on OK.
 */
export function useGenesysCallbackForm({ mode, contactId, callbackId, originInteraction, width, onClose, existing, contact, chain }: GenesysFormInput) {
  const { engine, agentTz } = useDesk();
  const numbers = useMemo(() => chain.map((r) => r.contact_info), [chain]);
  const services = Object.keys(engine.state.services);
  const [state, dispatch, get] = useFormReducer(genesysFormReducer, () => {
    const service = existing?.service ?? services[0];
    const tz = contact?.tz ?? engine.state.services[service].tz;
    const w = engine.zones.toWall(tz, existing?.desiredTime ?? engine.now);
    return genesysFormState({ mode, service, tz, date: { year: w.year, month: w.month, day: w.day }, numbers, existing });
  });
  const [zoneText, setZoneText, typeZone, zoneField] = useTextField('', 40);
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 40);
  const { service, date, tz, numberIdx } = state;

  // The grid re-reads the engine on every change: customers take slots while the agent looks.
  // The chosen number's record gives the contact hours the grid marks.
  const recordId = chain.find((r) => r.contact_info === numbers[numberIdx])?.record_id ?? null;
  const loadedSlots = useStoreQuery((q, e) => slotsForNumber(e, q, service, date, tz, recordId), [service, date.year, date.month, date.day, tz, recordId]);
  const slots = loadedSlots ?? NO_SLOTS;
  const focus = focusOf(state);
  const modal = inModal(state);
  const cols = gridColumns(width - 4);
  const matches = useMemo(() => zoneMatches(engine.zones.db.names(), zoneText), [engine, zoneText]);

  const commit = async (slot: number | null) => {
    const s = get();
    const r =
      mode === 'reschedule' && callbackId
        ? await rescheduleGenesysCallback(engine, callbackId, slot, engine.agentId ?? 'agent', s.type)
        : await bookGenesysCallback(engine, {
            service: s.service,
            contactId,
            customerNumber: numbers[s.numberIdx] ?? '',
            type: s.type,
            slot,
            bookedBy: engine.agentId ?? 'agent',
            originInteraction: originInteraction ?? null,
          });
    if (!r.ok) {
      // The form stays as it was: the agent picks another slot.
      dispatch({ type: 'note', note: { kind: 'error', text: r.error } });
      return;
    }
    const cb = r.value;
    const svcTz = engine.state.services[cb.service].tz;
    onClose(
      `Callback ${cb.id} ${mode === 'reschedule' ? 'rescheduled' : 'booked'}: customer ${engine.zones.format(cb.desiredTime, contact?.tz ?? svcTz, 'ccc d LLL HH:mm')} (${contact?.tz ?? svcTz}) · you ${engine.zones.format(cb.desiredTime, agentTz, 'ccc HH:mm')}`,
    );
  };
  const ok = async () => {
    const outcome = okOutcome(get());
    if (outcome.type === 'close') return onClose(outcome.message);
    if (outcome.type === 'needSlot') return dispatch({ type: 'needSlot' });
    await commit(outcome.slot);
  };
  // Esc cancels; with a change made, it asks first (the change is lost on yes).
  const leave = () => {
    if (changed(get())) return dispatch({ type: 'confirmLeave', open: true });
    onClose(closedUnchanged(mode));
  };
  const pickZone = (zone: string | undefined) => {
    dispatch({ type: 'pickZone', zone, typed: zoneText });
    if (zone) setZoneText('');
  };
  const opts = (f: GenesysField) => ({ priority: 65, active: !modal && focus === f });

  useKeymap(GENESYS_FORM, { next: () => dispatch({ type: 'focus', step: 1 }), prev: () => dispatch({ type: 'focus', step: -1 }), close: leave }, { priority: 60, modal: true, active: !modal });
  useKeymap(
    ZONE_PICKER,
    {
      toList: () => matches.length > 0 && dispatch({ type: 'zoneList', open: true }),
      pick: () => pickZone(matches[0]),
    },
    { ...opts('zone'), active: !modal && focus === 'zone' && !state.zoneInList, field: typeZone },
  );
  const zoneList = useSelectList({ items: matches.map((z) => ({ key: z, label: z, value: z })), limit: 4, onSelect: (i) => pickZone(i.value) });
  useKeymap(ZONE_LIST, { ...zoneList.keys, close: () => dispatch({ type: 'zoneList', open: false }) }, { priority: 70, modal: true, active: !modal && focus === 'zone' && state.zoneInList });
  useKeymap(
    FIELD_DATE,
    {
      apply: () => {
        const read = readTypedDay(dateText, engine.now, get().tz, engine.zones);
        if (!read) return;
        if ('error' in read) return dispatch({ type: 'note', note: { kind: 'error', text: read.error } });
        setDateText('');
        dispatch({ type: 'setDay', date: read.date, note: read.note });
      },
      calendar: () => dispatch({ type: 'calendar', open: true }),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => dispatch({ type: 'stepDay', days: -1 }),
      dayForward: () => dispatch({ type: 'stepDay', days: 1 }),
    },
    { ...opts('date'), field: typeDate },
  );
  useKeymap(
    SLOT_GRID,
    {
      left: () => dispatch({ type: 'moveCursor', move: 'left', slots, cols }),
      right: () => dispatch({ type: 'moveCursor', move: 'right', slots, cols }),
      up: () => dispatch({ type: 'moveCursor', move: 'up', slots, cols }),
      down: () => dispatch({ type: 'moveCursor', move: 'down', slots, cols }),
      prevDay: () => dispatch({ type: 'stepDay', days: -1 }),
      nextDay: () => dispatch({ type: 'stepDay', days: 1 }),
      choose: () => dispatch({ type: 'chooseSlot', slots }),
    },
    opts('grid'),
  );
  useKeymap(FIELD_BUTTON, { press: () => void ok() }, opts('ok'));
  useKeymap(FIELD_CHECKBOX, { toggle: () => dispatch({ type: 'toggleArmed' }) }, opts('armed'));

  return {
    state,
    focus,
    /** A calendar or the discard question is open: no field has the keys. */
    modal,
    services,
    numbers,
    serviceConfig: engine.state.services[service],
    /** The engine's slots; undefined while they are read (the grid says so). */
    slots: loadedSlots,
    cursor: slotCursor(state.cursor, slots),
    zones: engine.zones,
    agentTz,
    zone: { text: zoneText, field: zoneField, matches, list: zoneList },
    dateField,
    /** The calendar: today in the grid's zone, and the days the service is closed. */
    today: engine.zones.toWall(tz, engine.now),
    closedOn: (d: FormDay) => !serviceOpenOn(engine, service, d),
    on: {
      type: (i: number) => dispatch({ type: 'setType', value: CALLBACK_TYPES[i] }),
      service: (i: number) => dispatch({ type: 'setService', value: services[i] }),
      number: (index: number) => dispatch({ type: 'setNumber', index }),
      listRows: (rows: number) => dispatch({ type: 'listRows', rows }),
      pickDay: (d: FormDay) => {
        dispatch({ type: 'calendar', open: false });
        dispatch({ type: 'setDay', date: d });
      },
      closeCalendar: () => dispatch({ type: 'calendar', open: false }),
      discard: () => onClose(closedUnchanged(mode)),
      keep: () => dispatch({ type: 'confirmLeave', open: false }),
    },
  };
}

const NO_SLOTS: CallbackSlot[] = [];
