import { useState } from 'react';
import { Text } from './components/text.js';
import { useDesk } from './desk-context.js';
import { useKeymap } from './keypress.js';
import { LOGIN } from './keymaps.js';
import { useTextField } from './components/use-text-field.js';
import { TextField } from './components/text-field.js';
import { useTheme } from './theme.js';
import { Clock } from './components/status-bar.js';

const FIELDS = ['agent', 'place'] as const;

export function LoginScreen({ onQuit }: { onQuit: () => void }) {
  const { engine, defaultAgent, defaultPlace, login, zoneOf } = useDesk();
  const theme = useTheme();
  const [agent, , typeAgent, agentField] = useTextField(defaultAgent, 40);
  const [place, , typePlace, placeField] = useTextField(defaultPlace, 40);
  const values = { agent, place };
  const [field, setField] = useState<(typeof FIELDS)[number]>('agent');
  const [error, setError] = useState<string | null>(null);
  const move = (d: number) => setField((f) => FIELDS[(FIELDS.indexOf(f) + d + FIELDS.length) % FIELDS.length]);
  useKeymap(
    LOGIN,
    {
      next: () => move(1),
      prev: () => move(-1),
      submit: async () => {
        // On a shared state the runtime checks first that the agent is not at another desktop.
        const r = await (login ?? ((a: string, p: string) => engine.login(a, p)))(values.agent.trim(), values.place.trim());
        if (!r.ok) setError(r.error);
      },
      quit: onQuit,
    },
    {
      priority: 10,
      field: (key, text) => {
        if (!(field === 'agent' ? typeAgent : typePlace)(key, text)) return false;
        setError(null);
        return true;
      },
    },
  );
  // The first frame of a start, so it is built to be cheap: plain ASCII (the first non-ASCII
  // text Ink measures loads Unicode segmentation data, about 20 ms) and one text node (each
  // extra box and text node costs layout work the first time, about 3 ms apiece); the fields are
  // virtual text inside that node, with the cursor inside the text.
  const pad = '  ';
  const row = (name: (typeof FIELDS)[number], label: string) => (
    <>
      {pad}
      {field === name ? '>' : ' '} {label.padEnd(10)}
      <TextField {...(name === 'agent' ? agentField : placeField)} focused={field === name} />
      {'\n'}
    </>
  );
  const agents = Object.values(engine.state.agents).filter((a) => !a.simulated);
  // The time the agent named in the form works in (the runtime's answer), before they log in.
  const agentTz = zoneOf?.(values.agent.trim());
  return (
    <Text>
      {'\n'}
      {pad}
      <Text bold color={theme.fg('accent')}>
        callback-desk - agent login
      </Text>
      {'\n'}
      {pad}
      <Clock tz={agentTz} />
      {'\n\n'}
      {row('agent', 'Agent ID')}
      {row('place', 'Place')}
      {'\n'}
      {pad}
      {error ? <Text color={theme.fg('error')}>x {error}</Text> : <Text color={theme.fg('muted')}>Agents on this desktop: {agents.map((a) => a.id).join(', ')}</Text>}
    </Text>
  );
}
