import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = path.resolve('bin/callback-desk.js');

const binEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: '1', CI: 'false', ...env });

/** Runs the built bin with no terminal (stdin closed), as scripts and CI do. */
export function runBin(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: binEnv(env),
    timeout: 115_000,
  });
}

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * runBin without blocking this process: its timers go on meanwhile, and several runs can wait
 * at once (a test file's independent cases side by side). Killed after 115 s: a bin that never
 * ends goes before the test's own 120 s do, so no child is left behind (a demo takes over 60 s
 * at load 20).
 */
export function runBinAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: binEnv(env), timeout: 115_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const made: string[] = [];
process.once('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A new directory under the system's temporary one, removed when this test process exits. */
export function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
