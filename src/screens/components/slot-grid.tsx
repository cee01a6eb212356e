import { Box } from 'ink';
import { Text } from './text.js';
import type { CallbackSlot } from '../../engine/genesys-callback.js';
import type { TimeZones } from '../../engine/time/time-zones.js';
import { useTheme } from '../theme.js';
import { clipWords } from '../text-fit.js';

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

/**
 * What the cells' marks mean, in words, as long as `width` allows: the longest wording that
 * fits, then shorter ones. The "( )" mark is explained only when the day has such a slot (only
 * a number with contact hours gives them), so the words go where they are needed.
 */
export function slotLegend(width: number, offHours: boolean): string {
  const wordings: string[][] = [
    ['[ ] open', ...(offHours ? ["( ) open, outside the number's contact hours: the customer may not be called then"] : []), '░ ░ full or past', '« » chosen'],
    ['[ ] open', ...(offHours ? ["( ) outside the number's contact hours"] : []), '░ ░ full or past', '« » chosen'],
    ['[ ] open', ...(offHours ? ["( ) outside the number's hours"] : []), '░ ░ full/past', '«» chosen'],
  ];
  for (const w of wordings) {
    const text = w.join(' · ');
    if (text.length <= width) return text;
  }
  return clipWords(wordings[wordings.length - 1].join(' · '), width);
}

export function gridColumns(width: number): number {
  return Math.max(1, Math.floor(width / CELL_WIDTH));
}

/**
 * Rows of cells around the cursor, with how many rows are off-screen, and under them the legend
 * of the marks: `maxRows` lines in all for the cells and the legend.
 */
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
  // The legend takes one of the rows given to the grid, so the form's height budget holds.
  const cellRows = Math.max(1, maxRows - 1);
  const offHours = slots.some((s) => s.unavailable === null && s.outsideContactHours);
  const cursorRow = Math.floor(cursor / cols);
  const firstRow = Math.max(0, Math.min(cursorRow - Math.floor(cellRows / 2), rows - cellRows));
  const shown = Array.from({ length: Math.min(cellRows, rows) }, (_, i) => firstRow + i);
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
      <Text color={theme.fg('muted')} wrap="truncate">
        {slotLegend(width, offHours)}
      </Text>
    </Box>
  );
}
