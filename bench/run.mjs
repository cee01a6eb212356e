// npm run bench: prints figures; no thresholds fail here. Ratios are measured side by side in
// one run, because the machines are shared and noisy.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { fastAnsiTokenize, fastSliceAnsi, fastStringWidth, sharedOutputCaches, syncYoga } from '../scripts/ink-speedups.mjs';
import { performance } from 'node:perf_hooks';
import { idleBytesPerSecond, percentile, typingLatencies } from './pty.mjs';
import { besideFigures } from './beside.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-bench-'));

/** Bundles a bench entry as scripts/build.mjs bundles the bin (minified, no devtools): like is compared with like. */
async function bundle(entry, outfile, { bare = false } = {}) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['better-sqlite3', 'moment-timezone', 'chrono-node', 'libphonenumber-js'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    // The bare hello is Ink as it comes; the desktop's bundles get the bin's speed-ups.
    plugins: [
      ...(bare ? [] : [fastStringWidth, fastSliceAnsi, fastAnsiTokenize, syncYoga, sharedOutputCaches]),
      {
        name: 'no-ink-devtools',
        setup(b) {
          b.onResolve({ filter: /^\.\/devtools\.js$/ }, () => ({ path: 'x', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};' }));
        },
      },
    ],
    logLevel: 'error',
  });
  return outfile;
}

const hello = await bundle('bench/hello.tsx', path.join(dir, 'hello.js'), { bare: true });
const deskBench = await bundle('bench/desk-bench.tsx', path.join(dir, 'desk-bench.js'));
const volumeBench = await bundle('bench/volume-bench.ts', path.join(dir, 'volume-bench.js'));
const pgServerModule = await bundle('tests/helpers/pg-server.ts', path.join(dir, 'pg-server.js'));
const bookingRaceBench = await bundle('bench/booking-race.ts', path.join(dir, 'booking-race.js'));
fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));

/**
 * Runs a command in a pseudo-terminal (util-linux `script`) of the given size; returns [wall,
 * CPU] ms from process start to its first frame. Its standard input stays open and silent until
 * the command is over, as a terminal nobody types in: from /dev/null, `script` saw its end at
 * once and passed the pty a NUL byte, which the desktop took for a key (Ctrl+Space) and drew a
 * second frame for, before the point measured.
 */
async function startup(cmd, size = '80x24') {
  const out = path.join(dir, 'startup.txt');
  fs.rmSync(out, { force: true });
  const [cols, rows] = size.split('x');
  const child = spawn('script', ['-qec', `stty cols ${cols} rows ${rows}; exec ${cmd}`, '/dev/null'], { env: { ...process.env, CI: 'false', CALLBACK_DESK_STARTUP_FILE: out }, stdio: ['pipe', 'ignore', 'ignore'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
  clearTimeout(timer);
  child.stdin.end();
  if (code !== 0) throw new Error(`${cmd}: exited with ${code} before its first frame was timed`);
  return fs.readFileSync(out, 'utf8').split(' ').map(Number);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 15);
const bin = `${process.execPath} bin/callback-desk.js`;
const state = path.join(dir, 'state.db');
// The first desktop run creates the state file; measure warm starts on an existing file.
await startup(`${bin} --state ${state}`);
// A state whose agent is still logged in: its first frame is the whole main window. Each start
// gets a fresh copy, so every one restores the same session.
const loggedIn = path.join(dir, 'logged-in.db');
const loginScript = path.join(dir, 'login.demo');
fs.writeFileSync(loginScript, 'key enter\nexpect My Campaigns\n');
execFileSync(process.execPath, ['bin/callback-desk.js', 'demo', loginScript, '--state', loggedIn], { stdio: 'ignore' });
let copies = 0;
const loggedInCopy = () => {
  const f = path.join(dir, `logged-in-${copies++}.db`);
  fs.copyFileSync(loggedIn, f);
  return f;
};
console.log('start-up to the first interactive frame in a pty, side by side (median of %d; ms since process start, wall and CPU; goal: ratio <= 1.3)', runs);
for (const size of ['80x24', '100x30']) {
  // Interleaved, so a noisy neighbour slows all three alike.
  const starts = { bare: [], ephemeral: [], fresh: [], login: [], main: [] };
  for (let i = 0; i < runs; i++) {
    starts.bare.push(await startup(`${process.execPath} ${hello}`, size));
    starts.ephemeral.push(await startup(`${bin} --ephemeral`, size));
    // The very first start: no file yet, the world built and written.
    starts.fresh.push(await startup(`${bin} --state ${path.join(dir, `fresh-${size}-${i}.db`)}`, size));
    starts.login.push(await startup(`${bin} --state ${state}`, size));
    starts.main.push(await startup(`${bin} --state ${loggedInCopy()}`, size));
  }
  const wall = (k) => median(starts[k].map((x) => x[0]));
  const cpu = (k) => median(starts[k].map((x) => x[1]));
  console.log('  %s  bare Ink "hello" (bundled)     %s ms   CPU %s ms', size.padEnd(6), wall('bare').toFixed(1).padStart(6), cpu('bare').toFixed(1).padStart(6));
  for (const [k, label] of [['ephemeral', '--ephemeral (world in memory)'], ['fresh', 'a new state file (first start)'], ['login', 'login screen (existing state) '], ['main', 'logged-in state (main window)']]) {
    console.log('          callback-desk, %s %s ms   CPU %s ms   ratio %s (CPU %s)', label, wall(k).toFixed(1).padStart(6), cpu(k).toFixed(1).padStart(6), (wall(k) / wall('bare')).toFixed(2), (cpu(k) / cpu('bare')).toFixed(2));
  }
}
console.log('');
// What an idle desktop writes to its terminal, and typing at 30 keys a second, on a real pty:
// the desktop's drawing (frame-diff.ts, only the cells that changed) beside Ink 6.8's own
// incrementalRendering (only the lines that changed), interleaved so a noisy neighbour slows
// both alike.
const draws = [
  ['frame-diff.ts (ours)', {}],
  ["Ink's incrementalRendering", { CALLBACK_DESK_DRAW: 'ink-lines' }],
];
const drawn = draws.map(([name]) => ({ name, login: 0, main: 0, typed: [] }));
for (const [i, [, env]] of draws.entries()) {
  drawn[i].login = await idleBytesPerSecond(`${bin} --state ${state}`, 'agent login', 5, env);
  drawn[i].main = await idleBytesPerSecond(`${bin} --state ${loggedInCopy()}`, 'My Campaigns', 5, env);
}
for (let round = 0; round < 3; round++) {
  for (const [i, [, env]] of draws.entries()) drawn[i].typed.push(...(await typingLatencies(`${bin} --state ${loggedInCopy()}`, { perSecond: 30, keys: 150, env })));
}
console.log('drawing, side by side in a 100x30 pty: bytes written to the terminal an idle second (5 s; goal < 300), and key to frame');
console.log('typing into Team Communicator at 30 keys/s (%d keys each; goal p95 < 16 ms)', drawn[0].typed.length);
for (const d of drawn) {
  const t = d.typed;
  console.log('  %s idle: login %s B/s, main window %s B/s   typing: median %s ms, p95 %s ms, slowest %s ms', d.name.padEnd(27), d.login.toFixed(0).padStart(5), d.main.toFixed(0).padStart(6), percentile(t, 0.5).toFixed(1), percentile(t, 0.95).toFixed(1), Math.max(...t).toFixed(1));
}
{
  const [ours, ink] = drawn;
  console.log('  Ink / ours: idle main window %sx, typing p95 %sx', (ink.main / ours.main).toFixed(1), (percentile(ink.typed, 0.95) / percentile(ours.typed, 0.95)).toFixed(2));
}
console.log('');
const bench = await import(deskBench);
await bench.benchAvailability();
console.log('');
await bench.benchGridKey();
console.log('');
await bench.benchDialer();
console.log('');
await bench.benchAging();
console.log('');
// A million records: the state file is built once, then the desktop's hot paths and whole
// processes are timed on it, the bare Ink hello beside the bin as before.
// BENCH_VOLUME=0 stops here (the volume part takes minutes).
if (process.env.BENCH_VOLUME === '0') {
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const volume = await import(volumeBench);
const big = path.join(dir, 'volume.db');
const built = await volume.buildVolumeState(big, Number(process.env.BENCH_RECORDS ?? 1_000_000));
console.log('volume state written in %s s', (built.ms / 1000).toFixed(1));
await volume.benchVolume(big);
const bigDesk = [];
const bigBare = [];
for (let i = 0; i < Math.min(runs, 7); i++) {
  bigBare.push((await startup(`${process.execPath} ${hello}`))[0]);
  bigDesk.push((await startup(`${bin} --state ${big}`))[0]);
}
console.log('  desktop first frame on it            %s ms vs bare Ink hello %s ms: ratio %s (goal <= 1.3)', median(bigDesk).toFixed(1), median(bigBare).toFixed(1), (median(bigDesk) / median(bigBare)).toFixed(2));
const timed = (args) => {
  const t = performance.now();
  execFileSync(process.execPath, ['bin/callback-desk.js', ...args, '--state', big], { stdio: 'ignore', maxBuffer: 1 << 30 });
  return performance.now() - t;
};
console.log('  slots --json --days 30 (process)     %s ms (goal < 200 ms)', timed(['slots', '--service', 'billing', '--days', '30', '--json']).toFixed(0));
/** Peak resident memory of a command, from GNU time (KB), or null where it is not installed. */
const peakRss = (args) => {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/callback-desk.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) return null;
  return Number(r.stderr.trim().split('\n').pop());
};
const rss = peakRss(['records', 'list', '--jsonl', '--state', big]);
console.log('  records list --jsonl, every record   peak RSS %s (goal < 150 MB)', rss === null ? 'not measured (no /usr/bin/time)' : `${(rss / 1024).toFixed(0)} MB`);
// Import, beside the sqlite3 shell's .import of the same CSV into a plain table (the anchor).
const csv = path.join(dir, 'list.csv');
const rows = Number(process.env.BENCH_RECORDS ?? 1_000_000);
volume.writeCallingListCsv(csv, rows);
const fresh = path.join(dir, 'import.db');
execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'list', '--limit', '1', '--state', fresh, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
// The volume state and the CSV were just written: their pages go to disk now, not while the
// import and its anchor are timed.
try {
  execFileSync('sync');
} catch {
  // no sync(1): timed as it is
}
let t0 = performance.now();
execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'import', csv, '--campaign', 'care-follow-up', '--state', fresh], { stdio: 'ignore' });
const importMs = performance.now() - t0;
let anchorMs = null;
try {
  const anchor = path.join(dir, 'anchor.db');
  t0 = performance.now();
  execFileSync('sqlite3', [anchor, '.mode csv', `.import ${csv} t`], { stdio: 'ignore' });
  anchorMs = performance.now() - t0;
} catch {
  anchorMs = null;
}
console.log('  records import of %d rows           %s s, %s records/s (goal >= 100,000/s)', rows, (importMs / 1000).toFixed(1), Math.round(rows / (importMs / 1000)).toLocaleString('en-US'));
// A second anchor, like for like: the sqlite3 shell moving the same rows into the same indexed
// tables of a fresh state file (.import into a plain table, then INSERT ... SELECT), no checks.
let sqlMs = null;
try {
  const like = path.join(dir, 'like.db');
  execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'list', '--limit', '1', '--state', like, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
  const moveSql = [
    'BEGIN;',
    "INSERT INTO calling_list (record_id, contact_info, contact_info_type, record_type, record_status, call_result, attempt, daily_from, daily_till, tz_dbid, tz, campaign_id, chain_id, chain_n, group_id, contact_id, treatments) SELECT 20000000 + rowid, contact_info, 0, 2, 1, 28, 0, CAST(daily_from AS INTEGER), CAST(daily_till AS INTEGER), 1, tz, 'care-follow-up', 30000000 + rowid, 1, 'outbound-team', 'C' || (30000000 + rowid), '[]' FROM staging;",
    "INSERT INTO contact (id, first_name, last_name, tz, email, fields) SELECT 'C' || (30000000 + rowid), first_name, last_name, tz, '', json_object('Account', Account, 'Balance', Balance) FROM staging;",
    'COMMIT;',
  ].join('\n');
  t0 = performance.now();
  execFileSync('sqlite3', [like, '.mode csv', `.import --schema temp ${csv} staging`, moveSql], { stdio: 'ignore' });
  sqlMs = performance.now() - t0;
} catch {
  sqlMs = null;
}
console.log('  sqlite3 .import of the same CSV      %s (goal: import within 2x)', anchorMs === null ? 'not measured (no sqlite3)' : `${(anchorMs / 1000).toFixed(1)} s, ratio ${(importMs / anchorMs).toFixed(2)}`);
console.log('  sqlite3 into the same indexed tables %s', sqlMs === null ? 'not measured (no sqlite3)' : `${(sqlMs / 1000).toFixed(1)} s, ratio ${(importMs / sqlMs).toFixed(2)}`);
// The floors under the ratio (see importFloors): what better-sqlite3 needs for the anchor's own
// work, and for the import's writes alone into the state file's tables and indexes.
{
  const floorState = path.join(dir, 'floor.db');
  execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'list', '--limit', '1', '--state', floorState, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
  const floor = volume.importFloors(csv, path.join(dir, 'floor-plain.db'), floorState);
  const vsAnchor = (ms) => (anchorMs === null ? '' : `, ${(ms / anchorMs).toFixed(2)}x the anchor`);
  console.log('  floor: better-sqlite3, plain table   %s s%s (the anchor\'s work through the library)', (floor.plainMs / 1000).toFixed(1), vsAnchor(floor.plainMs));
  console.log('  floor: writes alone, state tables    %s s%s; the import is %s of it', (floor.schemaMs / 1000).toFixed(1), vsAnchor(floor.schemaMs), `${(importMs / floor.schemaMs).toFixed(2)}x`);
}
// The same CSV into PostgreSQL (COPY into a staging table, checked, INSERT ... SELECT), beside
// psql's \copy of it into a temporary table and INSERT ... SELECT into the same tables and
// indexes (the anchor: no checks). A throwaway server (tests/helpers/pg-server.ts), or the one
// CALLBACK_DESK_BENCH_PG_URL names (its database postgres is where the bench makes its own).
{
  let server = null;
  let url = process.env.CALLBACK_DESK_BENCH_PG_URL ?? null;
  try {
    if (!url) {
      const { startPgServer } = await import(pgServerModule);
      server = await startPgServer();
      url = server.url;
    }
    const psql = (db, args) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', withDb(url, db), ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
    const withDb = (u, db) => Object.assign(new URL(u), { pathname: `/${db}` }).toString();
    const fresh = (db) => {
      psql('postgres', ['-c', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`]);
      execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'list', '--limit', '1', '--state', withDb(url, db), '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
      return withDb(url, db);
    };
    const state = fresh('bench_import');
    const anchorDb = fresh('bench_anchor');
    // First frame on a PostgreSQL state (goal: at most 1.5x the bare Ink hello), interleaved.
    const pgFirstFrame = async (label) => {
      const bare = [];
      const desk = [];
      for (let i = 0; i < Math.min(runs, 9); i++) {
        bare.push((await startup(`${process.execPath} ${hello}`))[0]);
        desk.push((await startup(`${bin} --state ${state}`))[0]);
      }
      console.log('  PostgreSQL: desktop first frame, %s %s ms vs bare Ink hello %s ms: ratio %s (goal <= 1.5)', label, median(desk).toFixed(1), median(bare).toFixed(1), (median(desk) / median(bare)).toFixed(2));
    };
    const anchorSql = path.join(dir, 'anchor.sql');
    fs.writeFileSync(
      anchorSql,
      [
        'BEGIN;',
        'CREATE TEMP TABLE staging (contact_info text, daily_from int, daily_till int, tz text, first_name text, last_name text, "Account" text, "Balance" text) ON COMMIT DROP;',
        `\\copy staging FROM '${csv}' WITH (FORMAT csv, HEADER true)`,
        "INSERT INTO calling_list (record_id, contact_info, contact_info_type, record_type, record_status, call_result, attempt, daily_from, daily_till, tz_dbid, tz, campaign_id, chain_id, chain_n, group_id, contact_id, treatments) SELECT 20000000 + n, contact_info, 0, 2, 1, 28, 0, daily_from, daily_till, 1, tz, 'care-follow-up', 30000000 + n, 1, 'outbound-team', 'C' || (30000000 + n), '[]' FROM (SELECT s.*, row_number() OVER () AS n FROM staging s) x;",
        "INSERT INTO contact (id, first_name, last_name, tz, email, fields, rowid) SELECT 'C' || (30000000 + n), first_name, last_name, tz, '', json_build_object('Account', \"Account\", 'Balance', \"Balance\")::text, 40000000 + n FROM (SELECT s.*, row_number() OVER () AS n FROM staging s) x;",
        'COMMIT;',
      ].join('\n'),
    );
    // The anchor once, untimed, into a database dropped after: a new server makes its WAL
    // files as the first large load writes (16 MB each, zeroed), which the import, timed first,
    // paid alone; now neither does.
    const warmDb = fresh('bench_warm');
    execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', warmDb, '-f', anchorSql], { stdio: ['ignore', 'ignore', 'inherit'] });
    psql('postgres', ['-c', 'DROP DATABASE bench_warm']);
    await pgFirstFrame('the demo world');
    t0 = performance.now();
    execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'import', csv, '--campaign', 'care-follow-up', '--state', state], { stdio: 'ignore' });
    const pgImportMs = performance.now() - t0;
    await pgFirstFrame(`${rows} more records`);
    await volume.benchVolumeOn(state);
    t0 = performance.now();
    execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', anchorDb, '-f', anchorSql], { stdio: ['ignore', 'ignore', 'inherit'] });
    const psqlMs = performance.now() - t0;
    console.log('  PostgreSQL: records import of %d rows %s s, %s records/s (goal >= 100,000/s)', rows, (pgImportMs / 1000).toFixed(1), Math.round(rows / (pgImportMs / 1000)).toLocaleString('en-US'));
    console.log('  psql \\copy into the same tables     %s s, ratio %s (goal: import within 1.5x)', (psqlMs / 1000).toFixed(1), (pgImportMs / psqlMs).toFixed(2));
    const pgRss = peakRss(['records', 'list', '--jsonl', '--state', state]);
    console.log('  PostgreSQL: records list --jsonl, every record: peak RSS %s (goal < 150 MB)', pgRss === null ? 'not measured (no /usr/bin/time)' : `${(pgRss / 1024).toFixed(0)} MB`);
    const exportRss = peakRss(['records', 'export', '--campaign', 'care-follow-up', '--state', state]);
    console.log('  PostgreSQL: records export of them:    peak RSS %s', exportRss === null ? 'not measured' : `${(exportRss / 1024).toFixed(0)} MB`);
    // The desktop beside an import of the same CSV and beside scripts, and bookings racing:
    // SQLite beside PostgreSQL, each on states of its own.
    const { bookingRace } = await import(bookingRaceBench);
    await besideFigures({
      bin,
      csv,
      rows,
      bookingRace,
      fresh: (backend, name) => {
        if (backend === 'postgres') return fresh(`bench_${name}`);
        const file = path.join(dir, `${name}.db`);
        execFileSync(process.execPath, ['bin/callback-desk.js', 'records', 'list', '--limit', '1', '--state', file, '--now', '2026-11-24T15:00:00Z'], { stdio: 'ignore' });
        return file;
      },
      login: (state) => execFileSync(process.execPath, ['bin/callback-desk.js', 'demo', loginScript, '--state', state], { stdio: 'ignore' }),
    });
  } catch (e) {
    console.log('  PostgreSQL import not measured: %s', e.message.split('\n')[0]);
  } finally {
    await server?.stop();
  }
}
// sim over a list of 100,000 records of which 10 are dialable.
const simList = path.join(dir, 'sim.csv');
fs.writeFileSync(simList, ['record_id,contact_info,daily_from,daily_till,tz,record_status,record_type', ...Array.from({ length: 100_000 }, (_, i) => `${i + 1},+1212${String(5550000000 + i).slice(-7)},28800,75600,America/New_York,${i % 10_000 === 0 ? 1 : 3},2`)].join('\n'));
t0 = performance.now();
execFileSync(process.execPath, ['bin/callback-desk.js', 'sim', '--calling-list', simList, '--json'], { stdio: 'ignore' });
console.log('  sim --calling-list, 100,000 records, 10 dialable: %s ms (goal < 500 ms)', (performance.now() - t0).toFixed(0));
// demo advance 30d.
const advance = path.join(dir, 'advance.demo');
fs.writeFileSync(advance, 'key enter\nadvance 30d\n');
t0 = performance.now();
execFileSync(process.execPath, ['bin/callback-desk.js', 'demo', advance], { stdio: 'ignore' });
console.log('  demo advance 30d (logged in)         %s s (goal < 10 s)', ((performance.now() - t0) / 1000).toFixed(1));
fs.rmSync(dir, { recursive: true, force: true });
console.log('');
// A team on one world (issue 20): SQLite with 30 agents and PostgreSQL with 200, side by side.
const { runTeamSection } = await import('./team-run.mjs');
await runTeamSection();
