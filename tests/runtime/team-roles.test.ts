import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { demoEngine } from '../helpers/world.js';
import { DESK_DEAD_MS, DESK_HUNG_MS, deskGone, loggedInElsewhere } from '../../src/runtime/team-roles.js';
import { thisProcess } from '../../src/store/processes.js';

describe('an agent logged in at another desktop', () => {
  it('is refused while that desktop beats, naming where; is free once its beat is stale or its process gone', async () => {
    const e = await demoEngine(7);
    expect((await e.login('a.lopez', 'Place_3101')).ok).toBe(true);
    const me = thisProcess();
    const now = Date.now();
    // A live process of this machine (the one that started this test) beat half a second ago.
    await e.store.team.beat('a.lopez', { host: me.host, pid: process.ppid }, now - 5000, now - 500);
    expect(await loggedInElsewhere(e, e.store, 'a.lopez', me, now)).toBe(`a.lopez is logged in at Place_3101 (the desktop of pid ${process.ppid} on ${me.host}); log out there, or use --agent for another agent`);
    expect(await loggedInElsewhere(e, e.store, 'a.lopez', me, now - 500 + DESK_DEAD_MS)).toBeNull();
    // A desktop that quit (or was killed) a moment ago: its beat is recent, its pid is gone.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    await e.store.team.beat('a.lopez', { host: me.host, pid: gone }, now - 5000, now - 500);
    expect(await loggedInElsewhere(e, e.store, 'a.lopez', me, now)).toBeNull();
    // This desktop's own beat never refuses it.
    await e.store.team.beat('a.lopez', me, now - 5000, now - 500);
    expect(await loggedInElsewhere(e, e.store, 'a.lopez', me, now)).toBeNull();
  });
});

describe('a desktop the host takes for gone', () => {
  it('is silent for the dead-desk time, unless it is the host itself or a process of this machine still running (then the hung time)', () => {
    const me = thisProcess();
    const now = Date.now();
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const beat = (pid: number, silentMs: number, host = me.host) => ({ host, pid, beatAt: now - silentMs });
    // Beating: never gone.
    expect(deskGone(beat(gone, DESK_DEAD_MS - 1), me, now)).toBe(false);
    // Silent and its process gone, or of another machine: gone.
    expect(deskGone(beat(gone, DESK_DEAD_MS), me, now)).toBe(true);
    expect(deskGone(beat(process.ppid, DESK_DEAD_MS, 'another-machine'), me, now)).toBe(true);
    // The host's own beat was held back (a long import held SQLite's write lock): never gone.
    expect(deskGone(beat(me.pid, DESK_HUNG_MS * 2), me, now)).toBe(false);
    // A desktop of this machine that still runs: gone only once it has been silent the hung time.
    expect(deskGone(beat(process.ppid, DESK_DEAD_MS * 3), me, now)).toBe(false);
    expect(deskGone(beat(process.ppid, DESK_HUNG_MS), me, now)).toBe(true);
  });
});
