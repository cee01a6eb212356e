import { Box } from 'ink';
import { Text } from '../components/text.js';
import { CONTACT_INFO_TYPE_NAMES } from '../../engine/domain.js';
import { formatSecondsOfDay } from '../../engine/time/time-zones.js';
import { useDesk, useEngineState, useNow, useStoreQuery } from '../desk-context.js';
import { useTheme } from '../theme.js';

/** A contact with each number's type and contact hours, and its local time beside the agent's. */
export function ContactCard({ contactId }: { contactId: string }) {
  const theme = useTheme();
  const { agentTz } = useDesk();
  const now = useNow(60_000);
  const engine = useEngineState((e) => e);
  const loaded = useStoreQuery(async (q) => ({ contact: await q.contacts.get(contactId), chain: await q.records.ofContact(contactId) }), [contactId]);
  if (!loaded) return <Text> </Text>;
  const { contact, chain } = loaded;
  if (!contact) return <Text>Unknown contact {contactId}</Text>;
  return (
    <Box flexDirection="column">
      <Text bold>
        {contact.firstName} {contact.lastName} <Text color={theme.fg('muted')}>({contact.id})</Text>
      </Text>
      <Text>
        Local time {engine.zones.format(now, contact.tz, 'ccc HH:mm')} {contact.tz} · you {engine.zones.format(now, agentTz, 'ccc HH:mm')}
      </Text>
      {Object.entries(contact.fields).map(([k, v]) => (
        <Text key={k} wrap="truncate">
          {k.padEnd(13)} {v || '—'}
        </Text>
      ))}
      {chain.map((r) => (
        <Text key={r.record_id} wrap="truncate">
          #{r.chain_n} {r.contact_info.padEnd(15)} {CONTACT_INFO_TYPE_NAMES[r.contact_info_type].padEnd(14)} {formatSecondsOfDay(r.daily_from)}-
          {formatSecondsOfDay(r.daily_till)} {engine.zones.abbr(r.tz, now)}
        </Text>
      ))}
    </Box>
  );
}
