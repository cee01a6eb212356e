import { editsSettled } from '../screens/input-settle.js';
import { PassThrough } from 'node:stream';

/** Splits terminal input into the pieces a key is made of; a bracketed paste stays whole. */
export function splitKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data.startsWith('\x1b[200~', i)) {
      const end = data.indexOf('\x1b[201~', i);
      const stop = end < 0 ? data.length : end + 6;
      out.push(data.slice(i, stop));
      i = stop;
      continue;
    }
    const ch = data[i];
    if (ch === '\x1b') {
      // CSI (ESC [ params final), SS3 (ESC O x), or ESC + one character (alt+x).
      const csi = /^\x1b\[[\d;?]*[ -/]*[@-~]/.exec(data.slice(i));
      const n = csi ? csi[0].length : data[i + 1] === 'O' ? 3 : data[i + 1] !== undefined && data[i + 1] !== '\x1b' ? 2 : 1;
      out.push(data.slice(i, i + n));
      i += n;
      continue;
    }
    if (ch < ' ' || ch === '\x7f') {
      out.push(ch);
      i++;
      continue;
    }
    // A run of text stays one piece: a paste without marks, or fast typing, inserts at once.
    let j = i;
    while (j < data.length && data[j] >= ' ' && data[j] !== '\x7f' && data[j] !== '\x1b') j++;
    out.push(data.slice(i, j));
    i = j;
  }
  return out;
}

const KEY_GAP_MS = 2;

/**
 * The terminal's input, handed to Ink one key per turn of the event loop. Ink emits every key of
 * one read in the same turn, before React re-renders, so ink-text-input and ink-select-input
 * would see three Backspaces (a held key, a burst from tmux) against the same stale value and
 * act once. Spacing the keys lets each see the state the previous one left.
 */
export function pacedStdin(stdin: NodeJS.ReadStream): NodeJS.ReadStream {
  const paced = new PassThrough() as unknown as NodeJS.ReadStream & { isTTY: boolean };
  const queue: string[] = [];
  let draining = false;
  let waited = 0;
  const drain = () => {
    // The next key waits until the last edit is on screen (at most 50 ms, should a field vanish).
    if (!editsSettled() && waited < 50) {
      waited += 2;
      setTimeout(drain, 2);
      return;
    }
    waited = 0;
    const next = queue.shift();
    if (next === undefined) {
      draining = false;
      return;
    }
    paced.write(next);
    // Long enough for React to commit the previous key's update and run its effects (the input
    // hooks re-subscribe there); far below a key repeat's 30 ms, so nothing feels slower.
    setTimeout(drain, KEY_GAP_MS);
  };
  stdin.setEncoding('utf8');
  stdin.on('data', (d: string) => {
    queue.push(...splitKeys(d));
    if (!draining) {
      draining = true;
      drain();
    }
  });
  paced.isTTY = stdin.isTTY;
  paced.setEncoding('utf8');
  Object.assign(paced, {
    setRawMode: (mode: boolean) => {
      stdin.setRawMode?.(mode);
      return paced;
    },
    ref: () => (stdin.ref(), paced),
    unref: () => (stdin.unref(), paced),
  });
  return paced;
}
