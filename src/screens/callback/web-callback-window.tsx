import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { Contact, Interaction } from '../../engine/domain.js';
import type { Result } from '../../engine/result.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { callWebCallback, webCallbackActionRefusal } from '../../engine/web-callback.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { WEB_CALLBACK } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { STATE_LABEL } from '../main/interactions-pane.js';
import { Calendar } from '../components/calendar.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { TextField } from '../components/text-field.js';
import { Toolbar } from '../components/toolbar.js';
import { useTerminalSize } from '../terminal-size.js';
import { ClockFace } from '../components/clock-face.js';
import { NewCallbackFromInteraction } from './genesys-callback-form.js';
import { useWebRescheduleForm } from './use-web-reschedule-form.js';
import { minutesLabel } from './web-reschedule-state.js';

/** "15 min", "1 h", "1 h 15 min"; a window that ends before it starts has none. */
export function formatDuration(minutes: number): string {
  if (minutes <= 0) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

type WindowProps = { it: Interaction; onBack: () => void; onFlash: (m: string) => void; height: number };

/** The web callback's customer and their numbers, read from the store before a view shows them. */
function useCustomer(it: Interaction) {
  return useStoreQuery(async (q) => ({ contact: await q.contacts.get(it.contactId!), numbers: (await q.records.ofContact(it.contactId!)).map((r) => r.contact_info) }), [it.contactId]);
}

/** The Web Callback Preview: the request, and Call, Reschedule Callback, Done, New Callback. */
export function WebCallbackWindow(props: WindowProps) {
  const customer = useCustomer(props.it);
  if (!customer) return <Text> </Text>;
  if (!customer.contact) return <Text>No contact {props.it.contactId}</Text>;
  return <WebCallbackView {...props} contact={customer.contact} />;
}

function WebCallbackView({ it, onBack, onFlash, height, contact }: WindowProps & { contact: Contact }) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const { columns } = useTerminalSize();
  const [overlay, setOverlay] = useState<'reschedule' | 'newCallback' | null>(null);
  const web = it.web!;
  const run = async (p: Promise<Result<unknown>>, m: string) => {
    const r = await p;
    onFlash(r.ok ? m : r.error);
  };
  // The commands' own check (engine/web-callback.ts), never worked out here.
  const disabled = {
    accept: webCallbackActionRefusal(it, 'accept'),
    call: webCallbackActionRefusal(it, 'call'),
    end: webCallbackActionRefusal(it, 'end'),
    reschedule: webCallbackActionRefusal(it, 'reschedule'),
    done: webCallbackActionRefusal(it, 'done'),
  };
  useKeymap(
    WEB_CALLBACK,
    {
      accept: () => void run(engine.acceptInteraction(it.id), 'Web Callback accepted: read the request, then call'),
      call: () => void run(callWebCallback(engine, it.id), `calling ${formatPhone(web.pending?.to ?? web.window.to)}…`),
      end: () => void run(engine.endInteraction(it.id), 'call ended'),
      reschedule: () => setOverlay('reschedule'),
      done: async () => {
        const r = await engine.markDone(it.id);
        if (!r.ok) return onFlash(r.error);
        onFlash(r.value);
        onBack();
      },
      newCallback: () => setOverlay('newCallback'),
      back: onBack,
    },
    { priority: 30, active: overlay === null, disabled, onDisabled: onFlash },
  );
  const w = web.pending ?? web.window;
  // "Wed 25 Nov 07:35-07:40 AEDT": the zone once, after the range, not read as an offset.
  const fmtWindow = (zone: string) => `${engine.zones.formatPlain(w.from, zone, 'ccc d LLL HH:mm')}-${engine.zones.format(w.till, zone, 'HH:mm')}`;
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" borderStyle={overlay === null ? 'single' : undefined} paddingX={1}>
        <Text bold wrap="truncate">
          Web Callback Preview · {web.requestId} · {STATE_LABEL[it.state]}
          {overlay !== null ? ` · ${contact.firstName} ${contact.lastName} · ${contact.tz}` : ''}
        </Text>
        {overlay === null ? (
          <>
        <Text wrap="truncate">
          <Text bold>
            {contact.firstName} {contact.lastName}
          </Text>{' '}
          · {contact.email} · {contact.tz}
        </Text>
            <Text wrap="truncate">
              Window {fmtWindow(contact.tz)} for the customer · {engine.zones.format(w.from, agentTz, 'ccc HH:mm')} for you
            </Text>
            <Text wrap="truncate">
              To {formatPhone(w.to)} · Note: {web.note}
            </Text>
            <Text wrap="truncate" color={theme.fg('muted')}>
              History: {web.history.length === 0 ? 'no reschedules' : web.history.map((h) => `${engine.zones.format(h.window.from, contact.tz, 'd LLL HH:mm')} (moved by ${h.by})`).join(' → ')}
            </Text>
          </>
        ) : null}
      </Box>
      <Toolbar
        map={WEB_CALLBACK}
        disabled={disabled}
        hidden={[...(it.state === 'alerting' ? [] : ['accept']), ...(it.state === 'connected' ? [] : ['end'])]}
        labels={web.pending ? { reschedule: 'Rescheduled ✓' } : {}}
        width={columns - 1}
      />
      {overlay === 'reschedule' ? (
        <WebRescheduleView
          it={it}
          compact={height < 22}
          onClose={(m) => {
            setOverlay(null);
            onFlash(m);
          }}
        />
      ) : null}
      {overlay === 'newCallback' ? (
        <NewCallbackFromInteraction
          interactionId={it.id}
          contactId={contact.id}
          height={height - 5}
          onClose={(m) => {
            setOverlay(null);
            if (m) onFlash(m);
          }}
        />
      ) : null}
    </Box>
  );
}

/**
 * Reschedule Callback of a web callback: On, From, Till (with the duration), To, and a clock face
 * following From. It sets the pending window; Done commits it (My Callbacks does at once).
 */
export function WebRescheduleView(props: RescheduleProps) {
  const customer = useCustomer(props.it);
  if (!customer) return <Text> </Text>;
  if (!customer.contact) return <Text>No contact {props.it.contactId}</Text>;
  return <WebRescheduleForm {...props} contact={customer.contact} numbers={customer.numbers} />;
}

type RescheduleProps = { it: Interaction; onClose: (m: string) => void | Promise<void>; compact: boolean };

function WebRescheduleForm({ it, onClose, compact, contact, numbers }: RescheduleProps & { contact: Contact; numbers: string[] }) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const tz = contact.tz;
  const form = useWebRescheduleForm({ it, onClose, contact, numbers });
  const { quote } = form;
  const { armed, on, from, till, field, calendar, note } = form.state;

  const fromLabel = minutesLabel(from);
  const tillLabel = minutesLabel(till);
  const dur = till - from;
  return (
    <Box borderStyle="round" borderColor={theme.fg('accent')} paddingX={1}>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        <Text bold>Reschedule Callback · times in {tz}</Text>
        <Checkbox checked={armed} label="Reschedule Callback" focused={field === 'armed'} />
        <FieldRow label="On" focused={field === 'on'} width={6}>
          <TextField {...form.dateField} focused={!calendar && field === 'on'} placeholder={formatWall({ ...on, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        </FieldRow>
        <FieldRow label="From" focused={field === 'from'} width={6}>
          {field === 'from' ? <TextField {...form.timeField} focused={!calendar} placeholder={fromLabel} /> : <Text>{fromLabel}</Text>}
        </FieldRow>
        <FieldRow label="Till" focused={field === 'till'} width={6}>
          {field === 'till' ? <TextField {...form.timeField} focused={!calendar} placeholder={tillLabel} /> : <Text>{tillLabel}</Text>}
          <Text color={theme.fg('muted')}> duration {formatDuration(dur)}</Text>
        </FieldRow>
        <FieldRow label="To" focused={field === 'to'} width={6}>
          <Text inverse={field === 'to'}>‹ {formatPhone(form.to)} ›</Text>
        </FieldRow>
        {quote.ok ? (
          <Text wrap="truncate">
            Customer {engine.zones.format(quote.value.from, tz, 'ccc d LLL HH:mm')} · you {engine.zones.format(quote.value.from, agentTz, 'ccc HH:mm')}
          </Text>
        ) : null}
        {armed && !quote.ok ? <Notice kind="error">{quote.error}</Notice> : null}
        {note ? <Notice kind="error">{note}</Notice> : null}
        {!armed ? <Notice kind="info">space checks Reschedule Callback</Notice> : null}
        {calendar ? (
          <Calendar value={on} today={form.today} title={`days in ${tz}`} onPick={form.pickDay} onClose={form.closeCalendar} />
        ) : null}
      </Box>
      <Box flexShrink={0}>
        <ClockFace hour={Math.floor(from / 60)} minute={from % 60} label={`From ${fromLabel}`} compact={compact} />
      </Box>
    </Box>
  );
}
