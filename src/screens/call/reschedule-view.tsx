import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { stepWallTime } from '../../engine/time/wall-step.js';
import { CONTACT_INFO_TYPE_NAMES, type CallingListRecord, type Contact, type Interaction, type PendingReschedule } from '../../engine/domain.js';
import { contactHoursLabel } from '../../engine/callbacks.js';
import { beyondCallbackHorizon, personalChoice, quoteRescheduleWith, setPendingReschedule, type RescheduleQuote } from '../../engine/outbound.js';
import type { Engine } from '../../engine/engine.js';
import type { Result } from '../../engine/result.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { addDays, explicitInstant, parseTypedTime, parseWhen } from '../../engine/time/callback-time.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { useDesk, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { FIELD_BUTTON, FIELD_CHECKBOX, FIELD_CHOICE, FIELD_DATE, FIELD_TIME, RESCHEDULE } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { TIME_CHAR } from '../components/text-field-state.js';
import { useTheme } from '../theme.js';
import { Calendar, type CalendarDate } from '../components/calendar.js';
import { Dropdown } from '../components/dropdown.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { TextField } from '../components/text-field.js';
import { AddNumberForm } from './add-number-form.js';

type Field = 'armed' | 'date' | 'time' | 'overlap' | 'personal' | 'phone' | 'newNumber';

interface FormState {
  armed: boolean;
  date: CalendarDate;
  hour: number;
  minute: number;
  personal: boolean;
  recordId: number;
  overlap: 'earlier' | 'later' | undefined;
}

const p2 = (n: number) => String(n).padStart(2, '0');

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
 * The Reschedule Callback view of an outbound call (WDE): a check box that arms it, a date
 * (typed in words or picked on a calendar), a time (typed or stepped), Personal Callback as
 * the campaign allows, the chain's numbers and New Phone Number. The engine validates every
 * change; closing the view keeps a valid callback for Done to commit.
 */
export function RescheduleView(props: { interaction?: Interaction; target?: RescheduleTarget; onClose: (message: string) => void }) {
  const contactId = props.target?.contactId ?? props.interaction!.contactId!;
  const campaignId = props.target?.campaignId ?? props.interaction!.campaignId!;
  // What the form shows and quotes on, read again after every change (a number added, a
  // callback booked elsewhere that counts against the personal-callback cap).
  const loaded = useStoreQuery(
    async (q, e) => ({
      contact: await q.contacts.get(contactId),
      chain: await q.records.ofContact(contactId),
      openPersonal: e.agentId ? await q.records.openPersonalCallbacks(e.agentId, campaignId) : [],
    }),
    [contactId, campaignId],
  );
  if (!loaded) return <Text> </Text>;
  if (!loaded.contact) return <Text>No contact {contactId}</Text>;
  return <RescheduleForm {...props} contact={loaded.contact} chain={loaded.chain} openPersonal={loaded.openPersonal} />;
}

function RescheduleForm({
  interaction,
  target: given,
  onClose,
  contact,
  chain,
  openPersonal,
}: {
  interaction?: Interaction;
  target?: RescheduleTarget;
  onClose: (message: string) => void;
  contact: Contact;
  chain: CallingListRecord[];
  openPersonal: CallingListRecord[];
}) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const contactTz = contact.tz;
  const target = given ?? callTarget(engine, interaction!, contactTz);
  const campaignId = target.campaignId;
  const policy = personalChoice(engine, campaignId);

  const [form, setForm] = useState<FormState>(() => initialForm());
  const [field, setField] = useState<Field>('armed');
  const [dateText, setDateText, typeDate, dateField] = useTextField('', 40);
  // Room for a zone of its own: "15:30 Europe/Berlin".
  const [timeText, setTimeText, typeTime, timeField] = useTextField('', 40, TIME_CHAR);
  const [calendar, setCalendar] = useState(false);
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);

  function initialForm(): FormState {
    const pending = target.pending;
    if (pending) {
      const w = engine.zones.toWall(pending.tz, pending.at);
      return { armed: true, date: { year: w.year, month: w.month, day: w.day }, hour: w.hour, minute: w.minute, personal: pending.callbackType === 'Personal', recordId: pending.recordId, overlap: undefined };
    }
    // Tomorrow at the next full hour, in the contact's zone: valid as it stands.
    const w = engine.zones.toWall(contactTz, engine.now + 3_600_000);
    return { armed: false, date: addDays(w, 1), hour: w.hour, minute: 0, personal: policy === 'locked-on', recordId: target.recordId, overlap: undefined };
  }

  const fields: Field[] = ['armed', 'date', 'time'];
  const wall = { ...form.date, hour: form.hour, minute: form.minute };
  const quoteFor = (f: FormState) =>
    quoteRescheduleWith(engine, { record: chain.find((r) => r.record_id === f.recordId), openPersonal }, {
      recordId: f.recordId,
      when: { kind: 'wall', wall: { ...f.date, hour: f.hour, minute: f.minute }, hasTime: true },
      tz: contactTz,
      overlap: f.overlap,
      personal: policy === 'locked-on' ? true : policy === 'hidden' ? false : f.personal,
      agentId: engine.agentId,
      campaignId,
    });
  const quote = quoteFor(form);
  const resolution = engine.zones.resolve(contactTz, wall);
  // A wall time in the fall-back hour happens twice: the agent says which.
  if (resolution.kind === 'overlap') fields.push('overlap');
  if (policy !== 'hidden') fields.push('personal');
  fields.push('phone', 'newNumber');
  const focus = fields.includes(field) ? field : 'armed';
  const move = (d: number) => setField(fields[(fields.indexOf(focus) + d + fields.length) % fields.length]);
  const update = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setNote(null);
  };
  // The arrows step over a time daylight saving skips (the engine's rule: stepWallTime).
  const stepMinutes = (n: number) =>
    setForm((f) => {
      const w = stepWallTime(engine.zones, contactTz, { ...f.date, hour: f.hour, minute: f.minute }, n);
      return { ...f, hour: w.hour, minute: w.minute, date: { year: w.year, month: w.month, day: w.day } };
    });

  const close = async () => {
    // Text typed into Date or Time and not yet read counts, as it would with Enter.
    const typed = readTyped();
    if (typed === null) return;
    const f = typed ? { ...form, ...typed } : form;
    if (typed) update(typed);
    if (!f.armed) {
      const r = await target.save(null);
      onClose(r.ok ? r.value : r.error);
      return;
    }
    const q = typed ? quoteFor(f) : quote;
    if (!q.ok) {
      setNote({ kind: 'error', text: 'Fix it, or clear Reschedule Callback to close.' });
      return;
    }
    const r = await target.save(q.value);
    if (!r.ok) {
      setNote({ kind: 'error', text: r.error });
      return;
    }
    onClose(r.value);
  };

  /**
   * The text typed into Date or Time, read: the form's change (the field emptied), undefined
   * when nothing is typed, or null when it cannot be read (the note says why; the text stays).
   * Enter reads it; so do leaving the field and closing the view, so typed text is never
   * shown on screen while another date is booked.
   */
  type Typed = Partial<FormState> | undefined | null;
  const readDate = (): Typed => {
    if (!dateText.trim()) return undefined;
    const parsed = parseWhen(dateText, engine.now, contactTz, engine.zones);
    if (!parsed) {
      setNote({ kind: 'error', text: `cannot read "${dateText}" as a date; try "tomorrow 3pm", "next monday", "in 2 hours", "12/24 9:30"` });
      return null;
    }
    const pinned = explicitInstant(parsed, engine.zones);
    if (pinned && 'error' in pinned) {
      setNote({ kind: 'error', text: pinned.error });
      return null;
    }
    setDateText('');
    setNote(null);
    if (pinned || parsed.kind === 'instant') {
      const utc = pinned ? pinned.utc : (parsed as { utc: number }).utc;
      const w = engine.zones.toWall(contactTz, utc);
      // Say which zone the typed time was read in, and what it is for the contact.
      if (pinned) setNote({ kind: 'ok', text: `read in ${pinned.readIn}: ${engine.zones.format(utc, contactTz, 'ccc d LLL HH:mm')} for the contact` });
      return { date: { year: w.year, month: w.month, day: w.day }, hour: w.hour, minute: w.minute, armed: true, overlap: undefined };
    }
    const w = parsed.wall;
    return { date: { year: w.year, month: w.month, day: w.day }, ...(parsed.hasTime ? { hour: w.hour, minute: w.minute } : {}), armed: true, overlap: undefined };
  };

  const readTime = (): Typed => {
    if (!timeText.trim()) return undefined;
    const t = parseTypedTime(timeText, form.date, contactTz, engine.now, engine.zones);
    if (!t || 'error' in t) {
      setNote({ kind: 'error', text: t ? t.error : `cannot read "${timeText}" as a time; try 15:30, 3pm or 15:30 UTC` });
      return null;
    }
    setTimeText('');
    setNote(t.readIn ? { kind: 'ok', text: `read in ${t.readIn}: ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} for the contact` } : null);
    return { date: t.date, hour: t.hour, minute: t.minute, armed: true, overlap: undefined };
  };

  const readTyped = (): Typed => (focus === 'date' ? readDate() : focus === 'time' ? readTime() : undefined);

  /** Enter in Date or Time. */
  const apply = (read: () => Typed) => {
    const typed = read();
    if (typed) setForm((f) => ({ ...f, ...typed }));
  };

  /** Tab, ↓, Shift+Tab, ↑: typed text is read first; text that cannot be read keeps the focus. */
  const leave = (d: number) => {
    const typed = readTyped();
    if (typed === null) return;
    if (typed) setForm((f) => ({ ...f, ...typed }));
    move(d);
  };

  const phoneIdx = Math.max(0, chain.findIndex((r) => r.record_id === form.recordId));
  const inModal = calendar || adding;

  useKeymap(RESCHEDULE, { next: () => leave(1), prev: () => leave(-1), close: () => void close() }, { priority: 60, modal: true, active: !inModal });
  useKeymap(FIELD_CHECKBOX, { toggle: () => (focus === 'armed' ? update({ armed: !form.armed }) : update({ personal: !form.personal, armed: true })) }, { priority: 65, active: !inModal && (focus === 'armed' || (focus === 'personal' && policy === 'free')) });
  useKeymap(
    FIELD_DATE,
    {
      apply: () => apply(readDate),
      calendar: () => setCalendar(true),
      // With text typed, the field takes ←/→ (they move its cursor) and Backspace.
      dayBack: () => update({ date: addDays(form.date, -1), armed: true }),
      dayForward: () => update({ date: addDays(form.date, 1), armed: true }),
    },
    { priority: 65, active: !inModal && focus === 'date', field: typeDate },
  );
  useKeymap(
    FIELD_TIME,
    {
      apply: () => apply(readTime),
      minuteUp: () => stepMinutes(1),
      minuteDown: () => stepMinutes(-1),
      hourUp: () => stepMinutes(60),
      hourDown: () => stepMinutes(-60),
    },
    { priority: 65, active: !inModal && focus === 'time', field: typeTime },
  );
  useKeymap(
    FIELD_CHOICE,
    { prevChoice: () => update({ overlap: 'earlier' }), nextChoice: () => update({ overlap: form.overlap === 'earlier' ? 'later' : 'earlier' }) },
    { priority: 65, active: !inModal && focus === 'overlap' },
  );
  useKeymap(FIELD_BUTTON, { press: () => setAdding(true) }, { priority: 65, active: !inModal && focus === 'newNumber' });

  const at = quote.ok ? quote.value.at : null;

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.fg('accent')} paddingX={1}>
      <Text bold wrap="truncate">
        Reschedule Callback · {contact.firstName} {contact.lastName} · {contactTz}
      </Text>
      {calendar ? (
        <Calendar
          value={form.date}
          today={engine.zones.toWall(contactTz, engine.now)}
          title={`days in ${contactTz}`}
          closed={(d) => beyondCallbackHorizon(engine, campaignId, d, contactTz)}
          onPick={(d) => {
            setCalendar(false);
            update({ date: d, armed: true, overlap: undefined });
          }}
          onClose={() => setCalendar(false)}
        />
      ) : null}
      {adding ? (
        <AddNumberForm
          contact={contact}
          onDone={(recordId, message) => {
            setAdding(false);
            if (recordId !== null) update({ recordId });
            setNote(recordId !== null ? { kind: 'ok', text: message } : null);
          }}
        />
      ) : null}
      {/* The calendar and New Phone Number take the fields' place: at 80x24 there is no room
          for both, and text drawn over text is unreadable. */}
      <Box flexDirection="column" display={inModal ? 'none' : 'flex'}>
      <Checkbox checked={form.armed} label="Reschedule Callback" focused={focus === 'armed'} />
      <FieldRow label="Date" focused={focus === 'date'}>
        <TextField {...dateField} focused={!inModal && focus === 'date'} placeholder={formatWall({ ...form.date, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        <Text color={theme.fg('muted')}>{focus === 'date' ? '  type a date, enter · f4 calendar · ←/→ day' : ''}</Text>
      </FieldRow>
      <FieldRow label="Time" focused={focus === 'time'}>
        <TextField {...timeField} focused={!inModal && focus === 'time'} placeholder={`${p2(form.hour)}:${p2(form.minute)}`} />{' '}
        {/* A time the clocks skip has no zone abbreviation: it is not a time there at all. */}
        {resolution.kind === 'gap' ? <Text color={theme.fg('error')}>✕ skipped by daylight saving</Text> : engine.zones.abbr(contactTz, at ?? engine.now)}
        <Text color={theme.fg('muted')}>{focus === 'time' ? '  ↑/↓ minute · pgup/pgdn hour · or type 15:30' : ''}</Text>
      </FieldRow>
      {resolution.kind === 'overlap' ? (
        <FieldRow label="Which" focused={focus === 'overlap'}>
          <Text inverse={focus === 'overlap'}>
            ‹{' '}
            {form.overlap === undefined
              ? 'choose with ←/→'
              : form.overlap === 'earlier'
                ? `first ${engine.zones.format(resolution.earlier, contactTz, 'HH:mm')}`
                : `second ${engine.zones.format(resolution.later, contactTz, 'HH:mm')}`}{' '}
            ›
          </Text>
        </FieldRow>
      ) : null}
      <Text wrap="truncate">
        {'  '}
        {at !== null ? (
          <>
            Contact {engine.zones.format(at, contactTz, 'ccc d LLL HH:mm')} · You {engine.zones.format(at, agentTz, 'ccc d LLL HH:mm')} {agentTz}
          </>
        ) : (
          <Text color={theme.fg('muted')}>Contact now {engine.zones.format(engine.now, contactTz, 'ccc d LLL HH:mm')} · You now {engine.zones.format(engine.now, agentTz, 'ccc HH:mm')}</Text>
        )}
      </Text>
      {policy === 'free' ? <Checkbox checked={form.personal} label="Personal Callback" focused={focus === 'personal'} /> : null}
      {policy === 'locked-on' ? <Checkbox checked label="Personal Callback" focused={focus === 'personal'} locked="every callback of this campaign is personal" /> : null}
      {/* The chain's numbers, as the help page's Phone drop-down. */}
      <Dropdown
        label="Phone"
        items={chain.map((r) => ({ key: String(r.record_id), label: `${formatPhone(r.contact_info)} · ${CONTACT_INFO_TYPE_NAMES[r.contact_info_type]} · ${contactHoursLabel(engine, r, engine.now)}`, value: r.record_id }))}
        selected={phoneIdx}
        focused={!inModal && focus === 'phone'}
        onChange={(i) => update({ recordId: chain[i].record_id })}
        showPosition
      />
      <Text>
        {focus === 'newNumber' ? '› ' : '  '}
        <Text inverse={focus === 'newNumber'}>[ New Phone Number ]</Text>
      </Text>
      {form.armed && quote.ok ? <Notice kind="ok">{quote.value.routing}</Notice> : null}
      {form.armed && quote.ok && quote.value.warning ? <Notice kind="warning">{quote.value.warning}</Notice> : null}
      {form.armed && !quote.ok ? <Notice kind="error">{quote.error.message}</Notice> : null}
      {note ? <Notice kind={note.kind}>{note.text}</Notice> : null}
      {!form.armed ? <Notice kind="info">Check Reschedule Callback (space) to book a callback</Notice> : null}
      </Box>
    </Box>
  );
}
