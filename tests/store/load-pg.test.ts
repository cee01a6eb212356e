import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('loading the PostgreSQL backend', () => {
  it("does not load Node's fetch (undici) for node-postgres's Cloudflare question, and leaves no navigator behind", () => {
    // The bin on a URL where no server listens: node-postgres is loaded, the connection refused.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-load-pg-'));
    const probe = path.join(dir, 'probe.cjs');
    fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\nPROBE undici=${process.moduleLoadList.some((m) => m.includes('undici'))} navigator=${typeof globalThis.navigator}\\n`));\n");
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-r', probe, 'bin/callback-desk.js', 'agents', 'list', '--state', 'postgres://nobody@127.0.0.1:1/none'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      stderr = (e as { stderr: string }).stderr;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    // It did try PostgreSQL (so node-postgres was loaded), and was refused.
    expect(stderr).toContain('cannot reach PostgreSQL at postgres://nobody@127.0.0.1:1/none');
    expect(stderr).toContain('PROBE undici=false navigator=undefined');
  });
});
