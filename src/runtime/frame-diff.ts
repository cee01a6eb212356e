import { Writable } from 'node:stream';
import { isNarrow } from './cell-width.js';

/**
 * Draws each whole frame Ink renders as the few cells that changed since the last one. Ink's
 * own log-update rewrites the whole frame (about 5 KB at 100x30) for one clock digit, and its
 * incremental mode still rewrites a changed line whole and steps over every other line; here an
 * idle second costs the clock's digits and two cursor moves (about 16 bytes).
 *
 * The frame is drawn where the cursor was at the start, like Ink's, and the cursor rests at the
 * start of the line below it, so moves are relative. A frame as tall as the terminal (its top
 * scrolled away) and the first frame after a resize (the terminal may have re-wrapped the old
 * one) are drawn whole on a cleared screen instead.
 */
export class FrameDiff {
  private lines: string[] | null = null;
  private clearNext = false;

  /** The terminal changed size: the next frame is drawn whole on a cleared screen. */
  invalidate(): void {
    this.clearNext = true;
  }

  /** What to write to turn the last frame into `frame` on a terminal of `rows` rows ('' when nothing changed). */
  next(frame: string, rows: number): string {
    const next = frame === '' ? [] : frame.split('\n');
    const prev = this.lines;
    this.lines = next;
    if (prev === null || this.clearNext || prev.length >= rows || next.length >= rows) {
      const first = prev === null && !this.clearNext;
      this.clearNext = false;
      // A frame reaching the last row gets no newline after it, so its first line stays on screen.
      const tail = next.length > 0 && next.length < rows ? '\r\n' : '';
      return `${first ? '\r' : '\x1b[H\x1b[2J'}${next.join('\r\n')}${tail}`;
    }
    let out = '';
    let row = prev.length;
    const goTo = (target: number) => {
      if (target < row) out += `\x1b[${target === row - 1 ? '' : row - target}A`;
      else if (target > row) out += `\x1b[${target === row + 1 ? '' : target - row}B`;
      row = target;
    };
    const common = Math.min(prev.length, next.length);
    for (let i = 0; i < common; i++) {
      if (prev[i] === next[i]) continue;
      goTo(i);
      out += lineUpdate(prev[i], next[i]);
    }
    if (next.length > prev.length) {
      goTo(prev.length);
      out += `\r${next.slice(prev.length).join('\r\n')}\r\n`;
      row = next.length;
    } else {
      goTo(next.length);
      out += next.length < prev.length ? '\r\x1b[J' : '\r';
    }
    return out === '\r' ? '' : out;
  }
}

// eslint-disable-next-line no-control-regex
const TOKEN = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^[\]]?|[\s\S]/gu;
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/;

/**
 * Cells a character takes, for the characters this desktop draws; null for anything else (wide,
 * zero-width, combining), in which case the line is rewritten from its first column rather than
 * risk a cursor placed one cell off.
 */
function cellWidth(ch: string): 1 | null {
  return ch.length === 1 && isNarrow(ch.charCodeAt(0)) ? 1 : null;
}

/** Whether SGR tokens leave any attribute on (then they are replayed before a mid-line write). */
function styled(sgrs: string[]): boolean {
  let on = new Set<string>();
  for (const t of sgrs) {
    const params = t.slice(2, -1).split(';');
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const n = p === '' ? 0 : Number(p);
      if (n === 0) on = new Set();
      else if (n === 22) (on.delete('1'), on.delete('2'));
      else if ([23, 24, 25, 27, 28, 29].includes(n)) on.delete(String(n - 20));
      else if (n === 39) on.delete('fg');
      else if (n === 49) on.delete('bg');
      else if ((n >= 30 && n <= 38) || (n >= 90 && n <= 97)) {
        on.add('fg');
        if (n === 38) i += params[i + 1] === '5' ? 2 : 4;
      } else if ((n >= 40 && n <= 48) || (n >= 100 && n <= 107)) {
        on.add('bg');
        if (n === 48) i += params[i + 1] === '5' ? 2 : 4;
      } else on.add(Number.isNaN(n) ? p : String(n)); // unknown or colon forms: assume still on
    }
  }
  return on.size > 0;
}

/** Rewrites one line from the first cell that differs (the cursor is on that line). */
function lineUpdate(before: string, after: string): string {
  const a = before.match(TOKEN) ?? [];
  const b = after.match(TOKEN) ?? [];
  let start = 0;
  let column = 0;
  let known = true;
  const sgrs: string[] = [];
  while (start < a.length && start < b.length && a[start] === b[start]) {
    const t = b[start];
    if (t.startsWith('\x1b')) {
      if (SGR.test(t)) sgrs.push(t);
      else known = false;
    } else {
      const w = cellWidth(t);
      if (w === null) known = false;
      else column += w;
    }
    start++;
  }
  if (!known) return `\r${after}\x1b[K`;
  const replay = styled(sgrs) ? sgrs.join('') : '';
  const at = column === 0 ? '\r' : `\x1b[${column + 1}G`;
  // Same cells after the change (a clock's digit): write only the changed middle.
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const oldMid = a.slice(start, a.length - end);
  const newMid = b.slice(start, b.length - end);
  const width = (ts: string[]) => ts.reduce<number | null>((n, t) => (n === null || t.startsWith('\x1b') ? null : ((w) => (w === null ? null : n + w))(cellWidth(t))), 0);
  const midWidth = width(newMid);
  if (midWidth !== null && midWidth === width(oldMid)) return `${at}${replay}${newMid.join('')}${replay ? '\x1b[0m' : ''}`;
  return `${at}${replay}${b.slice(start).join('')}\x1b[0m\x1b[K`;
}

// What Ink's log-update writes around a frame (ansi-escapes): erasing the lines of the last one,
// and clearing the screen when the last one reached the terminal's height.
// eslint-disable-next-line no-control-regex
const ERASE_LINES = /^(?:\x1b\[2K(?:\x1b\[1A)?)*(?:\x1b\[G)?/;
const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
/** Ink's other writes, passed on as they are: cursor hide and show, synchronized output. */
const CONTROL = new Set(['\x1b[?25l', '\x1b[?25h', '\x1b[?2026h', '\x1b[?2026l']);

/**
 * The terminal Ink draws into on a real TTY. Ink keeps its throttle (a key right after another
 * render waits at most one frame) and writes each frame whole, after erasing the last; this
 * takes the frame out of that and writes only the difference to the real stdout. It passes on
 * the terminal's size, resize events and Ink's cursor and synchronized-output escapes.
 */
export class DiffingStdout extends Writable {
  readonly isTTY = true;
  private readonly diff = new FrameDiff();

  constructor(private readonly out: NodeJS.WriteStream) {
    super({ decodeStrings: false });
    out.on('resize', () => {
      this.diff.invalidate();
      this.emit('resize');
    });
  }

  get columns(): number {
    return this.out.columns;
  }

  get rows(): number {
    return this.out.rows;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const s = chunk.toString();
    const update = CONTROL.has(s) ? s : this.frameUpdate(s);
    if (update) this.out.write(update);
    cb();
  }

  private frameUpdate(write: string): string {
    let frame = write;
    if (frame.startsWith(CLEAR_TERMINAL)) {
      frame = frame.slice(CLEAR_TERMINAL.length);
      this.diff.invalidate();
    }
    frame = frame.slice(ERASE_LINES.exec(frame)![0].length);
    // Erasing alone (Ink clears before a redraw when the terminal narrows): the frame follows.
    if (frame === '') return '';
    return this.diff.next(frame.endsWith('\n') ? frame.slice(0, -1) : frame, this.out.rows || 24);
  }
}
