import { describe, expect, it } from 'vitest';
import { DemoScriptError, parseDemoScript, parseDuration, parseInstant } from '../../src/runtime/demo-script.js';

const isZone = (z: string) => ['America/New_York', 'UTC'].includes(z);

describe('demo scripts', () => {
  it('parses settings and steps, skipping comments and blank lines', () => {
    const s = parseDemoScript('# hi\nsize 100x30\nseed 7\nnow 2026-03-06T14:00:00Z\ntz America/New_York\nagent a.lopez\n\nkey enter\ntype hello world\nadvance 1h30m\nwait 2s\nexpect My Campaigns\nsnapshot main\n', isZone);
    expect(s.settings).toEqual({ columns: 100, rows: 30, seed: 7, now: Date.UTC(2026, 2, 6, 14), tz: 'America/New_York', agent: 'a.lopez' });
    expect(s.steps.map((x) => x.kind)).toEqual(['key', 'type', 'advance', 'wait', 'expect', 'snapshot']);
    expect(s.steps[1]).toMatchObject({ text: 'hello world' });
    expect(s.steps[2]).toMatchObject({ ms: 90 * 60_000 });
  });

  it.each([
    ['key nope', 1, 'unknown key'],
    ['size big', 1, 'COLUMNSxROWS'],
    ['tz Mars/Base', 1, 'unknown time zone'],
    ['key enter\nfly away', 2, 'unknown command'],
    ['now yesterday', 1, 'ISO instant'],
    ['expect', 1, 'needs'],
  ])('%j is refused at line %i', (src, line, msg) => {
    try {
      parseDemoScript(src, isZone);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DemoScriptError);
      expect((e as DemoScriptError).line).toBe(line);
      expect((e as Error).message).toContain(msg);
    }
  });

  it('reads durations and instants', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('2 hours')).toBeNull();
    expect(parseInstant('2026-11-24T10:00:00-07:00')).toBe(Date.UTC(2026, 10, 24, 17));
    expect(parseInstant('2026-11-24 10:00')).toBeNull();
  });
});
