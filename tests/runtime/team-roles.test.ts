import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { demoEngine } from '../helpers/world.js';
import { DESK_DEAD_MS, loggedInElsewhere } from '../../src/runtime/team-roles.js';
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
