// The baseline: a bundled bare Ink app that reads keys, for the start-up ratio.

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { render, Text, useInput } from 'ink';

function Hello() {
  useInput(() => {});
  return <Text>hello</Text>;
}

const app = render(<Hello />);
setImmediate(() => {
  const cpu = process.cpuUsage();
  if (process.env.CALLBACK_DESK_STARTUP_FILE) fs.writeFileSync(process.env.CALLBACK_DESK_STARTUP_FILE, `${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
  app.unmount();
});
