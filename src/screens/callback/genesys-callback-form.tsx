import { useMemo, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { CALLBACK_TYPES, type CallbackType, type CallingListRecord, type Contact, type GenesysCallback } from '../../engine/domain.js';
import { bookGenesysCallback, rescheduleGenesysCallback, serviceOpenOn, slotsForNumber, type CallbackSlot } from '../../engine/genesys-callback.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { addDays, explicitInstant, parseWhen } from '../../engine/time/callback-time.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_CHECKBOX, FIELD_DATE, FIELD_BUTTON, GENESYS_FORM, SLOT_GRID, ZONE_LIST, ZONE_PICKER } from '../keymaps.js';
import { SelectList } from '../components/select-list.js';
import { useSelectList } from '../components/use-select-list.js';
import { useTextField } from '../components/use-text-field.js';
import { useTheme } from '../theme.js';
import { Calendar, type CalendarDate } from '../components/calendar.js';
import { Dropdown } from '../components/dropdown.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { Confirm } from '../call/pickers.js';
import { TextField } from '../components/text-field.js';
import { SlotGrid, gridColumns } from '../components/slot-grid.js';
import { useTerminalSize } from '../terminal-size.js';
import { clipWords } from '../text-fit.js';

type Field = 'armed' | 'type' | 'service' | 'zone' | 'date' | 'number' | 'grid' | 'ok';

export interface GenesysFormProps {
  mode: 'new' | 'reschedule';
  contactId: string;
  /** Reschedule: the callback being moved. */
  callbackId?: string;
  originInteraction?: string | null;
  width: number;
  height: number;
  onClose: (message: string | null) => void;
}

/**
 * New Callback / Reschedule Callback (Genesys Callback): a callback type, a service, a time
 * zone, a date and a slot in the grid. The engine computes the slots and books them; the zone
 * only relabels the same instants.
 */
export function GenesysCallbackForm(props: GenesysFormProps) {
  const { contactId, callbackId } = props;
  // What the form starts from: the booking moved, the contact and its numbers.
  const loaded = useStoreQuery(
    async (q) => ({ existing: callbackId ? await q.gcallbacks.get(callbackId) : undefined, contact: await q.contacts.get(contactId), chain: await q.records.ofContact(contactId) }),
    [contactId, callbackId],
  );
  if (!loaded) return <Text> </Text>;
  return <GenesysForm {...props} existing={loaded.existing} contact={loaded.contact} chain={loaded.chain} />;
}

function GenesysForm({
  mode,
  contactId,
  callbackId,
  originInteraction,
  width,
  height,
  onClose,
  existing,
  contact,
  chain,
}: GenesysFormProps & { existing: GenesysCallback | undefined; contact: Contact | undefined; chain: CallingListRecord[] }) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const numbers = useMemo(() => chain.map((r) => r.contact_info), [chain]);
  const services = Object.keys(engine.state.services);
  const [type, setType] = useState<CallbackType>(existing?.type ?? 'Scheduled');
  const [service, setService] = useState(existing?.service ?? services[0]);
  const [tz, setTz] = useState(contact?.tz ?? engine.state.services[service].tz);
  const [zoneText, setZoneText, typeZone, zoneField] = useTextField('', 40);
  // ↓ from the zone field moves into the matches (a list); Esc comes back.
  const [zoneInList, setZoneInList] = useState(false);
  const [date, setDate] = useState<CalendarDate>(() => {
    const w = engine.zones.toWall(contact?.tz ?? tz, existing?.desiredTime ?? engine.now);
    return { year: w.year, month: w.month, day: w.day };
  });
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 40);
  const [numberIdx, setNumberIdx] = useState(Math.max(0, numbers.indexOf(existing?.customerNumber ?? '')));
  const [field, setField] = useState<Field>(mode === 'new' ? 'type' : 'armed');
  // Reschedule: the help page's check box; any change checks it.
  const [armed, setArmed] = useState(mode === 'new');
  const [confirmLeave, setConfirmLeave] = useState(false);
  // Rows an open drop-down list takes: the grid gives them up.
  const [listRows, setListRows] = useState(0);
  // null: on the first slot that can be booked (not a past or full one).
  const [cursor, setCursor] = useState<number | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [calendar, setCalendar] = useState(false);
  const [note, setNote] = useState<{ kind: 'error' | 'warning' | 'ok'; text: string } | null>(null);

  // The grid re-reads the engine on every change: customers take slots while the agent looks.
  // The chosen number's record gives the contact hours the grid marks.
  const recordId = chain.find((r) => r.contact_info === numbers[numberIdx])?.record_id ?? null;
  const loadedSlots = useStoreQuery((q, e) => slotsForNumber(e, q, service, date, tz, recordId), [service, date.year, date.month, date.day, tz, recordId]);
  const slots = loadedSlots ?? NO_SLOTS;
  const immediate = type === 'Immediate';
  const gridField: Field[] = immediate ? [] : ['grid'];
  const fields: Field[] = mode === 'new' ? ['type', 'service', 'zone', 'date', 'number', ...gridField, 'ok'] : ['armed', 'type', 'zone', 'date', ...gridField, 'ok'];
  const changed = mode === 'new' ? chosen !== null : armed && (chosen !== null || type !== existing?.type);
  const focus = fields.includes(field) ? field : fields[0];
  const move = (d: number) => setField(fields[(fields.indexOf(focus) + d + fields.length) % fields.length]);
  // The cursor starts on the first slot that can be booked and called: open, in the number's hours.
  const callable = slots.findIndex((x) => x.unavailable === null && !x.outsideContactHours);
  const firstOpen = Math.max(0, callable >= 0 ? callable : slots.findIndex((x) => x.unavailable === null));
  const cur = Math.min(cursor ?? firstOpen, Math.max(0, slots.length - 1));
  const cols = gridColumns(width - 4);
  const zoneMatches = useMemo(() => {
    const q = zoneText.toLowerCase().replace(/\s+/g, '_');
    return q ? engine.zones.db.names().filter((n) => n.toLowerCase().includes(q)).slice(0, 50) : [];
  }, [engine, zoneText]);

  const commit = async (slot: number | null) => {
    const r =
      mode === 'reschedule' && callbackId
        ? await rescheduleGenesysCallback(engine, callbackId, slot, engine.agentId ?? 'agent', type)
        : await bookGenesysCallback(engine, {
            service,
            contactId,
            customerNumber: numbers[numberIdx] ?? '',
            type,
            slot,
            bookedBy: engine.agentId ?? 'agent',
            originInteraction: originInteraction ?? null,
          });
    if (!r.ok) {
      // The form stays as it was: the agent picks another slot.
      setNote({ kind: 'error', text: r.error });
      return;
    }
    const cb = r.value;
    const svcTz = engine.state.services[cb.service].tz;
    onClose(
      `Callback ${cb.id} ${mode === 'reschedule' ? 'rescheduled' : 'booked'}: customer ${engine.zones.format(cb.desiredTime, contact?.tz ?? svcTz, 'ccc d LLL HH:mm')} (${contact?.tz ?? svcTz}) · you ${engine.zones.format(cb.desiredTime, agentTz, 'ccc HH:mm')}`,
    );
  };
  const ok = async () => {
    if (mode === 'reschedule' && !armed) return onClose('Callback not rescheduled');
    if (immediate) return commit(null);
    if (chosen === null) {
      setNote({ kind: 'error', text: 'choose a time slot in the grid first' });
      setField('grid');
      return;
    }
    await commit(chosen);
  };
  // Esc cancels; with a change made, it asks first (the change is lost on yes).
  const leave = () => {
    if (changed) return setConfirmLeave(true);
    onClose(mode === 'new' ? null : 'Callback not rescheduled');
  };
  const setDay = (d: CalendarDate) => {
    setArmed(true);
    setDate(d);
    setCursor(null);
    setChosen(null);
    setNote(null);
  };
  const inModal = calendar || confirmLeave;
  const opts = (f: Field) => ({ priority: 65, active: !inModal && focus === f });

  useKeymap(GENESYS_FORM, { next: () => move(1), prev: () => move(-1), close: leave }, { priority: 60, modal: true, active: !inModal });
  const pickZone = (z: string | undefined) => {
    setZoneInList(false);
    if (!z) return setNote({ kind: 'error', text: zoneText ? `no time zone matches "${zoneText}"` : 'type part of a zone name, such as kolkata' });
    setTz(z);
    setZoneText('');
    setNote(null);
  };
  useKeymap(
    ZONE_PICKER,
    {
      toList: () => zoneMatches.length > 0 && setZoneInList(true),
      pick: () => pickZone(zoneMatches[0]),
    },
    { ...opts('zone'), active: !inModal && focus === 'zone' && !zoneInList, field: typeZone },
  );
  const zoneList = useSelectList({ items: zoneMatches.map((z) => ({ key: z, label: z, value: z })), limit: 4, onSelect: (i) => pickZone(i.value) });
  useKeymap(ZONE_LIST, { ...zoneList.keys, close: () => setZoneInList(false) }, { priority: 70, modal: true, active: !inModal && focus === 'zone' && zoneInList });
  useKeymap(
    FIELD_DATE,
    {
      apply: () => {
        if (!dateText.trim()) return;
        const p = parseWhen(dateText, engine.now, tz, engine.zones);
        if (!p) return setNote({ kind: 'error', text: `cannot read "${dateText}" as a date` });
        const pinned = explicitInstant(p, engine.zones);
        if (pinned && 'error' in pinned) return setNote({ kind: 'error', text: pinned.error });
        const w = pinned ? engine.zones.toWall(tz, pinned.utc) : p.kind === 'instant' ? engine.zones.toWall(tz, p.utc) : p.wall;
        setDateText('');
        setDay({ year: w.year, month: w.month, day: w.day });
        if (pinned) setNote({ kind: 'ok', text: `read in ${pinned.readIn}: ${engine.zones.format(pinned.utc, tz, 'ccc d LLL HH:mm')} in ${tz}` });
      },
      calendar: () => setCalendar(true),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => setDay(addDays(date, -1)),
      dayForward: () => setDay(addDays(date, 1)),
    },
    { ...opts('date'), field: typeDate },
  );
  useKeymap(
    SLOT_GRID,
    {
      left: () => setCursor(Math.max(0, cur - 1)),
      right: () => setCursor(Math.min(slots.length - 1, cur + 1)),
      up: () => setCursor(cur - cols >= 0 ? cur - cols : cur),
      down: () => setCursor(cur + cols < slots.length ? cur + cols : cur),
      prevDay: () => setDay(addDays(date, -1)),
      nextDay: () => setDay(addDays(date, 1)),
      choose: () => {
        const s = slots[cur];
        if (!s) return;
        if (s.unavailable) return setNote({ kind: 'error', text: `that slot is ${s.unavailable === 'full' ? 'full' : 'in the past'}; available slots are in [brackets]` });
        setChosen(s.start);
        setArmed(true);
        // Booked all the same (the customer chose it): a warning, not a refusal.
        setNote(s.outsideContactHours ? { kind: 'warning', text: "outside this number's contact hours: OK books it all the same; the customer may not be reachable then" } : null);
        setField('ok');
      },
    },
    opts('grid'),
  );
  useKeymap(FIELD_BUTTON, { press: () => void ok() }, opts('ok'));
  useKeymap(FIELD_CHECKBOX, { toggle: () => setArmed((a) => !a) }, opts('armed'));

  const svc = engine.state.services[service];
  const selected = slots[cur];
  const chosenSlot = chosen !== null ? slots.find((s) => s.start === chosen) : undefined;
  const otherRows = 13 + listRows + (mode === 'reschedule' ? 1 : 0) + (note ? 2 : 0) + (confirmLeave ? 4 : 0) + (focus === 'zone' && zoneText ? 4 : 0);
  const gridRows = Math.max(2, height - otherRows);

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.fg('accent')} paddingX={1} width={width}>
      <Text bold wrap="truncate">
        {clipWords(`${mode === 'new' ? 'New Callback' : `Reschedule Callback ${callbackId}`} · ${contact ? `${contact.firstName} ${contact.lastName}` : contactId} · service ${service} (${svc.tz}, ${svc.slotMinutes} min, ${svc.capacity} per slot)`, width - 4)}
      </Text>
      {calendar ? (
        <Calendar
          value={date}
          today={engine.zones.toWall(tz, engine.now)}
          title={`days in ${tz}`}
          closed={(d) => !serviceOpenOn(engine, service, d)}
          onPick={(d) => {
            setCalendar(false);
            setDay(d);
          }}
          onClose={() => setCalendar(false)}
        />
      ) : null}
      {/* The calendar takes the fields' place: under them it would not fit 80x24. */}
      <Box flexDirection="column" display={calendar ? 'none' : 'flex'}>
      {mode === 'reschedule' ? <Checkbox checked={armed} label="Reschedule Callback" focused={focus === 'armed'} /> : null}
      <Dropdown
        label="Type"
        labelWidth={10}
        items={CALLBACK_TYPES.map((t) => ({ key: t, label: t, value: t }))}
        selected={CALLBACK_TYPES.indexOf(type)}
        focused={!inModal && focus === 'type'}
        onRows={setListRows}
        onChange={(i) => {
          setArmed(true);
          setType(CALLBACK_TYPES[i]);
        }}
      />
      {mode === 'new' ? (
        <Dropdown
          label="Service"
          labelWidth={10}
          items={services.map((s) => ({ key: s, label: s, value: s }))}
          selected={services.indexOf(service)}
          focused={!inModal && focus === 'service'}
          onRows={setListRows}
          onChange={(i) => setService(services[i])}
        />
      ) : null}
      <FieldRow label="Time zone" focused={focus === 'zone'} width={10}>
        <TextField {...zoneField} focused={!inModal && focus === 'zone' && !zoneInList} placeholder={tz} />
        <Text color={theme.fg('muted')}>{focus === 'zone' && !zoneText ? '  type to search the IANA zones' : ''}</Text>
      </FieldRow>
      {focus === 'zone' && zoneText ? (
        <Box marginLeft={13} height={Math.min(4, zoneMatches.length)}>
          <SelectList list={zoneList} focused={zoneInList} />
        </Box>
      ) : null}
      <FieldRow label="Date" focused={focus === 'date'} width={10}>
        <TextField {...dateField} focused={!inModal && focus === 'date'} placeholder={formatWall({ ...date, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        <Text color={theme.fg('muted')}>{focus === 'date' ? '  type a date, enter · f4 calendar · ←/→ day' : ''}</Text>
      </FieldRow>
      {mode === 'new' ? (
        <Dropdown
          label="Number"
          labelWidth={10}
          items={numbers.map((n) => ({ key: n, label: formatPhone(n), value: n }))}
          selected={numberIdx}
          focused={!inModal && focus === 'number'}
          onRows={setListRows}
          onChange={setNumberIdx}
        />
      ) : null}
      {immediate ? (
        <Notice kind="info">Immediate: queued now, in the current slot of {service}</Notice>
      ) : (
        <>
          <Text color={theme.fg('muted')} wrap="truncate">
            {focus === 'grid' ? '› ' : '  '}
            {clipWords(`Slots ${formatWall({ ...date, hour: 0, minute: 0 }, 'ccc d LLL')} in ${tz} · ${slots.filter((s) => !s.unavailable).length}/${slots.length} free`, width - 6)}
          </Text>
          <SlotGrid slots={loadedSlots} cursor={cur} chosen={chosen} width={width - 4} maxRows={gridRows} zones={engine.zones} tz={tz} focused={focus === 'grid'} />
          <Text wrap="truncate">
            {selected ? (
              <>
                {focus === 'grid' ? 'Cursor' : 'Slot'} {engine.zones.formatPlain(selected.start, tz, 'HH:mm')}-{engine.zones.format(selected.end, tz, 'HH:mm')} · {selected.remaining} of {selected.total} left · you {engine.zones.format(selected.start, agentTz, 'HH:mm')}
                {chosenSlot ? ` · chosen ${engine.zones.format(chosenSlot.start, tz, 'HH:mm')}` : ''}
              </>
            ) : (
              ' '
            )}
          </Text>
        </>
      )}
      <Text>
        {focus === 'ok' ? '› ' : '  '}
        <Text inverse={focus === 'ok'}>[ OK ]</Text>
        <Text color={theme.fg('muted')}>{mode === 'new' ? '  books it · esc cancels' : '  commits the move · esc cancels'}</Text>
      </Text>
      {note ? <Notice kind={note.kind}>{note.text}</Notice> : null}
      {confirmLeave ? (
        <Confirm
          question={mode === 'new' ? 'Discard this new callback?' : `Discard the change to ${callbackId}? It keeps its time.`}
          onYes={() => onClose(mode === 'new' ? null : 'Callback not rescheduled')}
          onNo={() => setConfirmLeave(false)}
        />
      ) : null}
      </Box>
    </Box>
  );
}

const NO_SLOTS: CallbackSlot[] = [];

/** New Callback from an interaction's toolbar: for its contact, remembering where it came from. */
export function NewCallbackFromInteraction({ interactionId, contactId, height, onClose }: { interactionId: string; contactId: string; height: number; onClose: (message: string | null) => void }) {
  const { columns } = useTerminalSize();
  return <GenesysCallbackForm mode="new" contactId={contactId} originInteraction={interactionId} width={columns} height={height} onClose={onClose} />;
}
