import { spawnSync } from 'node:child_process';

/**
 * A program a test drives from outside (script, asciinema): without it the test fails, naming
 * the Debian package to install, instead of skipping (a skipped test reads as a pass in a
 * summary nobody opens). `.ci/run` installs them.
 */
export function requireTool(program: string, versionArgs: string[], debianPackage: string): void {
  const r = spawnSync(program, versionArgs, { encoding: 'utf8' });
  if (r.status === 0) return;
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const why = missing ? 'is not installed (not found on PATH)' : `does not run (${program} ${versionArgs.join(' ')}: ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`;
  throw new Error(`${program} ${why}: this test needs it (apt-get install ${debianPackage}; .ci/run installs it)`);
}
