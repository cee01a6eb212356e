import { useState } from 'react';
import { Box, Text } from 'ink';
import { useDesk } from './desk-context.js';
import { useKeymap } from './keypress.js';
import { LOGIN } from './keymaps.js';
import { useTextField } from './text-edit.js';
import { useTheme } from './theme.js';
import { Clock } from './components/status-bar.js';

const FIELDS = ['agent', 'place'] as const;

export function LoginScreen({ onQuit }: { onQuit: () => void }) {
  const { engine, defaultAgent, defaultPlace } = useDesk();
  const theme = useTheme();
  const [agent, , typeAgent] = useTextField(defaultAgent, 40);
  const [place, , typePlace] = useTextField(defaultPlace, 40);
  const values = { agent, place };
  const [field, setField] = useState<(typeof FIELDS)[number]>('agent');
  const [error, setError] = useState<string | null>(null);
  const move = (d: number) => setField((f) => FIELDS[(FIELDS.indexOf(f) + d + FIELDS.length) % FIELDS.length]);
  useKeymap(
    LOGIN,
    {
      next: () => move(1),
      prev: () => move(-1),
      submit: () => {
        const r = engine.login(values.agent.trim(), values.place.trim());
        if (!r.ok) setError(r.error);
      },
      quit: onQuit,
    },
    {
      priority: 10,
      onOther: (key) => {
        if (!(field === 'agent' ? typeAgent : typePlace)(key)) return false;
        setError(null);
        return true;
      },
    },
  );
  // The login screen is plain ASCII on purpose: the first non-ASCII text Ink measures loads
  // Unicode segmentation data (about 20 ms), which the first frame should not wait for.
  const row = (name: (typeof FIELDS)[number], label: string) => (
    <Text>
      {field === name ? '>' : ' '} {label.padEnd(10)}
      <Text underline={field === name}>{values[name]}</Text>
      {field === name ? <Text inverse> </Text> : ''}
    </Text>
  );
  const agents = Object.values(engine.state.agents).filter((a) => !a.simulated);
  return (
    <Box flexDirection="column" paddingX={2} paddingY={1}>
      <Text bold color={theme.fg('accent')}>
        callback-desk - agent login
      </Text>
      <Clock />
      <Text> </Text>
      {row('agent', 'Agent ID')}
      {row('place', 'Place')}
      <Text> </Text>
      {error ? <Text color={theme.fg('error')}>x {error}</Text> : <Text color={theme.fg('muted')}>Agents on this desktop: {agents.map((a) => a.id).join(', ')}</Text>}
    </Box>
  );
}
