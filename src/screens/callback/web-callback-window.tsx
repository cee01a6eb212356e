import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { Contact, Interaction } from '../../engine/domain.js';
import type { Result } from '../../engine/result.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { addDays, explicitInstant, parseTypedTime, parseWhen } from '../../engine/time/callback-time.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { callWebCallback, quoteWebReschedule, setWebPending } from '../../engine/web-callback.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_CHECKBOX, FIELD_CHOICE, FIELD_DATE, FIELD_TIME, RESCHEDULE, WEB_CALLBACK } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { TIME_CHAR } from '../components/text-field-state.js';
import { useTheme } from '../theme.js';
import { STATE_LABEL } from '../main/interactions-pane.js';
import { Calendar, type CalendarDate } from '../components/calendar.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { TextField } from '../components/text-field.js';
import { Toolbar } from '../components/toolbar.js';
import { useTerminalSize } from '../terminal-size.js';
import { ClockFace } from '../components/clock-face.js';
import { NewCallbackFromInteraction } from './genesys-callback-form.js';

const p2 = (n: number) => String(n).padStart(2, '0');

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
  const disabled = {
    accept: it.state !== 'alerting' ? 'it is not alerting' : null,
    call: it.state !== 'preview' ? (it.state === 'alerting' ? 'accept the Web Callback first' : 'the call is under way or over') : null,
    end: it.state !== 'connected' ? 'there is no call to end' : null,
    reschedule: it.state === 'alerting' ? 'accept the Web Callback first' : null,
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

type Field = 'armed' | 'on' | 'from' | 'till' | 'to';
const FIELDS: Field[] = ['armed', 'on', 'from', 'till', 'to'];

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
  const web = it.web!;
  const tz = contact.tz;
  const start = web.pending ?? web.window;
  const [armed, setArmed] = useState(web.pending !== null);
  const [on, setOn] = useState<CalendarDate>(() => engine.zones.toWall(tz, start.from));
  const [from, setFrom] = useState(() => {
    const w = engine.zones.toWall(tz, start.from);
    return w.hour * 60 + w.minute;
  });
  const [till, setTill] = useState(() => {
    const w = engine.zones.toWall(tz, start.till);
    return w.hour * 60 + w.minute;
  });
  const [toIdx, setToIdx] = useState(Math.max(0, numbers.indexOf(start.to)));
  const [field, setField] = useState<Field>('armed');
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 30);
  // Room for a zone of its own: "15:30 Europe/Berlin".
  const [timeText, setTimeText, typeTime, timeField] = useTextField('', 40, TIME_CHAR);
  const [calendar, setCalendar] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const move = (d: number) => {
    setField((f) => FIELDS[(FIELDS.indexOf(f) + d + FIELDS.length) % FIELDS.length]);
    setTimeText('');
  };
  const hm = (m: number) => ({ hour: Math.floor(m / 60), minute: m % 60 });
  const quote = quoteWebReschedule(engine, it.id, { on, from: hm(from), till: hm(till), to: numbers[toIdx] ?? start.to, tz, contactTz: contact.tz });
  const step = (which: 'from' | 'till', n: number) => {
    setArmed(true);
    setNote(null);
    const clamp = (m: number) => Math.max(0, Math.min(24 * 60 - 1, m));
    if (which === 'from') {
      // Moving From keeps the duration, as the Till field follows.
      const dur = till - from;
      setFrom((f) => clamp(f + n));
      setTill(() => clamp(from + n + dur));
    } else setTill((t) => clamp(t + n));
  };
  const applyTime = (which: 'from' | 'till') => {
    const t = parseTypedTime(timeText, on, tz, engine.now, engine.zones);
    if (!t || 'error' in t) return setNote(t ? t.error : `cannot read "${timeText}" as a time; try 15:30, 3pm or 15:30 UTC`);
    setTimeText('');
    setArmed(true);
    setOn(t.date);
    setNote(t.readIn ? `read in ${t.readIn}: ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} for the customer` : null);
    const m = t.hour * 60 + t.minute;
    if (which === 'from') {
      // The window moves with From, keeping its duration; a Till typed before the old From (no
      // duration to keep) stays when it is after the new From.
      const dur = till - from;
      setFrom(m);
      if (dur > 0) setTill(Math.min(24 * 60 - 1, m + dur));
      else if (till <= m) setTill(Math.min(24 * 60 - 1, m + 30));
    } else setTill(m);
  };
  const close = async () => {
    if (!armed) {
      await setWebPending(engine, it.id, null);
      return onClose(web.pending ? 'reschedule cleared' : 'not rescheduled');
    }
    if (!quote.ok) return setNote('Fix it, or clear Reschedule Callback to close.');
    const r = await setWebPending(engine, it.id, quote.value);
    if (!r.ok) return setNote(r.error);
    await onClose(`Rescheduled to ${engine.zones.format(quote.value.from, tz, 'ccc d LLL HH:mm')}; Done commits it`);
  };
  const timeOpts = (f: 'from' | 'till') => ({
    priority: 65,
    active: !calendar && field === f,
    field: typeTime,
  });
  useKeymap(RESCHEDULE, { next: () => move(1), prev: () => move(-1), close: () => void close() }, { priority: 60, modal: true, active: !calendar });
  useKeymap(FIELD_CHECKBOX, { toggle: () => setArmed((a) => !a) }, { priority: 65, active: !calendar && field === 'armed' });
  useKeymap(
    FIELD_DATE,
    {
      apply: () => {
        if (!dateText.trim()) return;
        const p = parseWhen(dateText, engine.now, tz, engine.zones);
        if (!p) return setNote(`cannot read "${dateText}" as a date`);
        const pinned = explicitInstant(p, engine.zones);
        if (pinned && 'error' in pinned) return setNote(pinned.error);
        setDateText('');
        setArmed(true);
        setNote(pinned ? `read in ${pinned.readIn}: ${engine.zones.format(pinned.utc, tz, 'ccc d LLL HH:mm')} for the customer` : null);
        if (pinned || p.kind === 'instant') {
          const w = engine.zones.toWall(tz, pinned ? pinned.utc : (p as { utc: number }).utc);
          setOn(w);
          step('from', w.hour * 60 + w.minute - from);
        } else {
          setOn(p.wall);
          if (p.hasTime) step('from', p.wall.hour * 60 + p.wall.minute - from);
        }
      },
      calendar: () => setCalendar(true),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => (setOn((d) => addDays(d, -1)), setArmed(true)),
      dayForward: () => (setOn((d) => addDays(d, 1)), setArmed(true)),
    },
    { priority: 65, active: !calendar && field === 'on', field: typeDate },
  );
  const timeHandlers = (f: 'from' | 'till') => ({
    apply: () => applyTime(f),
    minuteUp: () => step(f, 1),
    minuteDown: () => step(f, -1),
    hourUp: () => step(f, 60),
    hourDown: () => step(f, -60),
  });
  useKeymap(FIELD_TIME, timeHandlers(field === 'till' ? 'till' : 'from'), { ...timeOpts(field === 'till' ? 'till' : 'from'), active: !calendar && (field === 'from' || field === 'till') });
  useKeymap(FIELD_CHOICE, { prevChoice: () => setToIdx((i) => (i + numbers.length - 1) % numbers.length), nextChoice: () => setToIdx((i) => (i + 1) % numbers.length) }, { priority: 65, active: !calendar && field === 'to' });

  const fromLabel = `${p2(Math.floor(from / 60))}:${p2(from % 60)}`;
  const tillLabel = `${p2(Math.floor(till / 60))}:${p2(till % 60)}`;
  const dur = till - from;
  return (
    <Box borderStyle="round" borderColor={theme.fg('accent')} paddingX={1}>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        <Text bold>Reschedule Callback · times in {tz}</Text>
        <Checkbox checked={armed} label="Reschedule Callback" focused={field === 'armed'} />
        <FieldRow label="On" focused={field === 'on'} width={6}>
          <TextField {...dateField} focused={!calendar && field === 'on'} placeholder={formatWall({ ...on, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        </FieldRow>
        <FieldRow label="From" focused={field === 'from'} width={6}>
          {field === 'from' ? <TextField {...timeField} focused={!calendar} placeholder={fromLabel} /> : <Text>{fromLabel}</Text>}
        </FieldRow>
        <FieldRow label="Till" focused={field === 'till'} width={6}>
          {field === 'till' ? <TextField {...timeField} focused={!calendar} placeholder={tillLabel} /> : <Text>{tillLabel}</Text>}
          <Text color={theme.fg('muted')}> duration {formatDuration(dur)}</Text>
        </FieldRow>
        <FieldRow label="To" focused={field === 'to'} width={6}>
          <Text inverse={field === 'to'}>‹ {formatPhone(numbers[toIdx] ?? start.to)} ›</Text>
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
          <Calendar
            value={on}
            today={engine.zones.toWall(tz, engine.now)}
            title={`days in ${tz}`}
            onPick={(d) => {
              setCalendar(false);
              setOn(d);
              setArmed(true);
            }}
            onClose={() => setCalendar(false)}
          />
        ) : null}
      </Box>
      <Box flexShrink={0}>
        <ClockFace hour={Math.floor(from / 60)} minute={from % 60} label={`From ${fromLabel}`} compact={compact} />
      </Box>
    </Box>
  );
}
