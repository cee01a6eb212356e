import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { terminalJson, visibleLines, visibleText } from '../../src/runtime/visible-text.js';
import chalk from 'chalk';
import { Text } from '../../src/screens/components/text.js';
import { TextField } from '../../src/screens/components/text-field.js';
import { stripAnsi } from '../../src/runtime/headless-terminal.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ALL_CONTROLS = Array.from({ length: 0xa0 }, (_, c) => c).filter((c) => c < 0x20 || c >= 0x7f);

describe('visibleText: control characters drawn as one visible cell each', () => {
  it('draws C0 as its control picture (ESC as ␛), tab as a space, DEL as ␡ and C1 as ␦', () => {
    expect(visibleText('\x1b]52;c;aGVsbG8=\x07')).toBe('␛]52;c;aGVsbG8=␇');
    expect(visibleText('a\x00b\rc\nd')).toBe('a␀b␍c␊d');
    expect(visibleText('tab\there')).toBe('tab here');
    expect(visibleText('del\x7f')).toBe('del␡');
    expect(visibleText('csi\u009b31m nel\u0085')).toBe('csi␦31m nel␦');
  });

  it('leaves every control out, keeps the length, and gives each sign one cell', () => {
    for (const c of ALL_CONTROLS) {
      const shown = visibleText(String.fromCharCode(c));
      expect(shown).toHaveLength(1);
      expect(shown).not.toMatch(RAW_CONTROL);
      expect(stringWidth(shown)).toBe(1);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const shown = visibleText(s);
        expect(shown).toHaveLength(s.length);
        expect(shown).not.toMatch(RAW_CONTROL);
        expect(visibleText(shown)).toBe(shown);
      }),
    );
  });

  it('returns text without controls as it is (names in any script)', () => {
    for (const s of ['Ana López', 'Łukasz Żółw', '山田 太郎', 'O’Brien 👍', '']) expect(visibleText(s)).toBe(s);
  });

  it('visibleLines keeps our line breaks and draws the rest', () => {
    expect(visibleLines('one\x1b[31m\ntwo\r\n')).toBe('one␛[31m\ntwo␍\n');
  });
});

describe('terminalJson: DEL and C1 escaped, the same JSON', () => {
  it('escapes U+007F to U+009F as \\u007f.., which JSON.stringify writes raw', () => {
    const v = { name: 'a\x7fb\u009bc\u0085', n: 1 };
    const raw = JSON.stringify(v);
    expect(raw).toMatch(/[\u007f-\u009f]/);
    const safe = terminalJson(raw);
    expect(safe).toBe('{"name":"a\\u007fb\\u009bc\\u0085","n":1}');
    expect(safe).not.toMatch(RAW_CONTROL);
  });

  it('reads back as the same values, whatever they hold', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        for (const x of [v, { s }]) {
          const safe = terminalJson(JSON.stringify(x, null, 2));
          expect(safe.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
          expect(JSON.parse(safe)).toEqual(JSON.parse(JSON.stringify(x)));
        }
      }),
    );
  });
});

describe('the Text every screen draws with', () => {
  it('draws strings, nested texts and fragments with their controls visible', () => {
    const name = 'x\x1b]0;PWNED\x07\u009b2J';
    const { lastFrame } = render(
      <Text>
        Name: {name}{' '}
        <Text bold>
          <>{name}</>
        </Text>
        {[name, 'y'].map((n) => (
          <Text key={n}>{n}</Text>
        ))}
      </Text>,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Name: x␛]0;PWNED␇␦2J');
    expect(frame).not.toMatch(/\x07|\u009b|\x1b\]/);
    expect(frame.match(/x␛]0;PWNED␇␦2J/g)).toHaveLength(3);
  });

  it('draws a text field holding controls as signs, with its cursor in inverse video (a nested Text, not chalk escapes drawn as signs)', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      // The cursor on "[", the character after the ESC.
      const { lastFrame } = render(<TextField value={'a\x1b[31mb\rc'} cursor={2} focused />);
      const frame = lastFrame() ?? '';
      expect(stripAnsi(frame)).toBe('a␛[31mb␍c');
      expect(frame).toContain('\x1b[7m[\x1b[27m');
      expect(frame.replace(/\x1b\[2?7m/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    } finally {
      chalk.level = level;
    }
  });

  it('is the only Text under src/screens: no file there imports Ink\'s own, nor ink-text-input or ink-select-input (each reads the keyboard itself)', () => {
    const root = path.resolve('src/screens');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(30);
    const offenders: string[] = [];
    for (const f of files) {
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of src.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]ink['"]/g)) {
        const names = m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, ''));
        if (names.includes('Text') && f !== path.join('components', 'text.tsx')) offenders.push(`${f} imports Text from 'ink'`);
      }
      if (/from\s*['"]ink['"]/.test(src) && /\bink\.Text\b|import\s+\*\s+as\s+\w+\s+from\s*['"]ink['"]/.test(src)) offenders.push(`${f} imports all of ink`);
      if (/from\s*['"]ink-text-input['"]/.test(src)) offenders.push(`${f} uses ink-text-input`);
      if (/from\s*['"]ink-select-input['"]/.test(src)) offenders.push(`${f} uses ink-select-input`);
    }
    expect(offenders).toEqual([]);
  });
});
