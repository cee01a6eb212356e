import { Box, Text } from 'ink';
import type { CallbackSlot } from '../../engine/genesys-callback.js';
import type { TimeZones } from '../../engine/time/time-zones.js';
import { useTheme } from '../theme.js';

export const CELL_WIDTH = 13;

/**
 * The text of one cell, 13 columns. Available: "[08:00-08:15]" (blue in colour); unavailable:
 * "░08:30 full░" (grey); the cursor: "▶08:00-08:15◀". Glyph and word carry the state, so the
 * grid reads the same in NO_COLOR.
 */
export function cellText(slot: CallbackSlot, zones: TimeZones, tz: string, selected: boolean): string {
  const from = zones.formatPlain(slot.start, tz, 'HH:mm');
  const to = zones.formatPlain(slot.end, tz, 'HH:mm');
  if (slot.unavailable) {
    const body = `${from} ${slot.unavailable}`;
    return selected ? `▶${body.padEnd(11)}◀` : `░${body.padEnd(11, ' ')}░`;
  }
  return selected ? `▶${from}-${to}◀` : `[${from}-${to}]`;
}

export function gridColumns(width: number): number {
  return Math.max(1, Math.floor(width / CELL_WIDTH));
}

/** Rows of cells around the cursor, at most `maxRows`, with how many rows are off-screen. */
export function SlotGrid({ slots, cursor, width, maxRows, zones, tz, focused }: { slots: CallbackSlot[]; cursor: number; width: number; maxRows: number; zones: TimeZones; tz: string; focused: boolean }) {
  const theme = useTheme();
  const cols = gridColumns(width);
  const rows = Math.ceil(slots.length / cols);
  const cursorRow = Math.floor(cursor / cols);
  const firstRow = Math.max(0, Math.min(cursorRow - Math.floor(maxRows / 2), rows - maxRows));
  const shown = Array.from({ length: Math.min(maxRows, rows) }, (_, i) => firstRow + i);
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
            return (
              <Text
                key={idx}
                backgroundColor={selected ? undefined : theme.bg(available ? 'slot.available' : 'slot.unavailable')}
                color={selected ? undefined : theme.fg(available ? 'slot.available' : 'slot.unavailable')}
                inverse={selected}
                bold={selected}
              >
                {cellText(slot, zones, tz, selected)}
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
