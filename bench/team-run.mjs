// The team load figure of issue 20 (bench/team-load.ts), bundled and printed: `npm run bench`
// prints it after the others; `node bench/team-run.mjs` (after `npm run build`) prints it alone.
// CALLBACK_DESK_BENCH_TEAM_SECONDS: how long the agents work (default 180, as issue 20 asks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const GOALS = { sqlite: { p95: 50, p99: 250, max: 1000 }, postgres: { p95: 50, p99: 200, max: null } };

export async function runTeamSection() {
  const seconds = Number(process.env.CALLBACK_DESK_BENCH_TEAM_SECONDS ?? 180);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-bench-team-'));
  try {
    const outfile = path.join(dir, 'team-load.mjs');
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    await build({
      entryPoints: ['bench/team-load.ts'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
      external: ['better-sqlite3', 'esbuild', 'moment-timezone', 'chrono-node', 'libphonenumber-js', 'pg-native'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const { teamLoadFigures } = await import(pathToFileURL(outfile).href);
    console.log('team load: a host (a second one waiting) and N agent processes, each a command every 3 s for %d s, the host SIGKILLed half way (CALLBACK_DESK_BENCH_TEAM_SECONDS)', seconds);
    const results = await teamLoadFigures(seconds, (s) => console.log(s));
    for (const r of results) {
      const g = GOALS[r.backend];
      const goal = `goal p95 < ${g.p95}, p99 < ${g.p99}${g.max ? `, max < ${g.max}` : ''}`;
      console.log('  %s, %d agents: %d commands (%d refused, %d busy retries): p50 %s ms, p95 %s ms, p99 %s ms, max %s ms (%s); slowest: %s', r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL', r.agents, r.commands, r.refused, r.busyRetries, r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1), r.max.toFixed(0), goal, r.slowest);
      if (r.refusedWhy.length) console.log('    refused: %s', r.refusedWhy.join('; '));
      console.log('    acknowledged writes present afterwards: %d of %d%s', r.acked - r.ackedMissing.length, r.acked, r.ackedMissing.length ? ` (missing: ${r.ackedMissing.slice(0, 5).join('; ')})` : '');
      console.log('    callbacks booked %d, delivered %d, delivered twice %d%s, personal to another agent %d%s', r.callbacksBooked, r.callbacksDelivered, r.deliveredTwice.length, r.deliveredTwice.length ? ` (${r.deliveredTwice.slice(0, 3).join('; ')})` : '', r.wrongOwner.length, r.wrongOwner.length ? ` (${r.wrongOwner.slice(0, 3).join('; ')})` : '');
      console.log('    host failover (SIGKILL to the host holding the lease): %s (goal < 2000 ms)', r.failoverNote || `${r.failoverMs} ms`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await runTeamSection();
