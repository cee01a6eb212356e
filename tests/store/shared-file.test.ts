import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { SCHEMA_VERSION } from '../../src/engine/world.js';
import { RecordStatus, RecordType } from '../../src/engine/domain.js';
import { createEngine } from '../../src/engine/simulation.js';
import type { Engine } from '../../src/engine/engine.js';
import type { StorePort } from '../../src/engine/store-port.js';
import { addChainNumber, cancelCallback, requestPreviewRecord, scheduleCallback, updateCustomerRecord } from '../../src/engine/outbound.js';
import { bookGenesysCallback, cancelGenesysCallback, rescheduleGenesysCallback, slotsOnDate } from '../../src/engine/genesys-callback.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { ClockDriver } from '../../src/runtime/clock-driver.js';
import { runBinAsync, tmpDir } from '../helpers/bin.js';
import { TeamRoles } from '../../src/runtime/team-roles.js';
import { thisProcess } from '../../src/store/processes.js';
import { stateBackends } from '../helpers/pg-state-backends.js';
import { T0, allGcallbacks, allRecords, recordOf, testZones } from '../helpers/world.js';

/**
 * A desktop (an engine in this process) beside scripts (the built bin, in other processes) on
 * one state, and bookings racing for the last places: on a SQLite file and on a PostgreSQL
 * database, each test once per backend, reading what happened through the store.
 */

const dir = tmpDir('cbd-shared-');
const MIN = 60_000;
const backends = stateBackends('cbd-shared-');
const stores: StorePort[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const b of backends) await b.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function desktopOn(state: string): Promise<Engine> {
  const { store } = await openStore(state, () => createDemoWorld(7, T0));
  stores.push(store);
  return createEngine(store, { zones: testZones() });
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** Waits for a condition (never a fixed sleep). */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// The two longest tests, a desktop beside 36 and 9 runs of the bin, on both backends at once:
// each on a state of its own, the bin waited for without blocking this process (the desktop is
// driven by the test alone: it does nothing while a run of the bin is under way).
describe.concurrent.each(backends)('on $name', (states) => {
  describe('a desktop and scripts on one state (the scripts are the built bin, in other processes)', () => {
    it('loses no callback a script adds, dials none it cancels, and processes every due one once and on time', async () => {
      const file = await states.fresh('shared');
      const desk = await desktopOn(file);
      expect((await desk.login('a.lopez', 'P')).ok).toBe(true);
      // Every due campaign callback then goes to a simulated colleague, one attempt each.
      expect((await desk.setStatus('NotReady')).ok).toBe(true);
      await desk.commit();
      const wide = (await allRecords(desk)).filter((r) => r.campaign_id === 'collections-q4' && r.daily_from <= 9 * 3600 && r.daily_till >= 17 * 3600 && r.tz.startsWith('America/'));
      expect(wide.length).toBeGreaterThanOrEqual(40);
      // 24 of them (36 runs of the bin with the cancels): each run is a whole process start, and
      // this test was a fifth of the suite's time; 40 checked the same things more times.
      const picked = wide.slice(0, 24);
      const due = new Map<number, number>();
      for (const [i, r] of picked.entries()) {
        // Between each script run the desktop ticks, polls and saves, as it does every second.
        await desk.advanceBy(1000);
        await desk.sync();
        const at = T0 + 180 * MIN + i * 3 * MIN;
        // 18:00-20:00 UTC: inside every contact window picked above, from Anchorage to St John's.
        const res = await runBinAsync(['callbacks', 'add', '--record', String(r.record_id), '--at', utc(at), '--tz', 'UTC', '--campaign', '--state', file]);
        expect(res.stderr).toBe('');
        expect(res.status).toBe(0);
        due.set(r.record_id, at);
      }
      await desk.sync();
      // The desktop's own work on the list (a Preview request, a checkpoint) writes no stale row back.
      await requestPreviewRecord(desk, 'care-follow-up');
      await desk.commit();
      for (const r of picked) {
        const now = (await recordOf(desk, r.record_id))!;
        expect(now.record_type).toBe(RecordType.CampaignCallback);
        expect(now.dialSchedAt).toBe(due.get(r.record_id)!);
      }
      // A script cancels half of them; the desktop must not dial those.
      const cancelled = picked.filter((_, i) => i % 2 === 0).map((r) => r.record_id);
      for (const id of cancelled) {
        await desk.advanceBy(1000);
        await desk.sync();
        const res = await runBinAsync(['callbacks', 'cancel', String(id), '--state', file]);
        expect(res.status).toBe(0);
      }
      // Run the desktop past every due time, polling as it goes.
      for (let t = 0; t < 6 * 60; t++) {
        await desk.advanceBy(MIN);
        if (t % 5 === 0) await desk.sync();
      }
      await desk.commit();
      for (const r of picked) {
        const got = (await recordOf(desk, r.record_id))!;
        if (cancelled.includes(r.record_id)) {
          expect(got.record_status).toBe(RecordStatus.Cancelled);
          expect(got.attempt).toBe(r.attempt);
        } else {
          // Dialed once, by a colleague, within minutes of its time.
          expect(got.attempt).toBe(r.attempt + 1);
          expect(got.treatments.filter((t: string) => t.startsWith('Campaign callback dialed by'))).toHaveLength(1);
          expect(got.callAt!).toBeGreaterThanOrEqual(due.get(r.record_id)!);
          expect(got.callAt!).toBeLessThan(due.get(r.record_id)! + 10 * MIN);
        }
      }
      // 36 runs of the bin: about 20 s alone, minutes beside a busy machine.
    }, 600_000);

    it('never books a Genesys slot over its capacity: scripts race the simulated customers for the last places', async () => {
      const file = await states.fresh('race');
      const desk = await desktopOn(file);
      await desk.commit();
      // billing: 30-minute slots, 2 places each. Three scripts want each of three slots tomorrow.
      const slots = ['2026-11-25T10:00:00Z', '2026-11-25T10:30:00Z', '2026-11-25T11:00:00Z'];
      const results: { slot: string; status: number | null; stderr: string }[] = [];
      for (const slot of slots) {
        for (let k = 0; k < 3; k++) {
          await desk.advanceBy(20 * MIN); // the simulated customers keep booking meanwhile
          await desk.sync();
          const res = await runBinAsync(['callbacks', 'book', '--service', 'billing', '--contact', `C000${k + 1}`, '--slot', slot, '--state', file]);
          results.push({ slot, status: res.status, stderr: res.stderr });
        }
      }
      await desk.commit();
      // Every booking that holds a place (not cancelled), counted per slot.
      const counts = new Map<string, { service: string; slot: number; n: number }>();
      for (const cb of await allGcallbacks(desk)) {
        if (cb.reason === 'CANCELLED') continue;
        const key = `${cb.service} ${cb.slot}`;
        const c = counts.get(key) ?? { service: cb.service, slot: cb.slot, n: 0 };
        c.n++;
        counts.set(key, c);
      }
      expect(counts.size).toBeGreaterThan(3);
      const capacity: Record<string, number> = { 'customer-care': 3, billing: 2, 'tech-support': 4 };
      for (const c of counts.values()) expect(c.n).toBeLessThanOrEqual(capacity[c.service]);
      // The counters availability reads agree with the bookings themselves.
      for (const c of counts.values()) expect(await desk.read((q) => q.gcallbacks.booked(c.service, c.slot))).toBe(c.n);
      for (const slot of slots) {
        const mine = results.filter((r) => r.slot === slot);
        expect(mine.filter((r) => r.status === 0).length).toBeLessThanOrEqual(2);
        for (const r of mine.filter((x) => x.status !== 0)) {
          expect(r.status).toBe(2);
          expect(r.stderr).toMatch(/CallbackExceptionAvailability/);
        }
      }
    }, 240_000);
  });
});

describe.each(backends)('on $name', (states) => {
  describe('a desktop while another process holds the write lock (a large import)', () => {
    it('refuses commands with the reason, says the state is busy until it ends, and its clock makes up the time', async () => {
      const state = await states.fresh('locked-by-import');
      const desk = await desktopOn(state);
      expect((await desk.login('a.lopez', 'P')).ok).toBe(true);
      await desk.commit();
      desk.store.setBusyTimeout(0);
      let real = 0;
      const clock = new ClockDriver(desk, 60, () => real);
      clock.start();
      clock.stop();

      // Another connection holds the write lock, as an import does for its length: SQLite's
      // one lock; on PostgreSQL the revision row's (records import's own statement).
      const { store: importer } = await openStore(state, () => createDemoWorld(7, T0));
      stores.push(importer);
      let holding = false;
      let release!: () => void;
      const importing =
        importer instanceof PgStore
          ? (async () => {
              const client = await importer.connection();
              await client.query("BEGIN; SELECT value FROM meta WHERE key = 'revision' FOR UPDATE");
              holding = true;
              await new Promise<void>((resolve) => (release = resolve));
              await client.query('COMMIT');
              client.release();
            })()
          : importer.transaction(async (tx) => {
              await tx.bumpRevision();
              holding = true;
              await new Promise<void>((resolve) => (release = resolve));
            });
      await until(() => holding);
      const before = desk.now;
      const r = await desk.setStatus('NotReady');
      expect(r).toEqual({ ok: false, error: `not saved: ${states.noun} is busy (another process is writing); try again` });
      expect(desk.storeBusy).toBe(true);
      real = 60_000; // an hour at --speed 60, timers due in it
      await clock.tick();
      expect(desk.now).toBe(before);
      expect(desk.storeBusy).toBe(true);

      release();
      await importing;
      real = 61_000;
      await clock.tick();
      expect(desk.now).toBe(before + 61_000 * 60);
      expect(desk.storeBusy).toBe(false);
      expect((await desk.setStatus('NotReady')).ok).toBe(true);
    });
  });

  describe('a desktop and scripts on one state (the scripts are the built bin, in other processes)', () => {
    it('a demo on a state another process hosts follows its clock, and says so', async () => {
      const file = await states.fresh('hosted');
      const desk = await desktopOn(file);
      // This process hosts the world (runtime/team-roles.ts), renewing its lease while the demo runs.
      const roles = new TeamRoles({ engine: desk, store: desk.store, me: thisProcess(), role: 'desktop', realNow: Date.now });
      await roles.step();
      expect(roles.hosting).toBe(true);
      roles.start();
      try {
        const script = path.join(dir, 'one.demo');
        fs.writeFileSync(script, 'advance 2h\n');
        const res = await runBinAsync(['demo', script, '--state', file]);
        expect(res.stderr).toMatch(new RegExp(`is hosted by pid ${process.pid} on .*: this demo follows its clock`));
        expect(res.status).toBe(0);
        expect(roles.hosting).toBe(true);
      } finally {
        await roles.stop();
      }
    });
  });

  describe('Genesys bookings racing for the last place', () => {
    const book = (e: Engine, slot: number, by: string, contactId: string) =>
      bookGenesysCallback(e, { service: 'billing', contactId, customerNumber: '+12125550100', type: 'Scheduled', slot, bookedBy: by });

    it('gives the last place to exactly one of two racing bookings', async () => {
      const e = await desktopOn(await states.fresh('last-place'));
      const slot = (await e.read((q) => slotsOnDate(e, q, 'billing', { year: 2026, month: 11, day: 26 }, 'Europe/London')))[3];
      expect((await book(e, slot.start, 'web', 'C0001')).ok).toBe(true);
      const results = await Promise.all([book(e, slot.start, 'a.lopez', 'C0002'), book(e, slot.start, 'b.okafor', 'C0003')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await allGcallbacks(e)).filter((c) => c.slot === slot.start)).toHaveLength(2);
      expect(await e.read((q) => q.gcallbacks.booked('billing', slot.start))).toBe(2);
    });
  });

  describe('a refused command', () => {
    it('leaves memory and the store exactly as they were, also after a checkpoint and a reopen', async () => {
      const file = await states.fresh('refused');
      const e = await desktopOn(file);
      await e.login('a.lopez', 'P');
      await e.commit();
      const memory = e.snapshot();
      const store = await states.rows(file, { stable: true });
      const gcb = await bookGenesysCallback(e, { service: 'billing', contactId: 'C0001', customerNumber: '+12125550100', type: 'Scheduled', slot: T0 - 60 * MIN, bookedBy: 'a.lopez' });
      expect(gcb.ok).toBe(false);
      expect((await cancelCallback(e, 1001)).ok).toBe(false); // not a callback
      expect((await e.markMessageRead('M999999')).ok).toBe(false);
      expect((await e.login('nobody', 'P')).ok).toBe(false);
      expect((await e.acceptInteraction('I999')).ok).toBe(false);
      expect((await e.markDone('I999')).ok).toBe(false);
      expect((await requestPreviewRecord(e, 'collections-q4')).ok).toBe(false); // an automatic campaign
      expect((await addChainNumber(e, 'C0001', { phone: '12', type: 4, from: 9 * 3600, until: 17 * 3600 })).ok).toBe(false);
      expect((await addChainNumber(e, 'C0001', { phone: '+12125550199', type: 4, from: 17 * 3600, until: 9 * 3600 })).ok).toBe(false);
      expect((await updateCustomerRecord(e, 'C0001', { 'No Such Field': 'x' })).ok).toBe(false);
      expect((await rescheduleGenesysCallback(e, 'CB999999', T0 + 86_400_000, 'a.lopez')).ok).toBe(false);
      expect((await cancelGenesysCallback(e, 'CB999999')).ok).toBe(false);
      expect((await scheduleCallback(e, { recordId: 1001, when: { kind: 'instant', utc: T0 - 60 * MIN }, agentId: 'a.lopez' })).ok).toBe(false); // past
      // A command that throws half-way rolls back too.
      await expect(
        e.run(async () => {
          const r = (await e.record(1001))!;
          r.record_status = RecordStatus.Stale;
          e.touch('record', 1001);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(e.snapshot()).toEqual(memory);
      await e.commit();
      expect(await states.rows(file, { stable: true })).toEqual(store);
      await e.store.close();
      const again = await desktopOn(file);
      expect(again.snapshot()).toEqual(memory);
      expect(await states.rows(file, { stable: true })).toEqual(store);
    });
  });
});

// Schema 1 was a SQLite file only: PostgreSQL came with schema 2.

describe('a state file written by the previous version (schema 1)', () => {
  it('opens with every record, callback, booking and message kept', async () => {
    const file = path.join(dir, 'v1.db');
    fs.copyFileSync('tests/fixtures/state-v1.db', file);
    const old = new Database(file, { readonly: true });
    const kinds = Object.fromEntries((old.prepare('SELECT kind, count(*) AS n FROM entity GROUP BY kind').all() as { kind: string; n: number }[]).map((r) => [r.kind, r.n]));
    const oldRecords = (old.prepare("SELECT body FROM entity WHERE kind = 'record'").pluck().all() as string[]).map((b) => JSON.parse(b));
    const oldBookings = (old.prepare("SELECT body FROM entity WHERE kind = 'gcallback'").pluck().all() as string[]).map((b) => JSON.parse(b));
    const oldMessages = (old.prepare("SELECT body FROM entity WHERE kind = 'message'").pluck().all() as string[]).map((b) => JSON.parse(b));
    old.close();
    const e = await desktopOn(file);
    const db = (e.store as SqliteStore).db;
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    expect(count('calling_list')).toBe(kinds.record);
    expect(count('contact')).toBe(kinds.contact);
    expect(count('gms_callback')).toBe(kinds.gcallback);
    expect(count('message')).toBe(kinds.message);
    expect(count('interaction')).toBe(kinds.interaction);
    for (const { dial_sched_time, call_time, ...r } of oldRecords) {
      expect(await recordOf(e, r.record_id)).toEqual({ ...r, dialSchedAt: dial_sched_time === null ? null : dial_sched_time * 1000, callAt: call_time === null ? null : call_time * 1000, callback_local: r.callback_local ?? null, disposition: r.disposition ?? null });
    }
    for (const cb of oldBookings) expect(await e.read((q) => q.gcallbacks.get(cb.id))).toEqual(cb);
    for (const m of oldMessages) expect(await e.message(m.id)).toEqual(m);
    // The open callbacks of the old file still come due: their timers are read from the table.
    const open = oldRecords.filter((r) => (r.record_type === 5 || r.record_type === 6) && r.record_status === 1);
    expect(open.length).toBeGreaterThan(0);
    await (e.store as SqliteStore).close();
  });
});
