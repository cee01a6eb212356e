import { Box } from 'ink';
import { Text } from './text.js';
import { useTheme } from '../theme.js';

export const CLOCK_WIDTH = 25;
export const CLOCK_HEIGHT = 13;
const MINUTE_HAND = '•';
const HOUR_HAND = '█';

/**
 * A round dial drawn in characters: numerals at 12, 3, 6 and 9, dots at the other hours, a
 * long minute hand (•) and a short hour hand (█). Cells are about twice as tall as wide, so
 * the dial is twice as wide in columns as it is tall in rows. Pure, so it can be snapshotted.
 */
export function clockFaceLines(hour: number, minute: number, w = CLOCK_WIDTH, h = CLOCK_HEIGHT): string[] {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const rx = cx - 0.5;
  const ry = cy;
  const grid: string[][] = Array.from({ length: h }, () => Array.from({ length: w }, () => ' '));
  const put = (x: number, y: number, ch: string) => {
    const col = Math.round(x);
    const row = Math.round(y);
    if (row >= 0 && row < h && col >= 0 && col < w) grid[row][col] = ch;
  };
  // The rim.
  for (let a = 0; a < 360; a += h < 11 ? 6 : 4) {
    const t = (a * Math.PI) / 180;
    put(cx + rx * Math.sin(t), cy - ry * Math.cos(t), '·');
  }
  // Hour marks, inside the rim.
  for (let i = 1; i <= 12; i++) {
    const t = (i * 30 * Math.PI) / 180;
    const x = cx + rx * 0.82 * Math.sin(t);
    const y = cy - ry * 0.78 * Math.cos(t);
    if (i % 3 === 0) {
      const label = String(i);
      const start = Math.round(x) - (label.length > 1 ? 1 : 0);
      for (let k = 0; k < label.length; k++) put(start + k, y, label[k]);
    } else put(x, y, '∙');
  }
  const hand = (angleDeg: number, length: number, ch: string) => {
    const t = (angleDeg * Math.PI) / 180;
    const steps = 40;
    for (let s = 1; s <= steps; s++) {
      const f = (s / steps) * length;
      put(cx + rx * f * Math.sin(t), cy - ry * f * Math.cos(t), ch);
    }
  };
  hand(minute * 6, h < 11 ? 0.55 : 0.7, MINUTE_HAND);
  hand(((hour % 12) + minute / 60) * 30, 0.42, HOUR_HAND);
  put(cx, cy, '◉');
  return grid.map((row) => row.join('').replace(/\s+$/, ''));
}

/** The small dial for short terminals (80x24). */
export const COMPACT_CLOCK = { width: 19, height: 9 };

export function ClockFace({ hour, minute, label, compact = false }: { hour: number; minute: number; label: string; compact?: boolean }) {
  const theme = useTheme();
  const w = compact ? COMPACT_CLOCK.width : CLOCK_WIDTH;
  const h = compact ? COMPACT_CLOCK.height : CLOCK_HEIGHT;
  return (
    <Box flexDirection="column" width={w + 2} paddingX={1}>
      {clockFaceLines(hour, minute, w, h).map((l, i) => (
        <Text key={i} color={theme.fg('accent')}>
          {l || ' '}
        </Text>
      ))}
      <Text bold>{label.padStart(Math.floor((w + label.length) / 2))}</Text>
    </Box>
  );
}
