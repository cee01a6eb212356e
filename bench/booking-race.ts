// The booking race of issue 19 for `npm run bench`: 8 processes x 50 bookings on 10 slots of one
// state, each process a connection of its own (as 8 scripts or desktops booking at once), then
// what the state holds read back: slots over capacity and ids given twice (both must be 0). The
// race is the store contract's (tests/helpers/booking-race.ts); this file is also each racing
// process (forked with CBD_BENCH_RACER set).
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/open-store.js';
import { RACE, bookRacing, raceOutcome, type RaceOutcome } from '../tests/helpers/booking-race.js';

type FromRacer = { ready: true } | { ids: string[] } | { error: string };

const openState = async (state: string) =>
  (
    await openStore(state, () => {
      throw new Error(`${state} holds no world`);
    })
  ).store;

/** Races RACE.racers processes on `state` (which holds a world); what the state holds after. */
export async function bookingRace(state: string): Promise<RaceOutcome & { ms: number; tries: number }> {
  const racers = Array.from({ length: RACE.racers }, (_, n) => {
    const child = fork(fileURLToPath(import.meta.url), [state, String(n + 1)], { env: { ...process.env, CBD_BENCH_RACER: '1' }, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const said = (what: (m: FromRacer) => boolean) =>
      new Promise<FromRacer>((resolve, reject) => {
        child.on('message', (m: FromRacer) => what(m) && resolve(m));
        child.once('exit', (code) => reject(new Error(`a racing process ended (exit ${code}) before it answered`)));
      });
    return { child, ready: said((m) => 'ready' in m), done: said((m) => !('ready' in m)) };
  });
  try {
    // Every process has its connection open before the first books.
    await Promise.all(racers.map((r) => r.ready));
    const t = performance.now();
    for (const r of racers) r.child.send({ go: true });
    const answers = await Promise.all(racers.map((r) => r.done));
    const ms = performance.now() - t;
    const ids: string[] = [];
    for (const a of answers) {
      if ('error' in a) throw new Error(`a racing process failed: ${a.error}`);
      if ('ids' in a) ids.push(...a.ids);
    }
    const store = await openState(state);
    try {
      return { ...(await raceOutcome(store, ids)), ms, tries: RACE.racers * RACE.tries };
    } finally {
      await store.close();
    }
  } finally {
    for (const r of racers) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  }
}

if (process.env.CBD_BENCH_RACER) {
  const store = await openState(process.argv[2]);
  process.send!({ ready: true });
  process.once('message', async () => {
    try {
      process.send!({ ids: await bookRacing(store, Number(process.argv[3])) });
    } catch (e) {
      process.send!({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      await store.close();
      process.disconnect();
    }
  });
}
