import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { isNarrow, narrowWidth } from '../../src/runtime/cell-width.js';

describe('counting cells without Unicode segmentation (the bundle answers string-width with it)', () => {
  it('takes as narrow only characters string-width gives one cell', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (isNarrow(c) && stringWidth(String.fromCharCode(c)) !== 1) wrong.push(`U+${c.toString(16).toUpperCase()}`);
    }
    expect(wrong).toEqual([]);
  });

  it('counts the desktop status line as string-width does, escapes and all, and leaves the rest to it', () => {
    const line = '\x1b[1mAna Lopez\x1b[22m a.lopez │ \x1b[32m● Ready\x1b[39m │ ✉ 3 · ↳ calls 12 ▶ ■ ◐ ⏸ ☎ ⚠ ‹ ›';
    expect(narrowWidth(line)).toBe(stringWidth(line));
    expect(narrowWidth('hello')).toBe(5);
    expect(narrowWidth('')).toBe(0);
    expect(narrowWidth('日本')).toBeNull();
    expect(narrowWidth('⏳ wait')).toBeNull();
    expect(narrowWidth('e\u0301')).toBeNull();
    expect(narrowWidth('👍')).toBeNull();
  });
});
