import { Box } from 'ink';
import { Text } from './text.js';
import { AGENT_STATUS_LABELS, type AgentStatus } from '../../engine/domain.js';
import { useClockPaused, useDesk, useEngineState, useNamedRead, useNow, type NamedRead } from '../desk-context.js';
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

/**
 * The simulated clock with its zone (the agent's, or `tz`); the only part of the bar that
 * re-renders every second.
 */
export function Clock({ compact = false, tz }: { compact?: boolean; tz?: string }) {
  const { engine, agentTz: deskTz } = useDesk();
  const agentTz = tz ?? deskTz;
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

const mmss = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${m}:${sec}` : `${m}:${sec}`;
};

/**
 * The agent's real state and the time in it: Talking while a voice call is connected, Wrap-up
 * in After Call Work, else Ready / Not Ready. A leaf on the one clock, like the clock itself.
 */
function AgentState({ status, since, talkingSince, dialingSince }: { status: AgentStatus; since: number | undefined; talkingSince: number | null; dialingSince: number | null }) {
  const theme = useTheme();
  const now = useNow(1000);
  if (dialingSince !== null && talkingSince === null)
    return (
      <Text color={theme.fg('warning')}>
        ☎ Dialing {mmss(now - dialingSince)}
      </Text>
    );
  if (talkingSince !== null)
    return (
      <Text color={theme.fg('status.acw')}>
        ☎ Talking {mmss(now - talkingSince)}
      </Text>
    );
  const label = status === 'AfterCallWork' ? 'Wrap-up' : AGENT_STATUS_LABELS[status];
  return (
    <Text color={theme.fg(STATUS_TOKEN[status])}>
      {STATUS_GLYPH[status]} {label}
      {since !== undefined && status !== 'LoggedOut' ? ` ${mmss(now - since)}` : ''}
    </Text>
  );
}

/** The count of the agent's unread messages: a read the runtime makes before the first frame (screens/first-reads.ts). */
export const UNREAD_MESSAGES: NamedRead<[string | null], number> = {
  name: 'unread',
  load: (agentId) => (q) => (agentId ? q.messages.unreadCount(agentId) : Promise.resolve(0)),
};

/**
 * The agent, the state, a negotiated logout's countdown and the unread count, the clock on the
 * right. The state, the countdown and the count never shrink: at 80 columns the name gives way
 * first (the id stays), then the id is cut; the clock drops its year and zone name.
 */
export function StatusBar({ width }: { width: number }) {
  const { engine, agentTz } = useDesk();
  const info = useEngineState((e) => {
    const id = e.agentId;
    const agent = id ? e.state.agents[id] : undefined;
    const voice = e.activeVoice();
    const talking = voice.find((i) => i.state === 'connected');
    const dialing = voice.find((i) => i.state === 'dialing');
    return { id, name: agent?.name ?? '', status: agent?.status ?? 'LoggedOut', since: agent?.statusSince, logoutPending: e.myLogout !== null, talkingSince: talking ? (talking.outbound?.connectedAt ?? talking.updatedAt) : null, dialingSince: dialing ? dialing.updatedAt : null };
  });
  const unread = useNamedRead(UNREAD_MESSAGES, info.id) ?? 0;
  const theme = useTheme();
  const status = info.status as AgentStatus;
  const id = info.id ?? '';
  // What never shrinks, at its widest: " │ " and the longest state ("☎ Talking 0:00:00"), the
  // countdown (" │ logout ⏳ 00:00+call"), " │ ✉ " and the count.
  const fixed = 3 + 17 + (info.logoutPending ? 22 : 0) + 5 + String(unread).length;
  const zone = engine.zones.abbr(agentTz, engine.now);
  // The clock: "Tue 24 Nov 2026 10:00:00 EST America/New_York", or compact "Tue 24 Nov 10:00:00
  // EST"; with " ⏸" when paused, and the margin before it.
  const fullClock = 25 + zone.length + (zone === agentTz ? 0 : agentTz.length + 1) + 3;
  const compactClock = 20 + zone.length + 3;
  const whole = info.name.length + 1 + id.length;
  const compact = width < 100 || whole + fixed + fullClock > width;
  const clock = compact ? compactClock : fullClock;
  // The agent knows their name: when it and the id do not both fit, the id alone stays.
  const showName = info.name !== '' && whole + fixed + clock <= width;
  return (
    <Box justifyContent="space-between" width={width}>
      <Box flexShrink={1}>
        <Box flexShrink={1}>
          <Text wrap="truncate">
            {showName ? <Text bold>{info.name}</Text> : null}
            {showName ? ' ' : ''}
            {id}
          </Text>
        </Box>
        <Box flexShrink={0}>
          <Text>
            {' │ '}
            <AgentState status={status} since={info.since} talkingSince={info.talkingSince} dialingSince={info.dialingSince} />
            <LogoutCountdown prefix=" │ logout " short /> │ <Text color={unread ? theme.fg('unread') : undefined}>✉ {unread}</Text>
          </Text>
        </Box>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Clock compact={compact} />
      </Box>
    </Box>
  );
}
