import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, runBinAsync, tmpDir } from '../helpers/bin.js';

/**
 * An option given twice in one place is refused (commander would silently use the last one):
 * one line on stderr, exit 2, and nothing made or changed.
 */
describe('an option given twice', () => {
  const dir = tmpDir('cbd-twice-');
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');
  const cases: [string[], string][] = [
    [['records', 'list', '--state', a, '--state', b], '--state is given twice to "records list"'],
    [['--seed', '1', '--seed', '2', 'records', 'list', '--state', a], '--seed is given twice'],
    [['callbacks', 'add', '--state', a, '--record', '1001', '--record', '1003', '--at', 'tomorrow 10:00'], '--record is given twice to "callbacks add"'],
    [['callbacks', 'add', '--state', a, '--record', '1001', '--at', 'tomorrow 10:00', '--at', 'tomorrow 11:00'], '--at is given twice to "callbacks add"'],
    [['records', 'list', '--state', a, '--limit', '1', '--limit', '2'], '--limit is given twice to "records list"'],
    [['records', 'list', '--state', a, '--json', '--json'], '--json is given twice to "records list"'],
  ];
  // The refusals side by side (it.concurrent); the test that makes a.db after all of them.
  for (const [args, message] of cases) {
    it.concurrent(`${args.join(' ')}: refused`, async () => {
      const r = await runBinAsync(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`callback-desk: ${message}; give it once\n`);
      expect(r.stdout).toBe('');
      expect(fs.existsSync(a)).toBe(false);
      expect(fs.existsSync(b)).toBe(false);
    });
  }
  it('the same world option before and after a command is still one value', () => {
    const r = runBin(['--state', a, 'records', 'list', '--state', a, '--limit', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(3);
  });
});
