import { PassThrough, Writable } from 'node:stream';
import { keySequence } from '../screens/keys.js';

/** Strips colour and cursor escapes, leaving what a person reads. */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>NOPc]/g, '');
}

/**
 * A terminal with no screen: Ink renders into it in debug mode, where every write is one whole
 * frame, so the screen is simply the last write. Demo scripts and screen tests drive it.
 */
export class HeadlessTerminal {
  readonly stdin: PassThrough & { isTTY: boolean; setRawMode: (v: boolean) => void };
  readonly stdout: Writable & { columns: number; rows: number; isTTY: boolean };
  /** Every frame written, raw (with colour escapes), in order. */
  readonly frames: string[] = [];
  private frameListeners = new Set<(frame: string) => void>();

  constructor(columns: number, rows: number) {
    const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (v: boolean) => void; ref: () => void; unref: () => void };
    stdin.isTTY = true;
    stdin.setRawMode = () => {};
    stdin.ref = () => stdin;
    stdin.unref = () => stdin;
    stdin.setEncoding('utf8');
    this.stdin = stdin;
    const frames = this.frames;
    const listeners = this.frameListeners;
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        const s = chunk.toString();
        frames.push(s);
        for (const fn of listeners) fn(s);
        cb();
      },
    }) as Writable & { columns: number; rows: number; isTTY: boolean };
    stdout.columns = columns;
    stdout.rows = rows;
    stdout.isTTY = true;
    this.stdout = stdout;
  }

  get columns(): number {
    return this.stdout.columns;
  }

  get rows(): number {
    return this.stdout.rows;
  }

  onFrame(fn: (frame: string) => void): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  lastFrame(): string {
    return this.frames[this.frames.length - 1] ?? '';
  }

  /** The screen as plain text, trailing blanks trimmed from each line. */
  screen(): string {
    // A no-break space reads as a space on a terminal.
    return stripAnsi(this.lastFrame())
      .replace(/\u00a0/g, ' ')
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .join('\n')
      .replace(/\n+$/, '');
  }

  resize(columns: number, rows: number): void {
    this.stdout.columns = columns;
    this.stdout.rows = rows;
    this.stdout.emit('resize');
  }

  /** Sends one key by name (enter, esc, ctrl+c, f1, a...). */
  press(name: string): void {
    this.stdin.write(keySequence(name));
  }

  /**
   * Waits until the app has handled input and stopped drawing: React's effects and Ink's
   * lone-escape timer both run on later turns of the event loop.
   */
  async settle(maxTurns = 200): Promise<void> {
    let quiet = 0;
    let count = this.frames.length;
    // Each turn passes both a check phase (React's scheduler, Ink's lone-escape flush) and a
    // timers phase (the key router hands out queued keys on timers).
    for (let i = 0; i < maxTurns && quiet < 3; i++) {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 0));
      if (this.frames.length === count) quiet++;
      else {
        quiet = 0;
        count = this.frames.length;
      }
    }
  }
}
