import { render, type Instance } from 'ink';
import chalk from 'chalk';
import { App } from '../screens/app.js';
import { DeskProvider, type DeskHost } from '../screens/desk-context.js';
import { ThemeProvider, makeTheme } from '../screens/theme.js';
import { DiffingStdout } from './frame-diff.js';

export interface RenderTarget {
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
}

/** Ink's test for a CI (its is-in-ci): there Ink draws only the last frame, on exit. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * How the frames reach the terminal: whole (headless runs, CI), or on a terminal only the cells
 * that changed (frame-diff.ts). `CALLBACK_DESK_DRAW=ink-lines` draws with Ink's own
 * incrementalRendering instead (the lines that changed, whole): `npm run bench` measures the two
 * side by side.
 */
export function drawMode(stdout: RenderTarget['stdout'], debug: boolean, env: NodeJS.ProcessEnv = process.env): 'whole' | 'changes' | 'ink-lines' {
  if (debug || (stdout as NodeJS.WriteStream).isTTY !== true || inCi(env)) return 'whole';
  return env.CALLBACK_DESK_DRAW === 'ink-lines' ? 'ink-lines' : 'changes';
}

/**
 * Renders the desktop. `debug` makes every write a whole frame (headless runs read it). On a
 * terminal, Ink draws into a DiffingStdout, which writes only what changed: an idle second is
 * the clock's digits.
 */
export function renderDesk(host: DeskHost, color: boolean, target: RenderTarget, debug = false): Instance {
  // Ink colours through chalk, which ignores NO_COLOR: the theme decides and chalk follows. A
  // headless run has no terminal to ask, so it records full colour.
  // Without colour, chalk still draws inverse and bold (NO_COLOR forbids colour, not
  // emphasis): the cursor of a text field is inverse video. The theme picks no colour then.
  chalk.level = color ? chalk.level || 3 : 1;
  const mode = drawMode(target.stdout, debug);
  const diffing = mode === 'changes' ? new DiffingStdout(target.stdout as NodeJS.WriteStream) : null;
  return render(
    <DeskProvider value={host}>
      <ThemeProvider value={makeTheme(color)}>
        <App />
      </ThemeProvider>
    </DeskProvider>,
    {
      stdin: target.stdin as NodeJS.ReadStream,
      stdout: (diffing ?? target.stdout) as NodeJS.WriteStream,
      stderr: (target.stderr ?? target.stdout) as NodeJS.WriteStream,
      debug,
      // Ink renders at most once per 1000/maxFps ms: the first render at once, the next after the
      // interval. A key a moment after a clock tick waits at most 9 ms, not 34 (the default 30).
      maxFps: mode === 'whole' ? undefined : 120,
      incrementalRendering: mode === 'ink-lines',
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
}
