// A desktop beside other processes on its state, for `npm run bench` (issue 19): the bin's own
// desktop in a pty (bench/pty.mjs) while `records import` runs into the same state, and while a
// script changes it again and again. The same on a SQLite file and a PostgreSQL database, so
// bench/run.mjs prints them side by side. Prints nothing itself.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { emulatedScreen, keysToFrames, startPty } from './pty.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs the bin without a terminal: its exit code, output, and the instants its first output came and it exited. */
function runBin(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/callback-desk.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let exitedAt = 0;
    let saidAt = Infinity;
    child.stdout.setEncoding('utf8').on('data', (s) => {
      saidAt = Math.min(saidAt, performance.now());
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
    child.once('exit', () => (exitedAt = performance.now()));
    child.once('close', (status) => resolve({ status, stdout, stderr, saidAt, exitedAt }));
  });
}

/** The count in My Callbacks' title once read from the store ("My Callbacks · 3 pending"), else null. */
function myCallbacksCount(screen) {
  for (const line of screen.lines()) {
    const m = /My Callbacks · (\d+) pending/.exec(line);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * Key to frame in the desktop on `state` (logged in: the main window) while `during()` runs
 * beside it, from 2 s after the main window is up until what `during` returned settles: My
 * Callbacks opened (6) and closed (Esc) by turns, 5 keys a second (bench/pty.mjs keysToFrames).
 * Opening is done when the window shows the count it read from the store (the calling list's
 * callbacks), closing when the main window is back. Also the longest the status bar's clock stood
 * still meanwhile (it moves each second).
 */
async function keysBeside(bin, state, during) {
  const pty = startPty(`${bin} --state ${state}`);
  const screen = emulatedScreen(pty);
  const view = () => {
    if (myCallbacksCount(screen) !== null) return 'callbacks';
    const text = screen.lines().join('\n');
    return text.includes('My Campaigns (') && !text.includes('My Callbacks') ? 'main' : null;
  };
  let clock = null;
  let movedAt = 0;
  let still = 0;
  screen.onChunk((at) => {
    const shown = /\d\d:\d\d:\d\d/.exec(screen.lines()[0])?.[0] ?? null;
    if (shown === null || shown === clock) return;
    if (clock !== null) still = Math.max(still, at - movedAt);
    clock = shown;
    movedAt = at;
  });
  try {
    // On a machine other work keeps busy the first frame can take seconds.
    await pty.waitFor('My Campaigns', 0, 60_000);
    await sleep(2000);
    const running = during();
    running.catch(() => {});
    still = 0;
    movedAt = performance.now();
    const { latencies } = await keysToFrames(pty, screen, view, (i) => (i % 2 ? ['\x1b', 'main'] : ['6', 'callbacks']), { perSecond: 5, until: running });
    still = Math.max(still, performance.now() - movedAt);
    return { latencies, clockStill: still, result: await running };
  } finally {
    await pty.stop();
    screen.dispose();
  }
}

/** keysBeside with nothing beside the desktop for `ms`: the machine's own key to frame. */
export async function keysAlone(bin, state, ms = 10_000) {
  return keysBeside(bin, state, () => sleep(ms));
}

/**
 * keysBeside while `records import` of `csv` runs into the desktop's state; also how long the
 * import took beside the desktop.
 */
export async function keysDuringImport(bin, state, csv, campaign) {
  let importMs = 0;
  const k = await keysBeside(bin, state, async () => {
    const t = performance.now();
    const r = await runBin(['records', 'import', csv, '--campaign', campaign, '--state', state]);
    importMs = performance.now() - t;
    return r;
  });
  if (k.result.status !== 0) throw new Error(`records import exited ${k.result.status}: ${k.result.stderr.trim().split('\n')[0]}`);
  return { ...k, importMs };
}

/** Whether a.lopez, the agent of the bench's desktops, has a session on `state` (as `agents list` says). */
async function loggedIn(state) {
  const r = await runBin(['agents', 'list', '--json', '--state', state]);
  if (r.status !== 0) throw new Error(`agents list exited ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout).find((a) => a.id === 'a.lopez')?.state !== 'LoggedOut';
}

/**
 * A script's change seen by the desktop on `state` (logged in as a.lopez): `callbacks add
 * --personal` run `n` times (at most 60), one after another, beside the desktop showing My
 * Callbacks; each time from the script's answer (the line it prints once its change is
 * committed; its exit comes a few ms later, often after the desktop has drawn the change) until
 * the desktop's screen shows the count one higher (0 if it came before the answer). Returns the
 * latencies, the scripts refused (a record that cannot take a callback is passed over), and
 * whether the desktop had to log in again.
 */
export async function scriptChangesSeen(bin, state, n = 40) {
  // An agent holds at most 20 open personal callbacks a campaign: 20 records of each campaign that
  // takes personal ones.
  const records = [];
  for (const campaign of ['winter-appeal', 'collections-q4', 'care-follow-up']) {
    const list = await runBin(['records', 'list', '--campaign', campaign, '--status', 'Ready', '--limit', '100', '--json', '--state', state]);
    if (list.status !== 0) throw new Error(`records list exited ${list.status}: ${list.stderr.trim()}`);
    records.push(
      ...JSON.parse(list.stdout)
        .filter((r) => r.record_type === 2)
        .slice(0, 20)
        .map((r) => r.record_id),
    );
  }
  const pty = startPty(`${bin} --state ${state}`);
  const screen = emulatedScreen(pty);
  // When each count first reached the screen.
  const firstSeen = new Map();
  screen.onChunk((at) => {
    const c = myCallbacksCount(screen);
    if (c !== null && !firstSeen.has(c)) firstSeen.set(c, at);
  });
  const seen = async (count, timeoutMs) => {
    const end = performance.now() + timeoutMs;
    while (!firstSeen.has(count) && performance.now() < end) await sleep(5);
    return firstSeen.get(count) ?? Infinity;
  };
  try {
    // On a machine other work keeps busy the first frame can take seconds. A desktop that finds
    // its agent logged out (see keysDuringImport's figure) logs in again, as the agent would.
    const first = await Promise.race(['My Campaigns', 'agent login'].map((text) => pty.waitFor(text, 0, 60_000).then(() => text, () => null)));
    if (first === null) throw new Error('the desktop showed neither its main window nor its login screen');
    const relogged = first === 'agent login';
    if (relogged) {
      pty.write('\r');
      await pty.waitFor('My Campaigns', 0, 60_000);
    }
    await sleep(2000);
    pty.write('6');
    const start = performance.now() + 10_000;
    while (firstSeen.size === 0 && performance.now() < start) await sleep(10);
    if (firstSeen.size === 0) throw new Error('My Callbacks never showed its count');
    let count = Math.max(...firstSeen.keys());
    const latencies = [];
    let refused = 0;
    // Due two days on (the world's clock starts 2026-11-24T15:00Z), a minute apart: none falls due meanwhile.
    const at = (i) => new Date(Date.UTC(2026, 10, 26, 15, i)).toISOString().replace('.000Z', 'Z');
    for (const id of records) {
      if (latencies.length === n) break;
      const r = await runBin(['callbacks', 'add', '--record', String(id), '--at', at(latencies.length), '--personal', '--agent', 'a.lopez', '--state', state]);
      if (r.status !== 0) {
        // Taken meanwhile: the dialer or a desk has it.
        refused++;
        continue;
      }
      count++;
      latencies.push(Math.max(0, (await seen(count, 10_000)) - Math.min(r.saidAt, r.exitedAt)));
    }
    return { latencies, refused, relogged };
  } finally {
    await pty.stop();
    screen.dispose();
  }
}

/** p95, median and max of latencies, as the table shows them ("never": a key the screen never showed). */
function spread(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(s.length * p))];
  const ms = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'never');
  const never = s.filter((x) => !Number.isFinite(x)).length;
  return `p95 ${ms(at(0.95))}${Number.isFinite(at(0.95)) ? ' ms' : ''} (median ${ms(at(0.5))}, max ${ms(s[s.length - 1])}; ${xs.length}${never ? `, ${never} never shown` : ''})`;
}

/** Runs `measure` for one cell; a failure is that cell's text, not the end of the table. */
async function cell(measure) {
  try {
    return await measure();
  } catch (e) {
    // The whole story (what the terminal showed) on stderr; the table keeps its first line.
    console.error(e);
    return `not measured: ${String(e.message ?? e).split('\n')[0].slice(0, 80)}`;
  }
}

/**
 * The figures of a desktop beside other processes, SQLite beside PostgreSQL, printed as one table:
 * key to frame with nothing beside the desktop and while `records import` of `csv` (`rows` rows)
 * runs into its state; a script's change seen by the desktop (on that state, the list imported);
 * 8 processes x 50 bookings racing on 10 slots. `fresh(backend, name)` makes a new state of that
 * backend (`sqlite`, `postgres`) holding the demo world at 2026-11-24T15:00Z, `login(state)` logs
 * a.lopez in on it (the desktop then opens on the main window); `bookingRace` is
 * bench/booking-race.ts's.
 */
export async function besideFigures({ bin, csv, rows, fresh, login, bookingRace }) {
  const columns = { alone: [], keys: [], still: [], import: [], scripts: [], over: [], twice: [], booked: [] };
  for (const backend of ['sqlite', 'postgres']) {
    const state = await fresh(backend, 'beside');
    await login(state);
    columns.alone.push(await cell(async () => spread((await keysAlone(bin, state)).latencies)));
    let k = null;
    columns.keys.push(
      await cell(async () => {
        k = await keysDuringImport(bin, state, csv, 'care-follow-up');
        // A desktop whose agent's heartbeat could not be written meanwhile may be taken for gone.
        return `${spread(k.latencies)}${(await loggedIn(state)) ? '' : '; the agent was logged out'}`;
      }),
    );
    columns.still.push(k ? `${(k.clockStill / 1000).toFixed(1)} s` : '-');
    columns.import.push(k ? `${(k.importMs / 1000).toFixed(1)} s` : '-');
    // On the same state, now holding the imported list too.
    columns.scripts.push(
      await cell(async () => {
        const s = await scriptChangesSeen(bin, state);
        return `${spread(s.latencies)}${s.refused ? `, ${s.refused} refused` : ''}${s.relogged ? ' (the desktop logged in again first)' : ''}`;
      }),
    );
    const race = await cell(async () => bookingRace(await fresh(backend, 'race')));
    const of = (f) => (typeof race === 'string' ? race : f(race));
    columns.over.push(of((r) => String(r.overCapacity)));
    columns.twice.push(of((r) => String(r.idCollisions)));
    columns.booked.push(of((r) => `${r.booked} of ${r.tries} (${r.counted} counted, ${r.stored} stored), ${(r.ms / 1000).toFixed(1)} s`));
  }
  const table = [
    [`a desktop beside other processes on its state (load average ${os.loadavg()[0].toFixed(1)})`, 'SQLite', 'PostgreSQL', ''],
    ['  key to frame, nothing beside it (10 s)', ...columns.alone, ''],
    [`  key to frame, records import of ${rows.toLocaleString('en-US')} rows beside it`, ...columns.keys, 'goal p95 < 100 ms on PostgreSQL'],
    ["  meanwhile the desktop's clock stood still up to", ...columns.still, ''],
    ['  that import, beside the desktop', ...columns.import, ''],
    ["  a script's change seen by the desktop", ...columns.scripts, 'goal p95 < 300 ms on PostgreSQL'],
    ['8 processes x 50 bookings on 10 slots: over capacity', ...columns.over, 'goal 0'],
    ['  ids given twice', ...columns.twice, 'goal 0'],
    ['  booked (200 places), time', ...columns.booked, ''],
  ];
  const width = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log('  %s  %s  %s  %s', row[0].padEnd(width[0]), row[1].padEnd(width[1]), row[2].padEnd(width[2]), row[3]);
  console.log('  (keys: My Callbacks opened and closed, 5 a second, each until the frame shows what it read from the store; scripts: `callbacks add --personal`, one at a time, from its answer to the frame showing it)');
}
