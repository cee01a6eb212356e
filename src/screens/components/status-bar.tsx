import { Box, Text } from 'ink';
import { AGENT_STATUS_LABELS, type AgentStatus } from '../../engine/domain.js';
import { useClockPaused, useDesk, useEngineState, useNow } from '../desk-context.js';
import { useTheme, type Token } from '../theme.js';
import { LogoutCountdown } from './logout-countdown.js';

export const STATUS_GLYPH: Record<AgentStatus, string> = {
  Ready: '●',
  NotReady: '○',
  AfterCallWork: '◐',
  LoggedOut: '✕',
};

const STATUS_TOKEN: Record<AgentStatus, Token> = {
  Ready: 'status.ready',
  NotReady: 'status.notReady',
  AfterCallWork: 'status.acw',
  LoggedOut: 'muted',
};

/** The simulated clock with its zone; the only part of the bar that re-renders every second. */
export function Clock({ compact = false }: { compact?: boolean }) {
  const { engine, agentTz } = useDesk();
  const now = useNow(1000);
  const paused = useClockPaused();
  // Narrow terminals drop the year and the zone's long name; the abbreviation always stays.
  return (
    <Text wrap="truncate">
      {compact || engine.zones.abbr(agentTz, now) === agentTz
        ? engine.zones.format(now, agentTz, compact ? 'ccc d LLL HH:mm:ss' : 'ccc d LLL yyyy HH:mm:ss')
        : `${engine.zones.format(now, agentTz, 'ccc d LLL yyyy HH:mm:ss')} ${agentTz}`}
      {paused ? ' ⏸' : ''}
    </Text>
  );
}

export function StatusBar({ hint, width }: { hint?: string; width: number }) {
  const theme = useTheme();
  const info = useEngineState((e) => {
    const id = e.agentId;
    const agent = id ? e.state.agents[id] : undefined;
    const unread = id ? e.unreadCount(id) : 0;
    return { id, name: agent?.name ?? '', status: agent?.status ?? 'LoggedOut', unread };
  });
  const status = info.status as AgentStatus;
  return (
    <Box justifyContent="space-between" width={width}>
      <Box flexShrink={1}>
      <Text wrap="truncate">
        <Text bold>{info.name}</Text> {info.id} │{' '}
        <Text color={theme.fg(STATUS_TOKEN[status])}>
          {STATUS_GLYPH[status]} {AGENT_STATUS_LABELS[status]}
        </Text>
        {hint ? ` ${hint}` : ''}
        <LogoutCountdown prefix=" │ logout " short /> │ <Text color={info.unread ? theme.fg('unread') : undefined}>✉ {info.unread}</Text>
      </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Clock compact={width < 100} />
      </Box>
    </Box>
  );
}
