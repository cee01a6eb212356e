/**
 * Raw terminal input to key names, the same names the keymaps, the help overlay and demo
 * scripts use: enter, esc, tab, shift+tab, up, down, left, right, pageup, pagedown, home, end,
 * space, backspace, delete, f1-f12, ctrl+LETTER, or one printable character. This is the app's
 * one key parser: the router (keypress.tsx) reads every input event Ink emits through a
 * KeyReader, and nothing else reads the keyboard.
 */

const CSI_TILDE: Record<string, string> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
  '11': 'f1',
  '12': 'f2',
  '13': 'f3',
  '14': 'f4',
  '15': 'f5',
  '17': 'f6',
  '18': 'f7',
  '19': 'f8',
  '20': 'f9',
  '21': 'f10',
  '23': 'f11',
  '24': 'f12',
};

const CSI_FINAL: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift+tab', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };

/** The Linux console's F1-F5: ESC [ [ A to E. */
const LINUX_F: Record<string, string> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

/**
 * A control sequence: ESC [ parameters intermediates final (ECMA-48), also the Linux console's
 * ESC [ [ A for F1. Terminal replies and keys we do not name (focus in/out, a device status
 * report) are one "unknown" key, never a run of printable characters ("?" would open help).
 */
const CSI = /^\x1b\[\[?([\x30-\x3f]*)[\x20-\x2f]*([\x40-\x7e])/;

/**
 * Splits a chunk of terminal input into key names. ESC followed by anything but `[` or `O` is
 * Esc and then that key: a person who presses Esc and then q quickly (or `tmux send-keys Escape
 * q`) delivers both in one read, and the desktop has no Alt bindings an ESC prefix could mean.
 */
export function parseKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i];
    if (ch === '\x1b') {
      const next = data[i + 1];
      if (next === '[') {
        const m = CSI.exec(data.slice(i));
        if (m) {
          const [whole, params, final] = m;
          const [first, modifier] = params.split(';');
          let name = whole.startsWith('\x1b[[') ? LINUX_F[final] : final === '~' ? CSI_TILDE[first] : CSI_FINAL[final];
          if (name && Number(modifier ?? 1) === 2 && !name.startsWith('shift+')) name = `shift+${name}`;
          out.push(name ?? 'unknown');
          i += whole.length;
          continue;
        }
      } else if (next === 'O' && i + 2 < data.length) {
        out.push(CSI_FINAL[data[i + 2]] ?? 'unknown');
        i += 3;
        continue;
      }
      out.push('esc');
      i += 1;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') out.push('enter');
    else if (ch === '\t') out.push('tab');
    else if (code === 0x7f || code === 0x08) out.push('backspace');
    else if (ch === ' ') out.push('space');
    else if (code >= 1 && code <= 26) out.push(`ctrl+${String.fromCharCode(code + 96)}`);
    else if (code >= 0x20 && !(code >= 0x80 && code < 0xa0)) {
      // Keep surrogate pairs together.
      const s = String.fromCodePoint(data.codePointAt(i)!);
      out.push(s);
      i += s.length;
      continue;
    } else out.push('unknown');
    i += 1;
  }
  return out;
}

/** Bracketed paste (xterm): the terminal wraps pasted text in these. */
export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

/** One key for the router: its name, and for a paste ("paste") the text pasted. */
export interface KeyPress {
  name: string;
  text?: string;
}

/**
 * Terminal input, read by read, to keys in order. A paste is one key, "paste", never the keys it
 * holds: its line breaks must not act as Enter. Terminals in bracketed-paste mode mark it (the
 * marks and the text may come in separate reads); without the marks, one read holding text after
 * a line break is taken for a paste (no one types that fast). A read that only ends in a line
 * break ("3\r" from tmux send-keys or a script) stays keys.
 */
export class KeyReader {
  /** The text of a bracketed paste whose end mark has not come yet. */
  private pasting: string | null = null;

  push(data: string): KeyPress[] {
    const out: KeyPress[] = [];
    let rest = data;
    while (rest) {
      if (this.pasting !== null) {
        const end = rest.indexOf(PASTE_END);
        if (end < 0) {
          this.pasting += rest;
          break;
        }
        out.push({ name: 'paste', text: this.pasting + rest.slice(0, end) });
        this.pasting = null;
        rest = rest.slice(end + PASTE_END.length);
        continue;
      }
      const start = rest.indexOf(PASTE_START);
      const keys = start < 0 ? rest : rest.slice(0, start);
      if (/[\r\n][^\r\n]/.test(keys) && !keys.includes('\x1b')) out.push({ name: 'paste', text: keys });
      else for (const name of parseKeys(keys)) out.push({ name });
      if (start < 0) break;
      this.pasting = '';
      rest = rest.slice(start + PASTE_START.length);
    }
    return out;
  }
}

/** The byte sequence a terminal sends for a key name (demo scripts and tests type through it). */
export function keySequence(name: string): string {
  const table: Record<string, string> = {
    enter: '\r',
    esc: '\x1b',
    escape: '\x1b',
    tab: '\t',
    'shift+tab': '\x1b[Z',
    up: '\x1b[A',
    down: '\x1b[B',
    right: '\x1b[C',
    left: '\x1b[D',
    pageup: '\x1b[5~',
    pagedown: '\x1b[6~',
    home: '\x1b[H',
    end: '\x1b[F',
    space: ' ',
    backspace: '\x7f',
    delete: '\x1b[3~',
    f1: '\x1bOP',
    f2: '\x1bOQ',
    f3: '\x1bOR',
    f4: '\x1bOS',
    f5: '\x1b[15~',
    f6: '\x1b[17~',
    f7: '\x1b[18~',
    f8: '\x1b[19~',
    f9: '\x1b[20~',
    f10: '\x1b[21~',
    f11: '\x1b[23~',
    f12: '\x1b[24~',
  };
  if (table[name]) return table[name];
  const ctrl = /^ctrl\+([a-z])$/.exec(name);
  if (ctrl) return String.fromCharCode(ctrl[1].charCodeAt(0) - 96);
  if ([...name].length === 1) return name;
  throw new Error(`unknown key "${name}"`);
}

export function isKeyName(name: string): boolean {
  try {
    keySequence(name);
    return true;
  } catch {
    return false;
  }
}

/** A key that types a character into a text field. */
export function printable(name: string): string | null {
  if (name === 'space') return ' ';
  return [...name].length === 1 ? name : null;
}
