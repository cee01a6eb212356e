import { DialingMode } from '../../engine/domain.js';
import { useState } from 'react';
import { Text } from '../components/text.js';
import { DIALING_MODE_NAMES, campaignStatusLabel, deliveryMode } from '../../engine/domain.js';
import { useEngineState } from '../desk-context.js';
import { requestPreviewRecord } from '../../engine/outbound.js';
import { campaignFigures } from '../../engine/dialer/desk-dialer.js';
import { useNow } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { CAMPAIGNS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex, visibleWindow } from '../components/pane.js';
import { useAfterFirstFrame } from '../lazy-views.js';

export function CampaignsPane({
  focused,
  height,
  width,
  onOpen,
  onFlash,
  memory,
}: {
  focused: boolean;
  height: number;
  width: number;
  onOpen: (id: string) => void;
  onFlash: (m: string) => void;
  /** The campaign selected, kept by the main window while an interaction takes the panes' place. */
  memory: { campaignId: string | null };
}) {
  const theme = useTheme();
  const { engine, campaigns } = useEngineState((e) => ({ engine: e, campaigns: e.myCampaigns() }));
  const [sel, setSel] = useState(() => Math.max(0, campaigns.findIndex((c) => c.id === memory.campaignId)));
  const cur = campaigns[clampIndex(sel, campaigns.length)];
  memory.campaignId = cur?.id ?? null;
  useKeymap(
    CAMPAIGNS,
    {
      up: () => setSel((s) => clampIndex(s - 1, campaigns.length)),
      down: () => setSel((s) => clampIndex(s + 1, campaigns.length)),
      getRecord: async () => {
        const c = campaigns[clampIndex(sel, campaigns.length)];
        if (!c) return;
        const r = await requestPreviewRecord(engine, c.id);
        if (!r.ok) onFlash(r.error.startsWith(c.name) ? r.error : `${c.name}: ${r.error}`);
        else onOpen(r.value.id);
      },
    },
    {
      priority: 20,
      active: focused,
      onDisabled: onFlash,
      disabled: {
        getRecord: cur && (cur.status === 'Stopped' ? `${cur.name} is stopped: no records until it runs again` : cur.dialingMode !== DialingMode.Preview && `${cur.name} is an automatic campaign: its calls come to you`),
      },
    },
  );
  // The figures follow the simulated clock minute by minute.
  useNow(60_000);
  const rows = Math.max(1, height - 4);
  const selected = campaigns[clampIndex(sel, campaigns.length)];
  // The figures replay the colleagues' dialing since the campaign started: not on the first frame.
  const settled = useAfterFirstFrame();
  const figures = selected && settled ? campaignFigures(engine, selected.id) : null;
  const win = visibleWindow(campaigns, sel, rows);
  return (
    <Pane title={`My Campaigns (${campaigns.length})`} focused={focused} height={height} width={width}>
      {campaigns.length === 0 ? <Text color={theme.fg('muted')}>No active, running or stopped campaigns</Text> : null}
      {win.items.map((c, i) => {
        const status = campaignStatusLabel(c.status);
        return (
          <ListRow key={c.id} selected={win.start + i === sel} focused={focused}>
            {c.name.padEnd(16).slice(0, 16)} <Text color={theme.fg(c.status === 'Started' ? 'status.ready' : 'warning')}>{(c.status === 'Started' ? '▶ ' : '■ ') + status.padEnd(8)}</Text>{' '}
            {deliveryMode(c.dialingMode).padEnd(9)} {DIALING_MODE_NAMES[c.dialingMode]}
          </ListRow>
        );
      })}
      <Text color={theme.fg('muted')} wrap="truncate">
        {selected
          ? !settled
            ? '  ↳ …'
            : figures
            ? `  ↳ calls ${figures.attempts} · live ${figures.liveAnswers} · abandon ${(figures.abandonRate * 100).toFixed(1)}% · busy ${(figures.occupancy * 100).toFixed(0)}%`
            : `  ↳ ${selected.status === 'Loaded' ? 'Active: not dialing yet' : 'no figures yet'}`
          : ' '}
      </Text>
    </Pane>
  );
}
