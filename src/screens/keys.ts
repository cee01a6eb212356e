/**
 * Raw terminal input to key names, the same names the keymaps, the help overlay and demo
 * scripts use: enter, esc, tab, shift+tab, up, down, left, right, pageup, pagedown, home, end,
 * space, backspace, delete, f1-f12, ctrl+LETTER, or one printable character.
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

/** Splits a chunk of terminal input (a paste may hold many keys) into key names. */
export function parseKeys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i];
    if (ch === '\x1b') {
      const next = data[i + 1];
      if (next === '[') {
        const m = /^\x1b\[([\d;]*)([A-Za-z~])/.exec(data.slice(i));
        if (m) {
          const [, params, final] = m;
          const first = params.split(';')[0];
          const mod = Number(params.split(';')[1] ?? 1);
          let name = final === '~' ? CSI_TILDE[first] : CSI_FINAL[final];
          if (name && mod === 2 && !name.startsWith('shift+')) name = `shift+${name}`;
          out.push(name ?? 'unknown');
          i += m[0].length;
          continue;
        }
      } else if (next === 'O' && i + 2 < data.length) {
        out.push(CSI_FINAL[data[i + 2]] ?? 'unknown');
        i += 3;
        continue;
      } else if (next === '\x1b') {
        out.push('esc');
        i += 1;
        continue;
      } else if (next !== undefined && next >= ' ' && next <= '~') {
        out.push(`alt+${next}`);
        i += 2;
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
    else if (code >= 0x20) {
      // Keep surrogate pairs together.
      const cp = data.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      out.push(s);
      i += s.length;
      continue;
    } else out.push('unknown');
    i += 1;
  }
  return out;
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
