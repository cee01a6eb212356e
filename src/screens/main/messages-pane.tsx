import { useState } from 'react';
import { Text } from '../components/text.js';
import { useDesk, useEngineState, useNamedRead, type NamedRead } from '../desk-context.js';
import { MESSAGE_WINDOW } from '../../engine/engine.js';
import type { AgentMessage } from '../../engine/domain.js';
import { useKeymap } from '../keypress.js';
import { MESSAGES } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex, visibleWindow } from '../components/pane.js';
import { LogoutCountdown } from '../components/logout-countdown.js';
import { clipWords } from '../text-fit.js';

/** The agent's latest messages, newest first: a read the runtime makes before the first frame (screens/first-reads.ts). */
export const AGENT_MESSAGES: NamedRead<[string | null], AgentMessage[]> = {
  name: 'messages',
  load: (agentId) => (q) => (agentId ? q.messages.forAgent(agentId, MESSAGE_WINDOW) : Promise.resolve([])),
};

export function MessagesPane({ focused, height, width, onOpen }: { focused: boolean; height: number; width: number; onOpen: (id: string) => void }) {
  const theme = useTheme();
  const { agentTz } = useDesk();
  const [sel, setSel] = useState(0);
  const { engine, agentId, logout } = useEngineState((e) => ({ engine: e, agentId: e.agentId, logout: e.myLogout }));
  const messages = useNamedRead(AGENT_MESSAGES, agentId) ?? NONE;
  const unread = messages.filter((m) => !m.read).length;
  useKeymap(
    MESSAGES,
    {
      up: () => setSel((s) => clampIndex(s - 1, messages.length)),
      down: () => setSel((s) => clampIndex(s + 1, messages.length)),
      open: () => {
        const m = messages[clampIndex(sel, messages.length)];
        if (m) onOpen(m.id);
      },
    },
    { priority: 20, active: focused },
  );
  const rows = Math.max(1, height - 3);
  const selected = clampIndex(sel, messages.length);
  const win = visibleWindow(messages, selected, rows);
  // Border, padding, the row marker, the unread dot and "HH:mm ".
  const room = width - 4 - 2 - 2 - 6;
  return (
    <Pane title={`My Messages (${unread} unread)`} focused={focused} height={height} width={width} hint={messages.length > rows ? `${selected + 1}/${messages.length}` : undefined}>
      {messages.length === 0 ? <Text color={theme.fg('muted')}>No messages</Text> : null}
      {win.items.map((m, i) => (
        <ListRow key={m.id} selected={win.start + i === selected} focused={focused}>
          <Text color={m.read ? undefined : theme.fg('unread')} bold={!m.read}>
            {m.read ? '  ' : '● '}
          </Text>
          {engine.zones.formatPlain(m.createdAt, agentTz, 'HH:mm')} {m.kind === 'logout' && logout?.messageId === m.id ? <LogoutCountdown short suffix=" " /> : m.priority === 'high' ? '! ' : ''}
          {m.outcome ? '↪ ' : ''}
          {clipWords(m.subject, (m.outcome ? -2 : 0) + room - (m.kind === 'logout' && logout?.messageId === m.id ? 7 : m.priority === 'high' ? 2 : 0))}
        </ListRow>
      ))}
    </Pane>
  );
}

const NONE: AgentMessage[] = [];
