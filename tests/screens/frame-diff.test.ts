import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import ansiEscapes from 'ansi-escapes';
import { DiffingStdout, FrameDiff } from '../../src/runtime/frame-diff.js';
import { drawMode } from '../../src/runtime/render-desk.js';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

const write = (t: Term, s: string) => new Promise<void>((r) => t.write(s, r));

/** Every cell of the screen: its character and the attributes that show. */
function cells(t: Term): string[] {
  const out: string[] = [];
  const buf = t.buffer.active;
  const cell = buf.getNullCell();
  for (let y = 0; y < t.rows; y++) {
    const line = buf.getLine(buf.viewportY + y)!;
    let s = '';
    for (let x = 0; x < t.cols; x++) {
      line.getCell(x, cell);
      s += `${cell.getChars() || ' '}${cell.getFgColor()}.${cell.getFgColorMode()}.${cell.getBgColor()}.${cell.isBold()}${cell.isInverse()}${cell.isUnderline()}|`;
    }
    out.push(s);
  }
  return out;
}

/** The screen a terminal shows after drawing `frame` alone, from its top. */
async function reference(frame: string, cols: number, rows: number): Promise<string[]> {
  const t = new Terminal({ cols, rows, allowProposedApi: true });
  await write(t, frame.split('\n').join('\r\n'));
  const c = cells(t);
  t.dispose();
  return c;
}

const style = fc.constantFrom('', '\x1b[1m', '\x1b[32m', '\x1b[7m', '\x1b[38;2;10;200;30m', '\x1b[4m');
const close = (s: string) => (s === '' ? '' : s === '\x1b[1m' ? '\x1b[22m' : s === '\x1b[7m' ? '\x1b[27m' : s === '\x1b[4m' ? '\x1b[24m' : '\x1b[39m');
// Wide characters (日) are drawn by rewriting their line from its first column.
const text = fc.stringMatching(/^[a-z0-9 :│●✉▏⏸·é✓日]{0,12}$/);
const span = fc.tuple(style, text).map(([s, t]) => (t === '' ? '' : `${s}${t}${close(s)}`));
const line = fc.array(span, { maxLength: 5 }).map((spans) => spans.join('').slice(0, 400));

describe('drawing only what changed (FrameDiff)', () => {
  it('leaves the terminal showing exactly the last frame, whatever the frames before it', async () => {
    const cols = 60;
    const rows = 12;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { maxLength: rows - 1 }), { minLength: 1, maxLength: 6 }), async (frames) => {
        // Lines that fit the width: Ink never writes a line wider than the terminal.
        const fit = frames.map((f) => f.map((l) => (l.replace(/\x1b\[[0-9;]*m/g, '').replace(/日/g, '..').length <= cols ? l : '')).join('\n'));
        const t = new Terminal({ cols, rows, allowProposedApi: true });
        const diff = new FrameDiff();
        for (const f of fit) await write(t, diff.next(f, rows));
        expect(cells(t)).toEqual(await reference(fit[fit.length - 1], cols, rows));
        t.dispose();
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('redraws a clock digit, not the frame: a few bytes for an idle second', () => {
    const diff = new FrameDiff();
    const frame = (s: string) => [`\x1b[1mAna Lopez\x1b[22m a.lopez │ \x1b[32m● Ready\x1b[39m │ ✉ 3          Tue 24 Nov 2026 15:00:0${s} UTC`, ...Array.from({ length: 28 }, (_, i) => `line ${i} ${'x'.repeat(80)}`)].join('\n');
    expect(diff.next(frame('1'), 30).length).toBeGreaterThan(2000);
    const update = diff.next(frame('2'), 30);
    expect(update).toBe('\x1b[29A\x1b[67G2\x1b[29B\r');
    expect(diff.next(frame('2'), 30)).toBe('');
  });

  it('replays the style a changed cell sits in, and resets it after', () => {
    const diff = new FrameDiff();
    diff.next('a \x1b[32mready 1\x1b[39m b', 10);
    expect(diff.next('a \x1b[32mready 2\x1b[39m b', 10)).toBe('\x1b[A\x1b[9G\x1b[32m2\x1b[0m\x1b[B\r');
  });

  it('erases what a shorter frame leaves below it, and draws on a cleared screen after a resize', async () => {
    const t = new Terminal({ cols: 40, rows: 10, allowProposedApi: true });
    const diff = new FrameDiff();
    await write(t, diff.next('help\nline 2\nline 3\nline 4', 10));
    await write(t, diff.next('main', 10));
    expect(cells(t)).toEqual(await reference('main', 40, 10));
    diff.invalidate();
    const after = diff.next('main', 10);
    expect(after.startsWith('\x1b[H\x1b[2J')).toBe(true);
    await write(t, after);
    expect(cells(t)).toEqual(await reference('main', 40, 10));
    t.dispose();
  });

  it('draws a frame as tall as the terminal whole, on a cleared screen', () => {
    const diff = new FrameDiff();
    diff.next('a\nb', 3);
    expect(diff.next('a\nb\nc', 3)).toBe('\x1b[H\x1b[2Ja\r\nb\r\nc');
    expect(diff.next('a\nB\nc', 3)).toBe('\x1b[H\x1b[2Ja\r\nB\r\nc');
  });
});

describe("Ink's writes through DiffingStdout", () => {
  it("takes each frame out of log-update's erase-and-redraw and writes only the change", async () => {
    const written: string[] = [];
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 40, rows: 10 });
    tty.on('data', (d: Buffer) => written.push(d.toString()));
    const out = new DiffingStdout(tty as unknown as NodeJS.WriteStream);
    const frames = ['title\nclock 15:00:01\nfooter', 'title\nclock 15:00:02\nfooter', 'help\nline 2', ''];
    const w = (s: string) => new Promise<void>((r) => out.write(s, () => r()));
    // As Ink writes them: the cursor hidden, then each frame after erasing the last one's lines
    // (inside synchronized output), a bare erase before a redraw, the cursor shown at the end.
    await w('\x1b[?25l');
    await w(`${ansiEscapes.eraseLines(0)}${frames[0]}\n`);
    await w('\x1b[?2026h');
    const before = written.length;
    await w(`${ansiEscapes.eraseLines(4)}${frames[1]}\n`);
    expect(written.slice(before).join('')).toBe('\x1b[2A\x1b[14G2\x1b[2B\r');
    await w('\x1b[?2026l');
    await w(ansiEscapes.eraseLines(4));
    await w(`${frames[2]}\n`);
    const t = new Terminal({ cols: 40, rows: 10, allowProposedApi: true });
    await write(t, written.join(''));
    expect(cells(t)).toEqual(await reference(frames[2], 40, 10));
    // Quitting: an empty last frame leaves nothing behind.
    await w(`${ansiEscapes.eraseLines(3)}\n`);
    await w('\x1b[?25h');
    const t2 = new Terminal({ cols: 40, rows: 10, allowProposedApi: true });
    await write(t2, written.join(''));
    expect(cells(t2)).toEqual(await reference('', 40, 10));
    expect(written.join('')).toContain('\x1b[?25h');
    t.dispose();
    t2.dispose();
  });
});

describe('how frames reach the terminal', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  it('draws changes on a terminal, whole frames under CI (Ink then draws only the last) and in headless runs', () => {
    expect(drawMode(tty, false, {})).toBe('changes');
    expect(drawMode(tty, false, { CI: 'false' })).toBe('changes');
    expect(drawMode(tty, false, { CI: 'true' })).toBe('whole');
    expect(drawMode(tty, false, { CONTINUOUS_INTEGRATION: '1' })).toBe('whole');
    expect(drawMode(new PassThrough(), false, {})).toBe('whole');
    // Demo recordings and screen tests: every write is one whole frame, as before.
    expect(drawMode(new HeadlessTerminal(100, 30).stdout, true, {})).toBe('whole');
  });

  it("draws with Ink's incrementalRendering on a terminal when the bench asks (CALLBACK_DESK_DRAW=ink-lines)", () => {
    expect(drawMode(tty, false, { CALLBACK_DESK_DRAW: 'ink-lines' })).toBe('ink-lines');
    expect(drawMode(tty, false, { CALLBACK_DESK_DRAW: 'ink-lines', CI: 'true' })).toBe('whole');
    expect(drawMode(new PassThrough(), false, { CALLBACK_DESK_DRAW: 'ink-lines' })).toBe('whole');
  });
});
