import { useState } from 'react';
import { Text } from '../components/text.js';
import type { ChannelState, MediaChannel } from '../../engine/domain.js';
import { useEngineState } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { CHANNELS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex } from '../components/pane.js';

const ORDER: MediaChannel[] = ['voice', 'chat', 'email', 'sms'];
const LABEL: Record<ChannelState, string> = { Ready: '● Ready', NotReady: '○ Not Ready', LoggedOut: '✕ Logged Out' };

export function ChannelsPane({ focused, height, width, onFlash, onLogout }: { focused: boolean; height: number; width: number; onFlash: (m: string) => void; onLogout: (via: 'voice') => void }) {
  const theme = useTheme();
  const [sel, setSel] = useState(0);
  const { engine, channels } = useEngineState((e) => ({ engine: e, channels: { ...e.session.channels } }));
  useKeymap(
    CHANNELS,
    {
      up: () => setSel((s) => clampIndex(s - 1, ORDER.length)),
      down: () => setSel((s) => clampIndex(s + 1, ORDER.length)),
      toggle: async () => {
        const ch = ORDER[sel];
        const next: ChannelState = channels[ch] === 'Ready' ? 'NotReady' : 'Ready';
        const r = await engine.setChannel(ch, next);
        onFlash(r.ok ? `${ch} is ${next === 'Ready' ? 'Ready' : 'Not Ready'}` : r.error);
      },
      logout: () => (ORDER[sel] === 'voice' ? onLogout('voice') : onFlash('log out from the voice channel (or L for the whole desktop)')),
    },
    { priority: 20, active: focused },
  );
  return (
    <Pane title="My Channels" focused={focused} height={height} width={width}>
      {ORDER.map((ch, i) => (
        <ListRow key={ch} selected={i === sel} focused={focused}>
          {ch.padEnd(6)}
          <Text color={theme.fg(channels[ch] === 'Ready' ? 'status.ready' : 'status.notReady')}>{LABEL[channels[ch]]}</Text>
        </ListRow>
      ))}
    </Pane>
  );
}
