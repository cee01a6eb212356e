import { useState } from 'react';
import { Text } from 'ink';
import { useEngineState } from '../desk-context.js';
import { useKeymap } from '../keypress.js';
import { TEAM } from '../keymaps.js';
import { useTextField } from '../text-edit.js';
import { useTheme } from '../theme.js';
import { ListRow, Pane, clampIndex, visibleWindow } from '../components/pane.js';

/** Team Communicator: type to find a contact by name or number, Enter for its Action menu. */
export function TeamCommunicator({ focused, height, width, onAction }: { focused: boolean; height: number; width: number; onAction: (contactId: string) => void }) {
  const theme = useTheme();
  const [query, setQuery, typeQuery] = useTextField('', 40);
  const [sel, setSel] = useState(0);
  const { engine, results } = useEngineState((e) => ({ engine: e, results: e.searchContacts(query, 50) }));
  useKeymap(
    TEAM,
    {
      up: () => setSel((s) => clampIndex(s - 1, results.length)),
      down: () => setSel((s) => clampIndex(s + 1, results.length)),
      action: () => {
        const c = results[clampIndex(sel, results.length)];
        if (c) onAction(c.id);
      },
      clear: () => {
        setQuery('');
        setSel(0);
      },
      erase: () => {
        typeQuery('backspace');
        setSel(0);
      },
    },
    {
      priority: 20,
      active: focused,
      onOther: (key) => {
        if (!typeQuery(key)) return false;
        setSel(0);
        return true;
      },
    },
  );
  const rows = Math.max(1, height - 4);
  const selected = clampIndex(sel, results.length);
  const win = visibleWindow(results, selected, rows);
  return (
    <Pane title="Team Communicator" focused={focused} height={height} width={width}>
      <Text>
        Search: <Text inverse={focused}>{query || ' '}</Text>
        {focused ? '▏' : ''}
        <Text color={theme.fg('muted')}>{query ? `  ${results.length}${results.length === 50 ? '+' : ''} found` : '  name or number'}</Text>
      </Text>
      {win.items.map((c, i) => {
        const first = engine.chainOf(c.id)[0];
        return (
          <ListRow key={c.id} selected={win.start + i === selected} focused={focused}>
            {`${c.firstName} ${c.lastName}`.padEnd(18)} {(first?.contact_info ?? '').padEnd(15)} {c.tz}
          </ListRow>
        );
      })}
    </Pane>
  );
}
