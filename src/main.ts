import { runCli } from './cli.js';
import { visibleLines } from './runtime/visible-text.js';

/** The bin's entry: real process, real clock. Unexpected errors get one line, not a stack. */
export async function main(): Promise<void> {
  // The reader went away (`| head`): what was asked is done and saved; stop quietly. A full
  // disk under a redirection is said in one line.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream === process.stdout) {
        process.stderr.write(`callback-desk: cannot write the output: ${e.code === 'ENOSPC' ? 'no space left on the device' : e.message}\n`);
      }
      process.exit(1);
    });
  }
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
    process.stderr.write(`callback-desk: ${visibleLines((e as Error).message)}\n`);
    if (process.env.CALLBACK_DESK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}
