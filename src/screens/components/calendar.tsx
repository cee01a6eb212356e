import { useState } from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import { addDays, addMonths } from '../../engine/time/callback-time.js';
import { isoWeekday } from '../../engine/time/time-zones.js';
import { useKeymap } from '../keypress.js';
import { CALENDAR } from '../keymaps.js';
import { useTheme } from '../theme.js';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const sameDate = (a: CalendarDate, b: CalendarDate) => a.year === b.year && a.month === b.month && a.day === b.day;
export const dateBefore = (a: CalendarDate, b: CalendarDate) => a.year * 10000 + a.month * 100 + a.day < b.year * 10000 + b.month * 100 + b.day;

/** The weeks of a month, Monday first; null pads the first and last week. */
export function monthGrid(year: number, month: number): (number | null)[][] {
  const first = isoWeekday({ year, month, day: 1 });
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (number | null)[] = Array.from({ length: first - 1 }, () => null);
  for (let d = 1; d <= days; d++) cells.push(d);
  while (cells.length % 7) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/**
 * A month calendar: arrows move the day and the week, page up/down the month, home/end the
 * year. The cursor day is bracketed and today starred, a past day dotted and a closed one
 * crossed, so all read without colour; the legend names the marks this month shows.
 */
export function Calendar({
  value,
  today,
  onPick,
  onClose,
  title,
  closed,
}: {
  value: CalendarDate;
  today: CalendarDate;
  onPick: (d: CalendarDate) => void;
  onClose: () => void;
  title?: string;
  /** Days that cannot be chosen besides past ones (a service's closed days): dimmed and marked "×". */
  closed?: (d: CalendarDate) => boolean;
}) {
  const theme = useTheme();
  const [cur, setCur] = useState<CalendarDate>(value);
  useKeymap(
    CALENDAR,
    {
      dayBack: () => setCur((c) => addDays(c, -1)),
      dayForward: () => setCur((c) => addDays(c, 1)),
      weekBack: () => setCur((c) => addDays(c, -7)),
      weekForward: () => setCur((c) => addDays(c, 7)),
      monthBack: () => setCur((c) => addMonths(c, -1)),
      monthForward: () => setCur((c) => addMonths(c, 1)),
      yearBack: () => setCur((c) => addMonths(c, -12)),
      yearForward: () => setCur((c) => addMonths(c, 12)),
      pick: () => onPick(cur),
      close: onClose,
    },
    { priority: 70, modal: true },
  );
  const month = monthGrid(cur.year, cur.month);
  const mark = (date: CalendarDate): '·' | '×' | null => (dateBefore(date, today) ? '·' : closed?.(date) ? '×' : null);
  const marks = new Set(month.flat().map((d) => (d === null ? null : mark({ year: cur.year, month: cur.month, day: d }))));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={38}>
      <Text bold>
        {'‹ '}
        {`${MONTHS[cur.month - 1]} ${cur.year}`.padEnd(30)}
        {' ›'}
      </Text>
      {title ? <Text color={theme.fg('muted')}>{title}</Text> : null}
      <Text color={theme.fg('muted')}> Mo  Tu  We  Th  Fr  Sa  Su</Text>
      {month.map((week, i) => (
        <Text key={i}>
          {week.map((d, j) => {
            if (d === null) return <Text key={j}>{'    '}</Text>;
            const date = { year: cur.year, month: cur.month, day: d };
            const selected = d === cur.day;
            const isToday = sameDate(date, today);
            const off = mark(date);
            const label = `${isToday ? '*' : ' '}${String(d).padStart(2)}`;
            // The mark carries "not available" (past, or closed) without colour; the dim with colour.
            return (
              <Text key={j} inverse={selected} color={off ? theme.fg('muted') : undefined} dimColor={off !== null}>
                {selected ? `[${label.slice(1)}]` : `${label}${off ?? ' '}`}
              </Text>
            );
          })}
        </Text>
      ))}
      <Text color={theme.fg('muted')}>
        * today [ ] chosen{marks.has('·') ? ' · past' : ''}
        {marks.has('×') ? ' × closed' : ''}
      </Text>
    </Box>
  );
}
