import { Box } from 'ink';
import { Text } from './text.js';
import { cancelLogout, logoutRemainingMs } from '../../engine/logout.js';
import { useDesk, useEngineState, useNow } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { LOGOUT_NOTICE } from '../keymaps.js';
import { useTheme } from '../theme.js';

export function formatCountdown(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The time left before logoff authorization. A leaf on the one clock: each tick re-renders these
 * digits and nothing else.
 */
export function LogoutCountdown({ prefix = '', suffix = '', short = false }: { prefix?: string; suffix?: string; short?: boolean }) {
  const { engine } = useDesk();
  const now = useNow(1000);
  const l = useEngineState((e) => e.myLogout);
  if (!l) return null;
  if (l.authorized) return <Text>{prefix}✓ {short ? 'authorized' : 'logout authorized'}{suffix}</Text>;
  const left = logoutRemainingMs(engine, now) ?? 0;
  const paused = l.authorizedAt === null;
  return (
    <Text>
      {prefix}⏳ {short ? '' : 'logout in '}
      {formatCountdown(left)}
      {paused ? (short ? '+call' : ' (after this call)') : ''}
      {suffix}
    </Text>
  );
}

/** The system message: awaiting logoff authorization, with the live countdown. */
export function LogoutNotice({ onDismiss, onFlash }: { onDismiss: () => void; onFlash: (m: string) => void }) {
  const theme = useTheme();
  const { engine } = useDesk();
  const l = useEngineState((e) => e.myLogout);
  useKeymap(
    LOGOUT_NOTICE,
    {
      dismiss: onDismiss,
      cancel: async () => {
        const r = await cancelLogout(engine);
        onFlash(r.ok ? 'logout cancelled' : r.error);
        onDismiss();
      },
    },
    { priority: 55, modal: true },
  );
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.fg('warning')} paddingX={2} paddingY={1}>
      <Text bold>System message · {l?.authorized ? 'Logout authorized' : 'Awaiting logoff authorization'}</Text>
      <Text>
        {l?.authorized
          ? 'ReadyForLogout: you are being logged out.'
          : l?.authorizedAt === null
            ? 'An interaction is still open on your desktop (a call the dialer connected, or one you had open): finish it first (esc, then 5 and Enter). The countdown resumes after Done.'
            : 'The dialer may be connecting a call for you. No new calls are assigned; you are logged out when the calls already dialed have resolved.'}
      </Text>
      <Text> </Text>
      <Text bold>
        <LogoutCountdown />
      </Text>
      <Text color={theme.fg('muted')}>esc dismiss (the countdown stays in My Messages and the status bar) · c cancel the logout</Text>
    </Box>
  );
}
