import { Text } from 'ink';
import type { Keymap } from '../keymaps.js';
import { useTheme } from '../theme.js';

/** Long labels and what they become below 100 columns, so the toolbar holds on one line at 80. */
// No-break spaces: a label that must wrap moves whole to the next line, never split.
const SHORT_LABELS: Record<string, string> = { 'Reschedule Callback': 'Reschedule', 'Rescheduled ✓': 'Resched.\u00a0✓', Disposition: 'Dispo', 'New Callback': 'New\u00a0CB', 'End Call': 'End\u00a0Call' };

/**
 * The call-action toolbar, from the window's keymap: every binding with a toolbar label, in the
 * table's order, its label in parentheses while it is unavailable (the reason is in help and is
 * said when the key is pressed). `hidden` leaves out actions that do not apply at all here.
 */
export function Toolbar({ map, disabled, hidden = [], labels = {}, narrow }: { map: Keymap; disabled: Record<string, string | null | false | undefined>; hidden?: string[]; labels?: Record<string, string>; narrow: boolean }) {
  const theme = useTheme();
  return (
    <Text wrap="wrap">
      {map.bindings
        .filter((b) => b.toolbar && !hidden.includes(b.id))
        .map((b) => {
          const label = labels[b.id] ?? b.toolbar!;
          // No-break spaces: a label that must wrap moves whole to the next line.
          const shown = (narrow ? (SHORT_LABELS[label] ?? label) : label).replace(/ /g, '\u00a0');
          const enabled = !disabled[b.id];
          return (
            <Text key={b.id} color={enabled ? undefined : theme.fg('muted')}>
              {b.keys[0]} {enabled ? shown : `(${shown})`}
              {'  '}
            </Text>
          );
        })}
    </Text>
  );
}

