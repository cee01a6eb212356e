import { Box } from 'ink';
import { Text } from '../components/text.js';
import { CALLBACK_TYPES, type CallingListRecord, type Contact, type GenesysCallback } from '../../engine/domain.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { SelectList } from '../components/select-list.js';
import { useTheme } from '../theme.js';
import { Calendar } from '../components/calendar.js';
import { Dropdown } from '../components/dropdown.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { Confirm } from '../call/pickers.js';
import { TextField } from '../components/text-field.js';
import { SlotGrid } from '../components/slot-grid.js';
import { useTerminalSize } from '../terminal-size.js';
import { clipWords } from '../text-fit.js';
import { useGenesysCallbackForm, useGenesysFormSource } from './use-genesys-callback-form.js';

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
 * only relabels the same instants. This is the view: the form's state is genesys-callback-state.ts,
 * its keys and commands use-genesys-callback-form.ts.
 */
export function GenesysCallbackForm(props: GenesysFormProps) {
  const { contactId, callbackId } = props;
  const loaded = useGenesysFormSource(contactId, callbackId);
  if (!loaded) return <Text> </Text>;
  return <GenesysForm {...props} existing={loaded.existing} contact={loaded.contact} chain={loaded.chain} />;
}

function GenesysForm(props: GenesysFormProps & { existing: GenesysCallback | undefined; contact: Contact | undefined; chain: CallingListRecord[] }) {
  const { mode, contactId, callbackId, width, height, contact } = props;
  const theme = useTheme();
  const form = useGenesysCallbackForm(props);
  const { state, focus, modal, zones, agentTz, zone, on } = form;
  const { type, service, tz, date, calendar, confirmLeave, note, chosen } = state;
  const slots = form.slots ?? [];
  const svc = form.serviceConfig;
  const immediate = type === 'Immediate';
  const selected = slots[form.cursor];
  const chosenSlot = chosen !== null ? slots.find((s) => s.start === chosen) : undefined;
  const otherRows = 13 + state.listRows + (mode === 'reschedule' ? 1 : 0) + (note ? 2 : 0) + (confirmLeave ? 4 : 0) + (focus === 'zone' && zone.text ? 4 : 0);
  const gridRows = Math.max(2, height - otherRows);

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.fg('accent')} paddingX={1} width={width}>
      <Text bold wrap="truncate">
        {clipWords(`${mode === 'new' ? 'New Callback' : `Reschedule Callback ${callbackId}`} · ${contact ? `${contact.firstName} ${contact.lastName}` : contactId} · service ${service} (${svc.tz}, ${svc.slotMinutes} min, ${svc.capacity} per slot)`, width - 4)}
      </Text>
      {calendar ? <Calendar value={date} today={form.today} title={`days in ${tz}`} closed={form.closedOn} onPick={on.pickDay} onClose={on.closeCalendar} /> : null}
      {/* The calendar takes the fields' place: under them it would not fit 80x24. */}
      <Box flexDirection="column" display={calendar ? 'none' : 'flex'}>
      {mode === 'reschedule' ? <Checkbox checked={state.armed} label="Reschedule Callback" focused={focus === 'armed'} /> : null}
      <Dropdown
        label="Type"
        labelWidth={10}
        items={CALLBACK_TYPES.map((t) => ({ key: t, label: t, value: t }))}
        selected={CALLBACK_TYPES.indexOf(type)}
        focused={!modal && focus === 'type'}
        onRows={on.listRows}
        onChange={on.type}
      />
      {mode === 'new' ? (
        <Dropdown
          label="Service"
          labelWidth={10}
          items={form.services.map((s) => ({ key: s, label: s, value: s }))}
          selected={form.services.indexOf(service)}
          focused={!modal && focus === 'service'}
          onRows={on.listRows}
          onChange={on.service}
        />
      ) : null}
      <FieldRow label="Time zone" focused={focus === 'zone'} width={10}>
        <TextField {...zone.field} focused={!modal && focus === 'zone' && !state.zoneInList} placeholder={tz} />
        <Text color={theme.fg('muted')}>{focus === 'zone' && !zone.text ? '  type to search the IANA zones' : ''}</Text>
      </FieldRow>
      {focus === 'zone' && zone.text ? (
        <Box marginLeft={13} height={Math.min(4, zone.matches.length)}>
          <SelectList list={zone.list} focused={state.zoneInList} />
        </Box>
      ) : null}
      <FieldRow label="Date" focused={focus === 'date'} width={10}>
        <TextField {...form.dateField} focused={!modal && focus === 'date'} placeholder={formatWall({ ...date, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        <Text color={theme.fg('muted')}>{focus === 'date' ? '  type a date, enter · f4 calendar · ←/→ day' : ''}</Text>
      </FieldRow>
      {mode === 'new' ? (
        <Dropdown
          label="Number"
          labelWidth={10}
          items={form.numbers.map((n) => ({ key: n, label: formatPhone(n), value: n }))}
          selected={state.numberIdx}
          focused={!modal && focus === 'number'}
          onRows={on.listRows}
          onChange={on.number}
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
          <SlotGrid slots={form.slots} cursor={form.cursor} chosen={chosen} width={width - 4} maxRows={gridRows} zones={zones} tz={tz} focused={focus === 'grid'} />
          <Text wrap="truncate">
            {selected ? (
              <>
                {focus === 'grid' ? 'Cursor' : 'Slot'} {zones.formatPlain(selected.start, tz, 'HH:mm')}-{zones.format(selected.end, tz, 'HH:mm')} · {selected.remaining} of {selected.total} left · you {zones.format(selected.start, agentTz, 'HH:mm')}
                {chosenSlot ? ` · chosen ${zones.format(chosenSlot.start, tz, 'HH:mm')}` : ''}
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
        <Confirm question={mode === 'new' ? 'Discard this new callback?' : `Discard the change to ${callbackId}? It keeps its time.`} onYes={on.discard} onNo={on.keep} />
      ) : null}
      </Box>
    </Box>
  );
}

/** New Callback from an interaction's toolbar: for its contact, remembering where it came from. */
export function NewCallbackFromInteraction({ interactionId, contactId, height, onClose }: { interactionId: string; contactId: string; height: number; onClose: (message: string | null) => void }) {
  const { columns } = useTerminalSize();
  return <GenesysCallbackForm mode="new" contactId={contactId} originInteraction={interactionId} width={columns} height={height} onClose={onClose} />;
}
