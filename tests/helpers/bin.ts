import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = path.resolve('bin/callback-desk.js');

/**
 * The bin's environment. Without NODE_EXTRA_CA_CERTS: where it is set (this machine sets it to
 * the system's bundle), every node process reads and parses those certificates as it starts,
 * about 25 ms of CPU a run of the bin, and a run here never opens a TLS connection.
 */
function binEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...inherited } = process.env;
  return { ...inherited, NO_COLOR: '1', CI: 'false', ...env };
}

/**
 * A run that never ends is killed after this long. Beside a busy machine a demo took over a
 * minute (killed at the 60 s this was); the tests' own bound is two minutes (vitest.config.ts).
 */
const KILL_AFTER_MS = 120_000;

/** Runs the built bin with no terminal (stdin closed), as scripts and CI do. */
export function runBin(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: binEnv(env),
    timeout: KILL_AFTER_MS,
  });
}

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * runBin without blocking this process: its timers go on meanwhile, and several runs can wait
 * at once (a test file's independent cases side by side).
 */
export function runBinAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: binEnv(env), timeout: KILL_AFTER_MS });
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
