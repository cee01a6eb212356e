import { useState } from 'react';
import { Text } from '../components/text.js';
import type { Interaction } from '../../engine/domain.js';
import { useContactsOf, useDesk, useEngineState } from '../desk-context.js';
import type { Result } from '../../engine/result.js';
import { useKeymap } from '../keypress.js';
import { INTERACTIONS } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { clipWords } from '../text-fit.js';
import { ListRow, Pane, clampIndex, visibleWindow } from '../components/pane.js';

export const STATE_LABEL: Record<Interaction['state'], string> = {
  waiting: '◷ Waiting',
  preview: '◇ Preview',
  dialing: '◌ Dialing',
  alerting: '◆ Alerting',
  connected: '● Connected',
  ended: '○ Ended',
  done: '✓ Done',
};

export const KIND_LABEL: Record<Interaction['kind'], string> = {
  'outbound-voice': 'outbound',
  'inbound-voice': 'voice',
  chat: 'chat',
  email: 'email',
  sms: 'sms',
  callback: 'callback',
  'web-callback': 'web cb',
};

export function InteractionsPane({ focused, height, width, onFlash, onOpen }: { focused: boolean; height: number; width: number; onFlash: (m: string) => void; onOpen: (id: string) => void }) {
  const theme = useTheme();
  const { agentTz } = useDesk();
  const [sel, setSel] = useState(0);
  const { engine, items } = useEngineState((e) => ({ engine: e, items: e.openInteractions() }));
  const selected = clampIndex(sel, items.length);
  const current = items[selected];
  const contacts = useContactsOf(items.map((it) => it.contactId));
  const run = async (f: (id: string) => Promise<Result<unknown>>, done: string) => {
    if (!current) return;
    const r = await f(current.id);
    onFlash(r.ok ? `${KIND_LABEL[current.kind]} ${current.id} ${done}` : r.error);
  };
  useKeymap(
    INTERACTIONS,
    {
      up: () => setSel((s) => clampIndex(s - 1, items.length)),
      down: () => setSel((s) => clampIndex(s + 1, items.length)),
      open: () => current && onOpen(current.id),
      accept: () => run((id) => engine.acceptInteraction(id), 'accepted'),
      end: () => run((id) => engine.endInteraction(id), 'ended'),
      done: () => run((id) => engine.markDone(id), 'marked done'),
    },
    {
      priority: 20,
      active: focused,
      onDisabled: onFlash,
      disabled: {
        open: !current && 'no interaction is open',
        accept: current?.state !== 'alerting' && 'the highlighted interaction is not alerting',
        end: current?.state !== 'connected' && current?.state !== 'alerting' && 'the highlighted interaction is not connected',
        done: (!current || current.state === 'connected' || current.state === 'alerting') && (current ? 'end it first' : 'no interaction is open'),
      },
    },
  );
  const rows = Math.max(1, height - 3);
  const win = visibleWindow(items, selected, rows);
  const alerting = items.filter((i) => i.state === 'alerting').length;
  return (
    <Pane
      title={`Interactions (${items.length} open${alerting ? `, ${alerting} alerting` : ''})`}
      focused={focused}
      height={height}
      width={width}
      hint={items.length > rows ? `${selected + 1}/${items.length}` : undefined}
    >
      {items.length === 0 ? <Text color={theme.fg('muted')}>No open interactions</Text> : null}
      {win.items.map((it, i) => {
        const c = it.contactId ? contacts.get(it.contactId) : undefined;
        return (
          <ListRow key={it.id} selected={win.start + i === selected} focused={focused}>
            {`[${KIND_LABEL[it.kind]}]`.padEnd(11)}
            <Text color={theme.fg(it.state === 'alerting' ? 'warning' : it.state === 'connected' ? 'success' : 'muted')}>{STATE_LABEL[it.state].padEnd(12)}</Text>
            {(c ? `${c.firstName} ${c.lastName}` : '').padEnd(17)} {engine.zones.formatPlain(it.createdAt, agentTz, 'HH:mm')} {clipWords(it.subject, width - 4 - 2 - 11 - 12 - 18 - 6)}
          </ListRow>
        );
      })}
    </Pane>
  );
}
