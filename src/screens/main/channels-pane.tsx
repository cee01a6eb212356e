import { useState } from 'react';
import { Text } from '../components/text.js';
import type { ChannelActivity, ChannelState, MediaChannel } from '../../engine/domain.js';
import { useEngineState } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { CHANNELS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex } from '../components/pane.js';

const ORDER: MediaChannel[] = ['voice', 'chat', 'email', 'sms'];
const LABEL: Record<ChannelState, string> = { Ready: '● Ready', NotReady: '○ Not Ready', LoggedOut: '✕ Logged Out' };
/** What a busy channel says instead of its state, as the status bar says it for the agent. */
const VOICE_ACTIVITY: Record<ChannelActivity, string> = { connected: '☎ Talking', dialing: '☎ Dialing', alerting: '◆ Ringing', preview: '◇ Preview', 'wrap-up': '◐ Wrap-up' };
const MEDIA_ACTIVITY: Record<ChannelActivity, string> = { connected: '✎ Handling', dialing: '◌ Dialing', alerting: '◆ Alerting', preview: '◇ Preview', 'wrap-up': '◐ Wrap-up' };

export function ChannelsPane({ focused, height, width, onFlash, onLogout }: { focused: boolean; height: number; width: number; onFlash: (m: string) => void; onLogout: (via: 'voice') => void }) {
  const theme = useTheme();
  const [sel, setSel] = useState(0);
  const { engine, channels, activity } = useEngineState((e) => ({ engine: e, channels: { ...e.session.channels }, activity: e.channelActivity() }));
  // Room for a label after "› voice " inside the borders and padding.
  const room = width - 12;
  /**
   * A channel at work says what it does (☎ Talking), not only that it is Ready: the state
   * follows when it is Not Ready (what it takes after this), in words when they fit.
   */
  const label = (ch: MediaChannel): string => {
    const a = activity[ch];
    if (!a) return LABEL[channels[ch]];
    const doing = `${(ch === 'voice' ? VOICE_ACTIVITY : MEDIA_ACTIVITY)[a.activity]}${a.count > 1 ? ` ${a.count}` : ''}`;
    if (channels[ch] !== 'NotReady') return doing;
    return `${doing} · Not Ready`.length <= room ? `${doing} · Not Ready` : `${doing} ○`;
  };
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
          <Text color={theme.fg(activity[ch] ? 'status.acw' : channels[ch] === 'Ready' ? 'status.ready' : 'status.notReady')}>{label(ch)}</Text>
        </ListRow>
      ))}
    </Pane>
  );
}
