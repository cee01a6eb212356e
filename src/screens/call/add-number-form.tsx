import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { CONTACT_INFO_TYPE_NAMES, ContactInfoType, type Contact } from '../../engine/domain.js';
import { addChainNumber } from '../../engine/outbound.js';
import { parseTimeOfDay } from '../../engine/time/callback-time.js';
import { useDesk } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { ADD_NUMBER } from '../keymaps.js';
import { useTextField } from '../components/use-text-field.js';
import { PHONE_CHAR, TIME_CHAR } from '../components/text-field-state.js';
import { TextField } from '../components/text-field.js';
import { useTheme } from '../theme.js';
import { FieldRow, Notice } from '../components/fields.js';

/** Voice-capable types of §2.3 that make sense for a callback number. */
const VOICE_TYPES: ContactInfoType[] = [
  ContactInfoType.Mobile,
  ContactInfoType.HomePhone,
  ContactInfoType.DirectBusinessPhone,
  ContactInfoType.BusinessWithExtension,
  ContactInfoType.VacationPhone,
  ContactInfoType.VoiceMail,
];

type Field = 'phone' | 'type' | 'from' | 'until';
const FIELDS: Field[] = ['phone', 'type', 'from', 'until'];

/** New Phone Number: Phone, Type, From, Until (contactable hours in the contact's zone). */
export function AddNumberForm({ contact, onDone }: { contact: Contact; onDone: (recordId: number | null, message: string) => void }) {
  const theme = useTheme();
  const { engine } = useDesk();
  const contactId = contact.id;
  const [field, setField] = useState<Field>('phone');
  const [phone, , typePhone, phoneField] = useTextField('', 24, PHONE_CHAR);
  const [fromText, , typeFrom, fromField] = useTextField('', 8, TIME_CHAR);
  const [untilText, , typeUntil, untilField] = useTextField('', 8, TIME_CHAR);
  // Empty fields mean the usual calling hours (8 a.m. to 9 p.m. local).
  const from = fromText || '08:00';
  const until = untilText || '21:00';
  const [typeIdx, setTypeIdx] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const move = (d: number) => setField((f) => FIELDS[(FIELDS.indexOf(f) + d + FIELDS.length) % FIELDS.length]);
  const save = async () => {
    const f = parseTimeOfDay(from);
    const u = parseTimeOfDay(until);
    if (!f) return setError(`From: cannot read "${from}" as a time`);
    if (!u) return setError(`Until: cannot read "${until}" as a time`);
    const r = await addChainNumber(engine, contactId, { phone, type: VOICE_TYPES[typeIdx], from: f.hour * 3600 + f.minute * 60, until: u.hour * 3600 + u.minute * 60 });
    if (!r.ok) return setError(r.error);
    onDone(r.value.record_id, `added ${r.value.contact_info} (${CONTACT_INFO_TYPE_NAMES[r.value.contact_info_type]}) to the contact's numbers`);
  };
  const typeInto = (k: string, text?: string) => {
    const typing = field === 'phone' ? typePhone : field === 'from' ? typeFrom : field === 'until' ? typeUntil : null;
    if (!typing?.(k, text)) return false;
    setError(null);
    return true;
  };
  useKeymap(
    ADD_NUMBER,
    {
      next: () => move(1),
      prev: () => move(-1),
      save,
      cancel: () => onDone(null, ''),
      prevType: () => field === 'type' && setTypeIdx((i) => (i - 1 + VOICE_TYPES.length) % VOICE_TYPES.length),
      nextType: () => field === 'type' && setTypeIdx((i) => (i + 1) % VOICE_TYPES.length),
      erase: () => setError(null),
    },
    { priority: 70, modal: true, field: typeInto },
  );
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate">New Phone Number · contact hours in {contact.tz}</Text>
      <FieldRow label="Phone" focused={field === 'phone'}>
        <TextField {...phoneField} focused={field === 'phone'} placeholder="+1 212 555 0123" />
      </FieldRow>
      <FieldRow label="Type" focused={field === 'type'}>
        <Text inverse={field === 'type'}>‹ {CONTACT_INFO_TYPE_NAMES[VOICE_TYPES[typeIdx]]} ›</Text>
      </FieldRow>
      <FieldRow label="From" focused={field === 'from'}>
        <TextField {...fromField} focused={field === 'from'} placeholder="08:00" />
      </FieldRow>
      <FieldRow label="Until" focused={field === 'until'}>
        <TextField {...untilField} focused={field === 'until'} placeholder="21:00" />
      </FieldRow>
      {error ? <Notice kind="error">{error}</Notice> : <Text color={theme.fg('muted')}>enter adds · esc cancels</Text>}
    </Box>
  );
}
