// `npm test` after the build: the type check and the test suite side by side (the type check
// takes half a minute of one core while the suite's first files start), failing if either fails.
import { spawn } from 'node:child_process';

const run = (args) =>
  new Promise((resolve) => {
    const p = spawn(process.execPath, args, { stdio: 'inherit' });
    p.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const [types, tests] = await Promise.all([run(['node_modules/typescript/bin/tsc', '--noEmit']), run(['node_modules/vitest/vitest.mjs', 'run'])]);
if (types !== 0) console.error('npm test: the type check failed (tsc --noEmit)');
process.exit(types || tests);
