import { Box } from 'ink';
import { Text } from '../components/text.js';
import { Pane } from '../components/pane.js';
import { useDesk, useEngineState, useNow, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { MY_STATISTICS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { myStatistics } from '../../engine/my-statistics.js';

/** h:mm:ss, or m:ss under an hour. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * My Statistics: the agent's day from the call log (engine/my-statistics.ts), read again each
 * simulated minute and after every change the engine commits or takes in.
 */
export function MyStatisticsView({ width, height, onClose }: { width: number; height: number; onClose: () => void }) {
  const { agentTz } = useDesk();
  const theme = useTheme();
  const agentId = useEngineState((e) => e.agentId);
  const minute = Math.floor(useNow(60_000) / 60_000);
  const stats = useStoreQuery((q, e) => (agentId ? myStatistics(q, e.zones, agentId, agentTz, e.now) : Promise.resolve(null)), [agentId, agentTz, minute]);
  const zones = useEngineState((e) => e.zones);
  useKeymap(MY_STATISTICS, { close: onClose }, { priority: 50, modal: true });
  const rows: [string, string][] = stats
    ? [
        ['Calls handled', String(stats.handled)],
        ['Talk time', duration(stats.talkMs)],
        ['Average talk', stats.handled ? duration(stats.averageTalkMs) : '-'],
        ['Longest call', stats.handled ? duration(stats.longestTalkMs) : '-'],
        ['Records delivered', String(stats.delivered)],
        ['Numbers dialled', String(stats.attempts)],
        ['Calls connected', String(stats.connected)],
        ['Callbacks set', String(stats.callbacksSet)],
      ]
    : [];
  const title = stats ? `My Statistics · today, ${zones.formatPlain(stats.from, agentTz, 'ccc d LLL')} from ${zones.format(stats.from, agentTz, 'HH:mm')}` : 'My Statistics';
  return (
    <Pane title={title} focused height={Math.min(height, Math.max(rows.length, 1) + 4)} width={Math.min(width, 60)}>
      {stats === undefined ? (
        <Text color={theme.fg('muted')}>reading the call log…</Text>
      ) : stats === null ? (
        <Text color={theme.fg('muted')}>log in to see your figures</Text>
      ) : (
        rows.map(([label, value]) => (
          <Box key={label}>
            <Box width={20}>
              <Text>{label}</Text>
            </Box>
            <Text bold>{value}</Text>
          </Box>
        ))
      )}
      <Text color={theme.fg('muted')} wrap="truncate">
        from the call log; esc closes
      </Text>
    </Pane>
  );
}
