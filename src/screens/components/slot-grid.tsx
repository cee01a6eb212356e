import { Box } from 'ink';
import { Text } from './text.js';
import type { CallbackSlot } from '../../engine/genesys-callback.js';
import type { TimeZones } from '../../engine/time/time-zones.js';
import { useTheme } from '../theme.js';

export const CELL_WIDTH = 13;

/**
 * The text of one cell, 13 columns. Available: "[08:00-08:15]" (blue in colour); outside the
 * number's contact hours: "(08:00-08:15)" (dimmed); unavailable: "░08:30 full░" (grey); the
 * chosen slot: "«08:00-08:15»"; the cursor: "▶08:00-08:15◀". Glyph and word carry the state,
 * so the grid reads the same in NO_COLOR.
 */
export function cellText(slot: CallbackSlot, zones: TimeZones, tz: string, selected: boolean, chosen = false): string {
  const from = zones.formatPlain(slot.start, tz, 'HH:mm');
  const to = zones.formatPlain(slot.end, tz, 'HH:mm');
  if (slot.unavailable) {
    const body = `${from} ${slot.unavailable}`;
    return selected ? `▶${body.padEnd(11)}◀` : `░${body.padEnd(11, ' ')}░`;
  }
  if (selected) return `▶${from}-${to}◀`;
  if (chosen) return `«${from}-${to}»`;
  return slot.outsideContactHours ? `(${from}-${to})` : `[${from}-${to}]`;
}

export function gridColumns(width: number): number {
  return Math.max(1, Math.floor(width / CELL_WIDTH));
}

/** Rows of cells around the cursor, at most `maxRows`, with how many rows are off-screen. */
export function SlotGrid({
  slots: given,
  cursor,
  chosen = null,
  width,
  maxRows,
  zones,
  tz,
  focused,
}: {
  /** undefined while the day's slots are being read. */
  slots: CallbackSlot[] | undefined;
  cursor: number;
  /** Start of the chosen slot: marked, so the agent sees it after moving the cursor away. */
  chosen?: number | null;
  width: number;
  maxRows: number;
  zones: TimeZones;
  tz: string;
  focused: boolean;
}) {
  const theme = useTheme();
  const slots = given ?? [];
  const cols = gridColumns(width);
  const rows = Math.ceil(slots.length / cols);
  const cursorRow = Math.floor(cursor / cols);
  const firstRow = Math.max(0, Math.min(cursorRow - Math.floor(maxRows / 2), rows - maxRows));
  const shown = Array.from({ length: Math.min(maxRows, rows) }, (_, i) => firstRow + i);
  if (!given) return <Text color={theme.fg('muted')}>  …</Text>;
  if (slots.length === 0) return <Text color={theme.fg('muted')}>  closed: no slots on this day</Text>;
  return (
    <Box flexDirection="column">
      {firstRow > 0 ? <Text color={theme.fg('muted')}>  ↑ {firstRow} more row{firstRow > 1 ? 's' : ''}</Text> : null}
      {shown.map((r) => (
        <Text key={r}>
          {slots.slice(r * cols, r * cols + cols).map((slot, i) => {
            const idx = r * cols + i;
            const selected = focused && idx === cursor;
            const available = slot.unavailable === null;
            const isChosen = chosen === slot.start;
            // Outside the number's contact hours: open, but dimmed (grey text, no blue).
            const offHours = available && !!slot.outsideContactHours;
            return (
              <Text
                key={idx}
                backgroundColor={selected || offHours ? undefined : theme.bg(available ? 'slot.available' : 'slot.unavailable')}
                color={selected ? undefined : theme.fg(offHours ? 'muted' : available ? 'slot.available' : 'slot.unavailable')}
                inverse={selected}
                bold={selected || isChosen}
                underline={isChosen}
              >
                {cellText(slot, zones, tz, selected, isChosen)}
              </Text>
            );
          })}
        </Text>
      ))}
      {firstRow + shown.length < rows ? (
        <Text color={theme.fg('muted')}>
          {'  '}↓ {rows - firstRow - shown.length} more row{rows - firstRow - shown.length > 1 ? 's' : ''}
        </Text>
      ) : null}
    </Box>
  );
}
