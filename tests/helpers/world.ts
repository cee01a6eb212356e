import { createEngine } from '../../src/engine/simulation.js';
import type { Engine } from '../../src/engine/engine.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import type { WorldSeed } from '../../src/engine/world.js';
import type { CallingListRecord, GenesysCallback, Interaction } from '../../src/engine/domain.js';
import { deliverScheduledCall } from '../../src/engine/callbacks.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { bookGenesysCallback, slotsOnDate } from '../../src/engine/genesys-callback.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const T0 = Date.UTC(2026, 10, 24, 15, 0, 0); // Tue 24 Nov 2026 10:00 EST

let zones: TimeZones | undefined;
export function testZones(): TimeZones {
  return (zones ??= new TimeZones(loadZoneDatabase()));
}

/** An engine on an in-memory store holding the demo world (or the given seed world). */
export async function demoEngine(seed = 7, now = T0, world?: WorldSeed): Promise<Engine> {
  const { store } = await SqliteStore.open(':memory:', () => world ?? createDemoWorld(seed, now));
  return createEngine(store, { zones: testZones() });
}

/** The same store opened again by a new engine, as after a restart (the clock is saved first). */
export async function restart(e: Engine): Promise<Engine> {
  await e.commit();
  return createEngine(e.store, { zones: testZones() });
}

function sqliteOf(e: Engine) {
  return (e.store as SqliteStore).db;
}

/**
 * Every row of every table, in a stable order: what two runs that must agree are compared on.
 * Revisions count transactions (a restart commits once more), so they are left out.
 */
export function dumpStore(e: Engine): Record<string, unknown[]> {
  const db = sqliteOf(e);
  const out: Record<string, unknown[]> = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    out[t] = (db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all() as Record<string, unknown>[])
      .filter((r) => !(t === 'meta' && (r.key === 'revision' || r.key === 'desktop')))
      .map(({ rev: _rev, ...rest }) => rest);
  }
  return out;
}

/** Test look-ups over whole tables (fine for the demo world; the engine itself never scans). */
export async function allRecords(e: Engine): Promise<CallingListRecord[]> {
  const out: CallingListRecord[] = [];
  for await (const r of e.store.bulk.listRecords({})) out.push(r);
  return out;
}

/** One record as committed. */
export function recordOf(e: Engine, id: number): Promise<CallingListRecord | undefined> {
  return e.read((q) => q.records.get(id));
}

/**
 * One interaction as committed: a live one from the engine's memory, a finished one from the
 * store (`engine.interaction` answers only inside a transaction).
 */
export async function interactionOf(e: Engine, id: string): Promise<Interaction | undefined> {
  return e.state.interactions[id] ?? (await e.read((q) => q.interactions.get(id)));
}

export async function allContacts(e: Engine) {
  const ids = sqliteOf(e).prepare('SELECT id FROM contact ORDER BY rowid').pluck().all() as string[];
  return e.read(async (q) => {
    const out = [];
    for (const id of ids) out.push((await q.contacts.get(id))!);
    return out;
  });
}

export function allGcallbacks(e: Engine) {
  return e.read((q) => q.gcallbacks.list(10_000_000));
}

/** Changes records the way a feature would: in one transaction, each touched. */
export async function changeRecords(e: Engine, ids: number[], fn: (r: CallingListRecord) => void): Promise<void> {
  await e.exclusive(async () => {
    for (const id of ids) {
      const r = (await e.record(id))!;
      fn(r);
      e.touch('record', id);
    }
  });
}

/**
 * A callback of `campaign` (a record in America/New_York) delivered to a.lopez's desk, logged in
 * on Place_3101: where the call window's tests start.
 */
export async function callbackCallOnDesk(engine: Engine, campaign = 'care-follow-up'): Promise<{ rec: CallingListRecord; it: Interaction }> {
  await engine.login('a.lopez', 'Place_3101');
  const rec = (await allRecords(engine)).find((r) => r.campaign_id === campaign && r.tz === 'America/New_York')!;
  const it = await engine.exclusive(async () => deliverScheduledCall(engine, (await engine.record(rec.record_id))!, 'ScheduledCall', 'a.lopez'));
  return { rec, it };
}

/**
 * A Genesys callback of customer-care booked by a.lopez for a New York contact in today's first
 * open slot, the campaigns stopped (no dialer call beside it), and the clock a second past the
 * slot: the callback is due (it is returned). The caller logs in and sets the channels.
 */
export async function genesysCallbackDue(engine: Engine): Promise<GenesysCallback> {
  for (const c of Object.values(engine.state.campaigns)) if (c.status === 'Started') await setCampaignStatus(engine, c.id, 'Stopped');
  const contact = (await allContacts(engine)).find((c) => c.tz === 'America/New_York')!;
  const date = engine.zones.toWall('America/New_York', T0);
  const slot = (await engine.read((q) => slotsOnDate(engine, q, 'customer-care', date, 'America/New_York'))).find((s) => s.start > T0 && s.unavailable === null)!;
  const number = (await engine.read((q) => q.records.ofContact(contact.id)))[0].contact_info;
  const booked = await bookGenesysCallback(engine, { service: 'customer-care', contactId: contact.id, customerNumber: number, type: 'Scheduled', slot: slot.start, bookedBy: 'a.lopez' });
  if (!booked.ok) throw new Error(booked.error);
  await engine.advanceTo(slot.start + 1000);
  return booked.value;
}
