import { describe, expect, it } from 'vitest';
import { ALL_KEYMAPS, GLOBAL, footerItems, type Keymap } from '../../src/screens/keymaps.js';
import { helpLines } from '../../src/screens/components/help-overlay.js';
import { isKeyName, keySequence, parseKeys } from '../../src/screens/keys.js';

describe('keymaps', () => {
  it.each(ALL_KEYMAPS.map((m) => [m.context, m] as [string, Keymap]))('%s: no two entries share a key, none shadows a global key', (_c, map) => {
    const seen = new Map<string, string>();
    for (const b of map.bindings) {
      for (const k of b.keys) {
        expect(seen.get(k), `key "${k}" of ${map.context}.${b.id} is also ${seen.get(k)}`).toBeUndefined();
        seen.set(k, b.id);
      }
    }
    if (map !== GLOBAL && !['help', 'confirm-quit'].includes(map.context)) {
      for (const g of GLOBAL.bindings) for (const k of g.keys) expect(seen.has(k), `${map.context} shadows global key ${k}`).toBe(false);
    }
  });

  it('uses only key names the terminal parser produces', () => {
    for (const m of ALL_KEYMAPS) {
      for (const b of m.bindings) {
        for (const k of b.keys) {
          expect(isKeyName(k), `${m.context}.${b.id}: ${k}`).toBe(true);
          expect(parseKeys(keySequence(k))).toEqual([k]);
        }
      }
    }
  });

  it('lists every entry of every active keymap in help', () => {
    const text = helpLines(ALL_KEYMAPS).map((l) => l.text).join('\n');
    for (const m of ALL_KEYMAPS) {
      if (m.context === 'help') continue;
      for (const b of m.bindings) expect(text).toContain(b.description);
    }
  });

  it('cuts the footer to the width', () => {
    const line = footerItems(ALL_KEYMAPS, 40);
    expect(line.length).toBeLessThanOrEqual(40);
    expect(line).toContain('help');
  });
});

describe('parseKeys', () => {
  it('splits a chunk into keys, escape sequences included', () => {
    expect(parseKeys('ab\r\x1b[A\x1b[Z\x1bOP\x7f\x03 ')).toEqual(['a', 'b', 'enter', 'up', 'shift+tab', 'f1', 'backspace', 'ctrl+c', 'space']);
    expect(parseKeys('\x1b[24~\x1b[5~\x1b[3~')).toEqual(['f12', 'pageup', 'delete']);
  });

  it('reads ESC and the key after it in one read as Esc, then that key (there are no Alt bindings)', () => {
    expect(parseKeys('\x1bq')).toEqual(['esc', 'q']);
    expect(parseKeys('\x1b\x1b[A')).toEqual(['esc', 'up']);
    expect(parseKeys('\x1b\r')).toEqual(['esc', 'enter']);
    expect(parseKeys('\x1b')).toEqual(['esc']);
  });

  it('keeps escape sequences whole: modified arrows, F-keys, and replies it does not name', () => {
    expect(parseKeys('\x1b[1;2A\x1bOQ\x1b[15~\x1b[[A')).toEqual(['shift+up', 'f2', 'f5', 'f1']);
    // A terminal's reply or a focus report is one unknown key, never "?" (help) and digits.
    expect(parseKeys('\x1b[?1;2c\x1b[I')).toEqual(['unknown', 'unknown']);
  });
});
