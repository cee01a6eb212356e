import { runCli } from './cli.js';

/** The bin's entry: real process, real clock. Unexpected errors get one line, not a stack. */
export async function main(): Promise<void> {
  try {
    const code = await runCli({
      argv: process.argv.slice(2),
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      stdinIsTTY: !!process.stdin.isTTY,
      stdoutIsTTY: !!process.stdout.isTTY,
      realNow: () => Date.now(),
    });
    process.exitCode = code;
  } catch (e) {
    process.stderr.write(`callback-desk: ${(e as Error).message}\n`);
    if (process.env.CALLBACK_DESK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}
