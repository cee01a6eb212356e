import { Text } from './text.js';
import stringWidth from 'string-width';
import type { Keymap } from '../keymaps.js';
import { useTheme } from '../theme.js';

/** Long labels and what they become when the toolbar does not fit its line with them. */
// No-break spaces: a label that must wrap moves whole to the next line, never split.
const SHORT_LABELS: Record<string, string> = { 'Reschedule Callback': 'Reschedule', 'Rescheduled ✓': 'Resched.\u00a0✓', Disposition: 'Dispo', 'New Callback': 'New\u00a0CB', 'End Call': 'End\u00a0Call' };

/**
 * The call-action toolbar, from the window's keymap: every binding with a toolbar label, in the
 * table's order, its label in parentheses while it is unavailable (the reason is in help and is
 * said when the key is pressed). `hidden` leaves out actions that do not apply at all here.
 * Labels are shortened when the whole toolbar would not fit in `width` columns with them (an
 * unavailable action's parentheses count too).
 */
export function Toolbar({ map, disabled, hidden = [], labels = {}, width }: { map: Keymap; disabled: Record<string, string | null | false | undefined>; hidden?: string[]; labels?: Record<string, string>; width: number }) {
  const theme = useTheme();
  const items = map.bindings
    .filter((b) => b.toolbar && !hidden.includes(b.id))
    .map((b) => ({ id: b.id, key: b.keys[0], label: labels[b.id] ?? b.toolbar!, enabled: !disabled[b.id] }));
  // The key and its label are one word for wrapping: never a bare key at a line's end.
  const word = (i: (typeof items)[number], short: boolean) => {
    const shown = (short ? (SHORT_LABELS[i.label] ?? i.label) : i.label).replace(/ /g, '\u00a0');
    return `${i.key}\u00a0${i.enabled ? shown : `(${shown})`}`;
  };
  const short = stringWidth(items.map((i) => word(i, false)).join('  ')) > width;
  return (
    <Text wrap="wrap">
      {items.map((i) => (
        <Text key={i.id} color={i.enabled ? undefined : theme.fg('muted')}>
          {word(i, short)}
          {'  '}
        </Text>
      ))}
    </Text>
  );
}
