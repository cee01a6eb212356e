import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/engine/store-port.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { dropDatabases, freshDatabase } from '../helpers/pg-db.js';
import { T0, emptyWorld, interaction } from '../helpers/pg-fixtures.js';
import { runBin } from '../helpers/bin.js';

/**
 * catchUp: what a process that last saw a revision takes in, in one round trip on PostgreSQL
 * (and, inside a write transaction given the hint, in the round trip that takes the lock). The
 * answers must be those of revision + changedSince + clock asked one by one, on both backends.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-catch-up-'));
const opened: StorePort[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  await dropDatabases();
  fs.rmSync(dir, { recursive: true, force: true });
});

const backends: { name: string; open: (label: string) => Promise<[StorePort, StorePort]> }[] = [
  {
    name: 'sqlite',
    open: async (label) => {
      const file = path.join(dir, `${label}.db`);
      const a = (await SqliteStore.open(file, () => emptyWorld())).store;
      const b = (await SqliteStore.open(file, () => emptyWorld())).store;
      opened.push(a, b);
      return [a, b];
    },
  },
  {
    name: 'postgres',
    open: async (label) => {
      const { url } = await freshDatabase(label);
      const a = (await PgStore.open(url, () => emptyWorld())).store;
      const b = (await PgStore.open(url, () => emptyWorld())).store;
      opened.push(a, b);
      return [a, b];
    },
  },
];

describe.each(backends)('catchUp on $name', ({ open }) => {
  it('answers as revision, changedSince and clock asked one by one, in a read and first in a transaction', async () => {
    const [writer, follower] = await open('catch-up');
    const start = await follower.revision();
    expect(await follower.read((q) => q.catchUp(start))).toEqual({ revision: start, changes: null, clock: null });

    const clock = { now: T0 + 60_000, realAt: 1_000, speed: 1 };
    await writer.transaction(async (tx) => {
      const rev = await tx.bumpRevision();
      await tx.interactions.put(interaction('in-1', 'alerting', T0), rev);
      await tx.saveClock(clock);
    });
    const oneByOne = await follower.read(async (q) => ({ revision: await q.revision(), changes: await q.changedSince(start), clock: await q.clock() }));
    expect(oneByOne.revision).toBe(start + 1);
    expect(oneByOne.changes.interactions.map((i) => i.id)).toEqual(['in-1']);
    expect(await follower.read((q) => q.catchUp(start))).toEqual(oneByOne);
    // Nothing new since the revision now: no rows, the clock still said.
    expect(await follower.read((q) => q.catchUp(start + 1))).toEqual({ revision: start + 1, changes: null, clock });

    // In a transaction told what it will ask first (PostgreSQL answers it with the lock), and
    // asked for another revision than the hint (answered afresh, not from the hint).
    const hinted = await follower.transaction(async (tx) => tx.catchUp(start), { catchUpSince: start });
    expect(hinted).toEqual(oneByOne);
    const otherThanHint = await follower.transaction(async (tx) => tx.catchUp(start + 1), { catchUpSince: start });
    expect(otherThanHint).toEqual({ revision: start + 1, changes: null, clock });
  });

  it("a host's fence and its world and clock: read with the lock when hinted, written with the commit, all or nothing", async () => {
    const [writer, follower] = await open('host-writes');
    const me = { host: 'here', pid: process.pid, role: 'host' as const };
    const epoch = await writer.team.acquireHost(me, T0, 1500);
    expect(epoch).not.toBeNull();
    const meta = await follower.read((q) => q.loadMeta());
    const clock = { now: T0 + 5_000, realAt: 2_000, speed: 2 };
    // Asked for with the lock (the hint) or without: the same epoch.
    expect(await writer.transaction(async (tx) => tx.hostEpoch(), { hostEpoch: true })).toBe(epoch);
    expect(await writer.transaction(async (tx) => tx.hostEpoch())).toBe(epoch);
    // Written and rolled back: nothing of it stays.
    await expect(
      writer.transaction(async (tx) => {
        await tx.saveMeta({ ...meta, now: T0 + 99_000 });
        await tx.saveClock(clock);
        expect((await tx.loadMeta()).now).toBe(T0 + 99_000);
        expect(await tx.clock()).toEqual(clock);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await follower.read((q) => q.clock())).toBeNull();
    expect((await follower.read((q) => q.loadMeta())).now).toBe(meta.now);
    // Committed: another connection reads both.
    await writer.transaction(async (tx) => {
      await tx.bumpRevision();
      await tx.saveMeta({ ...meta, now: T0 + 7_000 });
      await tx.saveClock(clock);
    });
    expect(await follower.read((q) => q.clock())).toEqual(clock);
    expect((await follower.read((q) => q.loadMeta())).now).toBe(T0 + 7_000);
  });

  it('bumps the revision once per call and writes it with the commit, notifying nothing for a rollback', async () => {
    const [writer, follower] = await open('bump');
    const start = await follower.revision();
    await writer.transaction(async (tx) => {
      expect(await tx.bumpRevision()).toBe(start + 1);
      expect(await tx.bumpRevision()).toBe(start + 2);
      expect(await tx.revision()).toBe(start + 2);
    });
    expect(await follower.revision()).toBe(start + 2);
    await expect(
      writer.transaction(async (tx) => {
        await tx.bumpRevision();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await follower.revision()).toBe(start + 2);
  });
});

describe('SQLite commits: synchronous NORMAL in WAL, FULL when asked', () => {
  it('opens a state file NORMAL by default, FULL with CALLBACK_DESK_SQLITE_SYNC=full, and refuses another value', async () => {
    const was = process.env.CALLBACK_DESK_SQLITE_SYNC;
    try {
      // synchronous is a connection's setting, not the file's: asked on the store's own connection.
      delete process.env.CALLBACK_DESK_SQLITE_SYNC;
      const normal = (await SqliteStore.open(path.join(dir, 'normal.db'), () => emptyWorld())).store as SqliteStore;
      expect(normal.db.pragma('synchronous', { simple: true })).toBe(1);
      await normal.close();
      process.env.CALLBACK_DESK_SQLITE_SYNC = 'FULL';
      const full = (await SqliteStore.open(path.join(dir, 'full.db'), () => emptyWorld())).store as SqliteStore;
      expect(full.db.pragma('synchronous', { simple: true })).toBe(2);
      await full.close();
      process.env.CALLBACK_DESK_SQLITE_SYNC = 'sometimes';
      await expect(SqliteStore.open(path.join(dir, 'normal.db'), () => emptyWorld())).rejects.toThrow('CALLBACK_DESK_SQLITE_SYNC must be normal or full; the state was not opened');
    } finally {
      if (was === undefined) delete process.env.CALLBACK_DESK_SQLITE_SYNC;
      else process.env.CALLBACK_DESK_SQLITE_SYNC = was;
    }
  });

  it('a bad CALLBACK_DESK_SQLITE_SYNC is one line and exit 2 from a command, and the state is not made', () => {
    const file = path.join(dir, 'never.db');
    const r = runBin(['agents', 'list', '--state', file], { CALLBACK_DESK_SQLITE_SYNC: 'sometimes' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('CALLBACK_DESK_SQLITE_SYNC must be normal or full')]);
    expect(fs.existsSync(file)).toBe(false);
  });
});
