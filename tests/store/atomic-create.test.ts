import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runBin, tmpDir } from '../helpers/bin.js';

const dir = tmpDir('cbd-create-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a new state file', () => {
  it('is there whole or not at all when its first start is killed', async () => {
    for (let i = 0; i < 12; i++) {
      const file = path.join(dir, `first-${i}.db`);
      // Killed at a different moment of the creation each time: before, during and after.
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'records', 'list', '--limit', '1', '--state', file, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
        setTimeout(() => child.kill('SIGKILL'), 60 + i * 25);
        child.on('exit', () => resolve());
      });
      const leftovers = fs.readdirSync(dir).filter((f) => f.startsWith(`.first-${i}.db`));
      if (fs.existsSync(file)) {
        // Whole: the next run reads it as it is.
        const r = runBin(['records', 'list', '--limit', '1', '--state', file]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
      // A temporary file a killed start left behind is not the state file; the next start makes its own.
      for (const f of leftovers) fs.rmSync(path.join(dir, f));
    }
  }, 120_000);
});
