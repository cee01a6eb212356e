import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { RecordStatus, RecordType } from '../../src/engine/domain.js';
import { createEngine } from '../../src/engine/simulation.js';
import type { Engine } from '../../src/engine/engine.js';
import { addChainNumber, cancelCallback, requestPreviewRecord, scheduleCallback, updateCustomerRecord } from '../../src/engine/outbound.js';
import { bookGenesysCallback, cancelGenesysCallback, rescheduleGenesysCallback } from '../../src/engine/genesys-callback.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { ClockDriver } from '../../src/runtime/clock-driver.js';
import { runBin, tmpDir } from '../helpers/bin.js';
import { T0, allRecords, dumpStore, testZones } from '../helpers/world.js';

const dir = tmpDir('cbd-shared-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const MIN = 60_000;

function desktopOn(file: string): Engine {
  const { store } = SqliteStore.open(file, () => createDemoWorld(7, T0));
  return createEngine(store, { zones: testZones() });
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

describe('a desktop while another process holds the write lock (a large import)', () => {
  it('refuses commands with the reason, says the file is busy until it ends, and its clock makes up the time', () => {
    const file = path.join(dir, 'locked-by-import.db');
    const desk = desktopOn(file);
    expect(desk.login('a.lopez', 'P').ok).toBe(true);
    desk.commit();
    (desk.store as SqliteStore).setBusyTimeout(0);
    let real = 0;
    const clock = new ClockDriver(desk, 60, () => real);
    clock.start();
    clock.stop();

    const importer = new Database(file);
    importer.exec('BEGIN IMMEDIATE');
    const before = desk.now;
    const r = desk.setStatus('NotReady');
    expect(r).toEqual({ ok: false, error: 'not saved: the state file is busy (another process is writing); try again' });
    expect(desk.storeBusy).toBe(true);
    real = 60_000; // an hour at --speed 60, timers due in it
    clock.tick();
    expect(desk.now).toBe(before);
    expect(desk.storeBusy).toBe(true);

    importer.exec('COMMIT');
    importer.close();
    real = 61_000;
    clock.tick();
    expect(desk.now).toBe(before + 61_000 * 60);
    expect(desk.storeBusy).toBe(false);
    expect(desk.setStatus('NotReady').ok).toBe(true);
    (desk.store as SqliteStore).close();
  });
});

describe('a desktop and scripts on one state file (the scripts are the built bin, in other processes)', () => {
  it('loses no callback a script adds, dials none it cancels, and processes every due one once and on time', () => {
    const file = path.join(dir, 'shared.db');
    const desk = desktopOn(file);
    expect(desk.login('a.lopez', 'P').ok).toBe(true);
    // Every due campaign callback then goes to a simulated colleague, one attempt each.
    expect(desk.setStatus('NotReady').ok).toBe(true);
    desk.commit();
    const wide = allRecords(desk).filter((r) => r.campaign_id === 'collections-q4' && r.daily_from <= 9 * 3600 && r.daily_till >= 17 * 3600 && r.tz.startsWith('America/'));
    expect(wide.length).toBeGreaterThanOrEqual(40);
    const picked = wide.slice(0, 40);
    const due = new Map<number, number>();
    picked.forEach((r, i) => {
      // Between each script run the desktop ticks, polls and saves, as it does every second.
      desk.advanceBy(1000);
      desk.sync();
      const at = T0 + 180 * MIN + i * 3 * MIN;
      // 18:00-20:00 UTC: inside every contact window picked above, from Anchorage to St John's.
      const res = runBin(['callbacks', 'add', '--record', String(r.record_id), '--at', utc(at), '--tz', 'UTC', '--campaign', '--state', file]);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      due.set(r.record_id, at);
    });
    desk.sync();
    // The desktop's own work on the list (a Preview request, a checkpoint) writes no stale row back.
    requestPreviewRecord(desk, 'care-follow-up');
    desk.commit();
    for (const r of picked) {
      const now = desk.record(r.record_id)!;
      expect(now.record_type).toBe(RecordType.CampaignCallback);
      expect(now.dialSchedAt).toBe(due.get(r.record_id)!);
    }
    // A script cancels half of them; the desktop must not dial those.
    const cancelled = picked.filter((_, i) => i % 2 === 0).map((r) => r.record_id);
    for (const id of cancelled) {
      desk.advanceBy(1000);
      desk.sync();
      const res = runBin(['callbacks', 'cancel', String(id), '--state', file]);
      expect(res.status).toBe(0);
    }
    // Run the desktop past every due time, polling as it goes.
    for (let t = 0; t < 6 * 60; t++) {
      desk.advanceBy(MIN);
      if (t % 5 === 0) desk.sync();
    }
    desk.commit();
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT record_status, attempt, call_result, call_time, treatments FROM calling_list WHERE record_id = ?');
    for (const r of picked) {
      const got = row.get(r.record_id) as { record_status: number; attempt: number; call_time: number | null; treatments: string };
      if (cancelled.includes(r.record_id)) {
        expect(got.record_status).toBe(RecordStatus.Cancelled);
        expect(got.attempt).toBe(r.attempt);
      } else {
        // Dialed once, by a colleague, within minutes of its time.
        expect(got.attempt).toBe(r.attempt + 1);
        expect(JSON.parse(got.treatments).filter((t: string) => t.startsWith('Campaign callback dialed by'))).toHaveLength(1);
        expect(got.call_time! * 1000).toBeGreaterThanOrEqual(due.get(r.record_id)!);
        expect(got.call_time! * 1000).toBeLessThan(due.get(r.record_id)! + 10 * MIN);
      }
    }
    db.close();
    (desk.store as SqliteStore).close();
    // 60 runs of the bin: about 30 s alone, minutes beside a busy machine.
  }, 600_000);

  it('never books a Genesys slot over its capacity: scripts race the simulated customers for the last places', () => {
    const file = path.join(dir, 'race.db');
    const desk = desktopOn(file);
    desk.commit();
    // billing: 30-minute slots, 2 places each. Three scripts want each of three slots tomorrow.
    const slots = ['2026-11-25T10:00:00Z', '2026-11-25T10:30:00Z', '2026-11-25T11:00:00Z'];
    const results: { slot: string; status: number | null; stderr: string }[] = [];
    for (const slot of slots) {
      for (let k = 0; k < 3; k++) {
        desk.advanceBy(20 * MIN); // the simulated customers keep booking meanwhile
        desk.sync();
        const res = runBin(['callbacks', 'book', '--service', 'billing', '--contact', `C000${k + 1}`, '--slot', slot, '--state', file]);
        results.push({ slot, status: res.status, stderr: res.stderr });
      }
    }
    desk.commit();
    const db = new Database(file, { readonly: true });
    const counts = db
      .prepare("SELECT service, slot, count(*) AS n FROM gms_callback WHERE reason IS NULL OR reason <> 'CANCELLED' GROUP BY service, slot")
      .all() as { service: string; slot: number; n: number }[];
    const capacity: Record<string, number> = { 'customer-care': 3, billing: 2, 'tech-support': 4 };
    for (const c of counts) expect(c.n).toBeLessThanOrEqual(capacity[c.service]);
    // The counters availability reads agree with the bookings themselves.
    for (const c of counts) {
      const kept = db.prepare('SELECT booked FROM gms_slot WHERE service = ? AND slot = ?').pluck().get(c.service, c.slot);
      expect(kept).toBe(c.n);
    }
    db.close();
    for (const slot of slots) {
      const mine = results.filter((r) => r.slot === slot);
      expect(mine.filter((r) => r.status === 0).length).toBeLessThanOrEqual(2);
      for (const r of mine.filter((x) => x.status !== 0)) {
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/CallbackExceptionAvailability/);
      }
    }
    (desk.store as SqliteStore).close();
  }, 120_000);

  it('a demo on the state file takes the desktop lock', () => {
    const file = path.join(dir, 'locked.db');
    const desk = desktopOn(file);
    (desk.store as SqliteStore).acquireDesktopLock(process.pid, () => true);
    const script = path.join(dir, 'one.demo');
    fs.writeFileSync(script, 'advance 2h\n');
    const res = runBin(['demo', script, '--state', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/open in another callback-desk desktop/);
    (desk.store as SqliteStore).close();
  });
});

describe('a refused command', () => {
  const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

  it('leaves memory and the store exactly as they were, also after a checkpoint and a reopen', () => {
    const file = path.join(dir, 'refused.db');
    const e = desktopOn(file);
    e.login('a.lopez', 'P');
    e.commit();
    const memory = e.snapshot();
    const store = dumpStore(e);
    const gcb = bookGenesysCallback(e, { service: 'billing', contactId: 'C0001', customerNumber: '+12125550100', type: 'Scheduled', slot: T0 - 60 * MIN, bookedBy: 'a.lopez' });
    expect(gcb.ok).toBe(false);
    expect(cancelCallback(e, 1001).ok).toBe(false); // not a callback
    expect(e.markMessageRead('M999999').ok).toBe(false);
    expect(e.login('nobody', 'P').ok).toBe(false);
    expect(e.acceptInteraction('I999').ok).toBe(false);
    expect(e.markDone('I999').ok).toBe(false);
    expect(requestPreviewRecord(e, 'collections-q4').ok).toBe(false); // an automatic campaign
    expect(addChainNumber(e, 'C0001', { phone: '12', type: 4, from: 9 * 3600, until: 17 * 3600 }).ok).toBe(false);
    expect(addChainNumber(e, 'C0001', { phone: '+12125550199', type: 4, from: 17 * 3600, until: 9 * 3600 }).ok).toBe(false);
    expect(updateCustomerRecord(e, 'C0001', { 'No Such Field': 'x' }).ok).toBe(false);
    expect(rescheduleGenesysCallback(e, 'CB999999', T0 + 86_400_000, 'a.lopez').ok).toBe(false);
    expect(cancelGenesysCallback(e, 'CB999999').ok).toBe(false);
    expect(scheduleCallback(e, { recordId: 1001, when: { kind: 'instant', utc: T0 - 60 * MIN }, agentId: 'a.lopez' }).ok).toBe(false); // past
    // A command that throws half-way rolls back too.
    expect(() =>
      e.run(() => {
        const r = e.record(1001)!;
        r.record_status = RecordStatus.Stale;
        e.touch('record', 1001);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(e.snapshot()).toEqual(memory);
    e.commit();
    expect(dumpStore(e)).toEqual(store);
    (e.store as SqliteStore).close();
    const h = sha(file);
    const again = desktopOn(file);
    expect(again.snapshot()).toEqual(memory);
    expect(dumpStore(again)).toEqual(store);
    (again.store as SqliteStore).close();
    expect(typeof h).toBe('string');
  });
});

describe('a state file written by the previous version (schema 1)', () => {
  it('opens with every record, callback, booking and message kept', () => {
    const file = path.join(dir, 'v1.db');
    fs.copyFileSync('tests/fixtures/state-v1.db', file);
    const old = new Database(file, { readonly: true });
    const kinds = Object.fromEntries((old.prepare('SELECT kind, count(*) AS n FROM entity GROUP BY kind').all() as { kind: string; n: number }[]).map((r) => [r.kind, r.n]));
    const oldRecords = (old.prepare("SELECT body FROM entity WHERE kind = 'record'").pluck().all() as string[]).map((b) => JSON.parse(b));
    const oldBookings = (old.prepare("SELECT body FROM entity WHERE kind = 'gcallback'").pluck().all() as string[]).map((b) => JSON.parse(b));
    const oldMessages = (old.prepare("SELECT body FROM entity WHERE kind = 'message'").pluck().all() as string[]).map((b) => JSON.parse(b));
    old.close();
    const e = desktopOn(file);
    const db = (e.store as SqliteStore).db;
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    expect(count('calling_list')).toBe(kinds.record);
    expect(count('contact')).toBe(kinds.contact);
    expect(count('gms_callback')).toBe(kinds.gcallback);
    expect(count('message')).toBe(kinds.message);
    expect(count('interaction')).toBe(kinds.interaction);
    for (const { dial_sched_time, call_time, ...r } of oldRecords) {
      expect(e.record(r.record_id)).toEqual({ ...r, dialSchedAt: dial_sched_time === null ? null : dial_sched_time * 1000, callAt: call_time === null ? null : call_time * 1000, callback_local: r.callback_local ?? null, disposition: r.disposition ?? null });
    }
    for (const cb of oldBookings) expect(e.gcallback(cb.id)).toEqual(cb);
    for (const m of oldMessages) expect(e.message(m.id)).toEqual(m);
    // The open callbacks of the old file still come due: their timers are read from the table.
    const open = oldRecords.filter((r) => (r.record_type === 5 || r.record_type === 6) && r.record_status === 1);
    expect(open.length).toBeGreaterThan(0);
    (e.store as SqliteStore).close();
  });
});
