import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runBin, tmpDir } from '../helpers/bin.js';

const dir = tmpDir('cbd-create-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a new state file', () => {
  it('is there whole or not at all when its first start is killed', async () => {
    let whole = 0;
    for (let i = 0; i < 13; i++) {
      const file = path.join(dir, `first-${i}.db`);
      // Killed at a different moment of the creation each time: before, during and after; the
      // last run is killed as soon as the file is there, so the "after" case is always tried,
      // however slow the machine (under load every timed kill may come before the file).
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'records', 'list', '--limit', '1', '--state', file, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
        let timer: NodeJS.Timeout;
        if (i < 12) timer = setTimeout(() => child.kill('SIGKILL'), 60 + i * 25);
        else {
          const deadline = Date.now() + 30_000;
          const poll = () => (fs.existsSync(file) || Date.now() > deadline ? child.kill('SIGKILL') : (timer = setTimeout(poll, 2)));
          poll();
        }
        child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const leftovers = fs.readdirSync(dir).filter((f) => f.startsWith(`.first-${i}.db`));
      const existed = fs.existsSync(file);
      if (existed) whole++;
      // Whole, or not there: either way the next run reads it (or makes it) and answers; a file
      // that was there is read as it is, so nothing is said about creating it.
      const r = runBin(['records', 'list', '--limit', '1', '--state', file, '--now', '2026-11-24T15:00:00Z']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.includes('did not exist; created it'), r.stderr).toBe(!existed);
      expect(r.stdout).not.toBe('');
      expect(fs.existsSync(file)).toBe(true);
      // A temporary file a killed start left behind is not the state file; the next start makes its own.
      for (const f of leftovers) fs.rmSync(path.join(dir, f), { force: true });
    }
    expect(whole).toBeGreaterThan(0);
  }, 180_000);
});
