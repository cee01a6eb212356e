import { useState, type ReactNode } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { Pane, clampIndex, visibleWindow } from '../components/pane.js';
import { useDesk, useEngineState, useNow, useStoreQuery } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { SUPERVISOR, SUPERVISOR_AGENTS, SUPERVISOR_CAMPAIGNS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { DialingMode, DIALING_MODE_NAMES, type Campaign } from '../../engine/domain.js';
import { abandonTargetRefusal, campaignStatusRefusal, setCampaignStatus, setDialingMode, setTargetAbandonRate } from '../../engine/dialer/desk-dialer.js';
import { callbacksByOwner, callbacksDue, campaignBoard, pendingLogouts, supervisedAgents, type CampaignBoardRow } from '../../engine/supervision.js';
import type { Result } from '../../engine/result.js';
import type { SupervisorHostInfo } from './supervisor-app.js';

/** The modes a supervisor steps through with m, in WDE's order. */
const MODES: DialingMode[] = [DialingMode.Preview, DialingMode.PushPreview, DialingMode.Progressive, DialingMode.Predictive];
const TARGET_STEP = 0.005;

type Focus = 'campaigns' | 'agents';

/** m:ss, or h:mm:ss from an hour. */
function duration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One row of cells: each a box of its width, its text cut to it (names may be wide or long). */
function Cells({ cells, inverse, bold }: { cells: [string, number | 'grow'][]; inverse?: boolean; bold?: boolean }) {
  return (
    <Box>
      {cells.map(([text, w], i) => (
        // A column's width holds its text and one space after it.
        <Box key={i} width={w === 'grow' ? undefined : w} flexGrow={w === 'grow' ? 1 : 0} flexShrink={w === 'grow' ? 1 : 0} flexBasis={w === 'grow' ? 0 : undefined} paddingRight={1}>
          <Text wrap="truncate" inverse={inverse} bold={bold}>
            {text}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

/** The campaigns' columns; at 80 columns the name keeps 17 cells. */
const CAMPAIGN_COLUMNS = (r: CampaignBoardRow | null, mark: string): [string, number | 'grow'][] => [
  [mark, 2],
  [r ? r.name : 'campaign', 'grow'],
  [r ? r.status : 'status', 9],
  [r ? r.mode : 'mode', 13],
  [r ? String(r.attempts) : 'tries', 7],
  [r ? String(r.connects) : 'conn', 6],
  // Over the target reads "4.1%>3.0%" without colour.
  [r ? `${r.abandonRate === null ? '-' : pct(r.abandonRate)}${r.overTarget ? '>' : '/'}${pct(r.target)}` : 'aband/tgt', 12],
  [r ? `${r.ready}/${r.busy}` : 'r/b', 5],
  [r ? (r.status === 'Started' ? `${r.colleaguesBusy}/${r.colleagues}` : '-') : 'sim', 6],
];

/**
 * The supervisor's screen: campaigns with live figures and the keys to run them, the agents and
 * the time in their state, the callbacks due in the next hour by owner, the negotiated logouts
 * under way. Every figure comes from engine/supervision.ts; every key runs the command the
 * `campaigns` scripting commands run, one transaction each.
 */
export function SupervisorWindow({ width, height, info, onQuit }: { width: number; height: number; info: SupervisorHostInfo; onQuit: () => void }) {
  const { engine, agentTz } = useDesk();
  const theme = useTheme();
  const now = useNow(1000);
  const campaigns = useEngineState((e) => campaignBoard(e));
  const agents = useEngineState((e) => supervisedAgents(e));
  const logouts = useEngineState((e) => pendingLogouts(e));
  // Read again each simulated minute and after every change the engine takes in.
  const minute = Math.floor(now / 60_000);
  const due = useStoreQuery((q, e) => callbacksDue(q, e.now), [minute]);
  const [focus, setFocus] = useState<Focus>('campaigns');
  const [campaignAt, setCampaignAt] = useState(0);
  const [agentAt, setAgentAt] = useState(0);
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | null>(null);

  const selected = campaigns[clampIndex(campaignAt, campaigns.length)];
  const campaign: Campaign | undefined = selected ? engine.state.campaigns[selected.id] : undefined;
  const act = (p: Promise<Result<Campaign>>, said: (c: Campaign) => string) =>
    void p.then(
      (r) => setNotice(r.ok ? { text: said(r.value), ok: true } : { text: r.error, ok: false }),
      (e: unknown) => setNotice({ text: `not done: ${(e as Error).message}`, ok: false }),
    );

  // What s and l would do to the selected campaign, and why they cannot (the command's own check).
  const startOrStop = campaign?.status === 'Started' ? 'Stopped' : 'Started';
  const loadOrUnload = campaign?.status === 'Unloaded' ? 'Loaded' : 'Unloaded';
  const nextTarget = (dir: 1 | -1) => (campaign ? Math.round((campaign.targetAbandonRate + dir * TARGET_STEP) * 1000) / 1000 : 0);
  const none = 'no campaign';

  useKeymap(SUPERVISOR, {
    focusNext: () => setFocus((f) => (f === 'campaigns' ? 'agents' : 'campaigns')),
    focusPrev: () => setFocus((f) => (f === 'campaigns' ? 'agents' : 'campaigns')),
    quit: onQuit,
  });
  useKeymap(
    SUPERVISOR_CAMPAIGNS,
    {
      up: () => setCampaignAt((i) => clampIndex(i - 1, campaigns.length)),
      down: () => setCampaignAt((i) => clampIndex(i + 1, campaigns.length)),
      startStop: () => campaign && act(setCampaignStatus(engine, campaign.id, startOrStop), (c) => `${c.name}: ${c.status}`),
      loadUnload: () => campaign && act(setCampaignStatus(engine, campaign.id, loadOrUnload), (c) => `${c.name}: ${c.status}`),
      mode: () => {
        if (!campaign) return;
        const next = MODES[(MODES.indexOf(campaign.dialingMode) + 1) % MODES.length];
        act(setDialingMode(engine, campaign.id, next), (c) => `${c.name}: dials ${DIALING_MODE_NAMES[c.dialingMode]}`);
      },
      targetUp: () => campaign && act(setTargetAbandonRate(engine, campaign.id, nextTarget(1)), (c) => `${c.name}: abandon target ${pct(c.targetAbandonRate)}`),
      targetDown: () => campaign && act(setTargetAbandonRate(engine, campaign.id, nextTarget(-1)), (c) => `${c.name}: abandon target ${pct(c.targetAbandonRate)}`),
    },
    {
      active: focus === 'campaigns',
      onDisabled: (reason) => setNotice({ text: reason, ok: false }),
      disabled: {
        startStop: campaign ? campaignStatusRefusal(campaign, startOrStop) : none,
        loadUnload: campaign ? campaignStatusRefusal(campaign, loadOrUnload) : none,
        mode: !campaign && none,
        targetUp: campaign ? abandonTargetRefusal(nextTarget(1)) : none,
        targetDown: campaign ? abandonTargetRefusal(nextTarget(-1)) : none,
      },
    },
  );
  useKeymap(
    SUPERVISOR_AGENTS,
    {
      up: () => setAgentAt((i) => clampIndex(i - 1, agents.length)),
      down: () => setAgentAt((i) => clampIndex(i + 1, agents.length)),
    },
    { active: focus === 'agents' },
  );

  const clock = engine.zones.format(now, agentTz, width >= 100 ? 'ccc d LLL yyyy HH:mm:ss' : 'ccc d LLL HH:mm:ss');
  const hostLine = info.lease ? `host: pid ${info.lease.pid} on ${info.lease.host} (${info.lease.role})` : 'no host: the clock stands still (start callback-desk host)';
  const campaignsHeight = Math.min(campaigns.length, 6) + 4;
  const lower = height - 1 - campaignsHeight - 2;
  const agentRows = Math.max(1, lower - 4);
  const leftWidth = Math.max(40, Math.floor(width * 0.55));
  const agentWindow = visibleWindow(agents, clampIndex(agentAt, agents.length), agentRows);
  const byOwner = due ? callbacksByOwner(due) : null;
  const rightRows = Math.max(1, Math.floor((lower - 6) / 2));
  const timeOf = (ms: number) => engine.zones.format(ms, agentTz, 'HH:mm');

  return (
    <Box flexDirection="column" width={width} height={height - 1}>
      <Box>
        <Box flexShrink={0}>
          <Text bold>Supervisor · {clock} </Text>
        </Box>
        <Text color={info.lease ? theme.fg('muted') : theme.fg('warning')} wrap="truncate">
          {info.lease ? '' : '⚠ '}
          {hostLine}
        </Text>
      </Box>
      <Pane title="Campaigns" focused={focus === 'campaigns'} height={campaignsHeight} hint="since start · r/b: desks Ready/busy · sim: busy/all">
        <Cells cells={CAMPAIGN_COLUMNS(null, ' ')} bold />
        {visibleWindow(campaigns, clampIndex(campaignAt, campaigns.length), campaignsHeight - 4).items.map((r) => (
          <Cells key={r.id} cells={CAMPAIGN_COLUMNS(r, r === selected ? '›' : ' ')} inverse={r === selected && focus === 'campaigns'} />
        ))}
      </Pane>
      <Box>
        <Pane title={`Agents (${agents.filter((a) => a.place !== null).length} at desktops)`} focused={focus === 'agents'} height={lower} width={leftWidth}>
          <Cells
            bold
            cells={[
              [' ', 2],
              ['agent', 12],
              ['name', 'grow'],
              ['state', 10],
              ['time', 8],
            ]}
          />
          {agentWindow.items.map((a, i) => {
            const sel = agentWindow.start + i === clampIndex(agentAt, agents.length);
            return (
              <Cells
                key={a.id}
                inverse={sel && focus === 'agents'}
                cells={[
                  [sel ? '›' : ' ', 2],
                  [a.id, 12],
                  [`${a.name}${a.kind === 'simulated' ? ' (sim)' : ''}`, 'grow'],
                  [a.state, 10],
                  [duration(a.inStateMs), 8],
                ]}
              />
            );
          })}
        </Pane>
        <Box flexDirection="column" flexGrow={1}>
          <Pane title="Callbacks due, next hour" focused={false} height={lower - rightRows - 3}>
            {byOwner === null ? (
              <Text color={theme.fg('muted')}>reading…</Text>
            ) : byOwner.length === 0 ? (
              <Text color={theme.fg('muted')}>none due before {timeOf(now + 3_600_000)}</Text>
            ) : (
              byOwner.map((o) => <Cells key={o.owner ?? '(campaign)'} cells={[[o.owner ?? 'any agent', 'grow'], [String(o.count), 5], [`from ${timeOf(o.firstAt)}`, 11]]} />)
            )}
          </Pane>
          <Pane title="Negotiated logouts" focused={false} height={rightRows + 3}>
            {logouts.length === 0 ? (
              <Text color={theme.fg('muted')}>none pending</Text>
            ) : (
              logouts.map((l) => (
                <Cells key={l.agentId} cells={[[l.agentId, 'grow'], [l.remainingMs !== null ? `out in ${duration(l.remainingMs)}` : l.waitingFor === 'call' ? 'after the call' : 'waiting for the dialer', 23]]} />
              ))
            )}
          </Pane>
        </Box>
      </Box>
      <NoticeLine notice={notice} />
    </Box>
  );
}

function NoticeLine({ notice }: { notice: { text: string; ok: boolean } | null }): ReactNode {
  const theme = useTheme();
  if (!notice) return <Text color={theme.fg('muted')}> </Text>;
  return (
    <Text color={notice.ok ? theme.fg('success') : theme.fg('error')} wrap="truncate">
      {notice.ok ? '✓ ' : '✕ '}
      {notice.text}
    </Text>
  );
}
