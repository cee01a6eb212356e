import { render, type Instance } from 'ink';
import chalk from 'chalk';
import { App } from '../screens/app.js';
import { DeskProvider, type DeskHost } from '../screens/desk-context.js';
import { ThemeProvider, makeTheme } from '../screens/theme.js';

export interface RenderTarget {
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
}

/** Renders the desktop. `debug` makes every write a whole frame (headless runs read it). */
export function renderDesk(host: DeskHost, color: boolean, target: RenderTarget, debug = false): Instance {
  // Ink colours through chalk, which ignores NO_COLOR: the theme decides and chalk follows. A
  // headless run has no terminal to ask, so it records full colour.
  // Without colour, chalk still draws inverse and bold (NO_COLOR forbids colour, not
  // emphasis): the cursor of a text field is inverse video. The theme picks no colour then.
  chalk.level = color ? chalk.level || 3 : 1;
  return render(
    <DeskProvider value={host}>
      <ThemeProvider value={makeTheme(color)}>
        <App />
      </ThemeProvider>
    </DeskProvider>,
    {
      stdin: target.stdin as NodeJS.ReadStream,
      stdout: target.stdout as NodeJS.WriteStream,
      stderr: (target.stderr ?? target.stdout) as NodeJS.WriteStream,
      debug,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
}
