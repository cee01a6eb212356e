import { Box } from 'ink';
import { Text } from '../components/text.js';
import { CONTACT_INFO_TYPE_NAMES, type CallingListRecord, type Contact, type Interaction } from '../../engine/domain.js';
import { contactHoursLabel } from '../../engine/callbacks.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { formatWall } from '../../engine/time/time-zones.js';
import { useDesk } from '../desk-context.js';
import { useTheme } from '../theme.js';
import { Calendar } from '../components/calendar.js';
import { Dropdown } from '../components/dropdown.js';
import { Checkbox, FieldRow, Notice } from '../components/fields.js';
import { TextField } from '../components/text-field.js';
import { AddNumberForm } from './add-number-form.js';
import { useRescheduleForm, useRescheduleSource, type RescheduleTarget } from './use-reschedule-form.js';

export type { RescheduleTarget } from './use-reschedule-form.js';

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * The Reschedule Callback view of an outbound call (WDE): a check box that arms it, a date
 * (typed in words or picked on a calendar), a time (typed or stepped), Personal Callback as
 * the campaign allows, the chain's numbers and New Phone Number. The engine validates every
 * change; closing the view keeps a valid callback for Done to commit. This is the view: the
 * form's state is reschedule-state.ts, its keys and commands use-reschedule-form.ts.
 */
export function RescheduleView(props: { interaction?: Interaction; target?: RescheduleTarget; onClose: (message: string) => void }) {
  const contactId = props.target?.contactId ?? props.interaction!.contactId!;
  const campaignId = props.target?.campaignId ?? props.interaction!.campaignId!;
  const loaded = useRescheduleSource(contactId, campaignId);
  if (!loaded) return <Text> </Text>;
  if (!loaded.contact) return <Text>No contact {contactId}</Text>;
  return <RescheduleForm {...props} contact={loaded.contact} chain={loaded.chain} openPersonal={loaded.openPersonal} />;
}

function RescheduleForm(props: { interaction?: Interaction; target?: RescheduleTarget; onClose: (message: string) => void; contact: Contact; chain: CallingListRecord[]; openPersonal: CallingListRecord[] }) {
  const { contact, chain } = props;
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const contactTz = contact.tz;
  const f = useRescheduleForm(props);
  const { state: form, focus, modal: inModal, policy, quote, resolution, on } = f;
  const at = quote.ok ? quote.value.at : null;

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.fg('accent')} paddingX={1}>
      <Text bold wrap="truncate">
        Reschedule Callback · {contact.firstName} {contact.lastName} · {contactTz}
      </Text>
      {form.calendar ? (
        <Calendar value={form.date} today={f.today} title={`days in ${contactTz}`} closed={f.closedOn} onPick={on.pickDay} onClose={on.closeCalendar} />
      ) : null}
      {form.adding ? <AddNumberForm contact={contact} onDone={on.numberAdded} /> : null}
      {/* The calendar and New Phone Number take the fields' place: at 80x24 there is no room
          for both, and text drawn over text is unreadable. */}
      <Box flexDirection="column" display={inModal ? 'none' : 'flex'}>
      <Checkbox checked={form.armed} label="Reschedule Callback" focused={focus === 'armed'} />
      <FieldRow label="Date" focused={focus === 'date'}>
        <TextField {...f.dateField} focused={!inModal && focus === 'date'} placeholder={formatWall({ ...form.date, hour: 0, minute: 0 }, 'ccc d LLL yyyy')} />
        <Text color={theme.fg('muted')}>{focus === 'date' ? '  type a date, enter · f4 calendar · ←/→ day' : ''}</Text>
      </FieldRow>
      <FieldRow label="Time" focused={focus === 'time'}>
        <TextField {...f.timeField} focused={!inModal && focus === 'time'} placeholder={`${p2(form.hour)}:${p2(form.minute)}`} />{' '}
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
        selected={f.phoneIdx}
        focused={!inModal && focus === 'phone'}
        onChange={on.phone}
        showPosition
      />
      <Text>
        {focus === 'newNumber' ? '› ' : '  '}
        <Text inverse={focus === 'newNumber'}>[ New Phone Number ]</Text>
      </Text>
      {form.armed && quote.ok ? <Notice kind="ok">{quote.value.routing}</Notice> : null}
      {form.armed && quote.ok && quote.value.warning ? <Notice kind="warning">{quote.value.warning}</Notice> : null}
      {form.armed && !quote.ok ? <Notice kind="error">{quote.error.message}</Notice> : null}
      {form.note ? <Notice kind={form.note.kind}>{form.note.text}</Notice> : null}
      {!form.armed ? <Notice kind="info">Check Reschedule Callback (space) to book a callback</Notice> : null}
      </Box>
    </Box>
  );
}
