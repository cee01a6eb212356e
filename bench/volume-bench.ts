// The store at a contact center's volume: a generated calling list of 1,000,000 records over
// three campaigns and 1,000,000 Genesys bookings, written into a state file, then the hot paths
// timed on it. Printed by `npm run bench`; nothing here passes or fails.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { createDemoWorld } from '../src/engine/demo-world.js';
import { CallResult, RecordStatus, RecordType, type CallingListRecord, type GenesysCallback } from '../src/engine/domain.js';
import { createEngine } from '../src/engine/simulation.js';
import { availability } from '../src/engine/genesys-callback.js';
import { requestPreviewRecord } from '../src/engine/outbound.js';
import { TimeZones } from '../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../src/platform/tzdata.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { openStore } from '../src/store/open-store.js';
import type { StorePort } from '../src/engine/store-port.js';
import { median, timedAsks } from './timing.js';

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0);
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/St_Johns', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney'];
const CAMPAIGNS = ['care-follow-up', 'collections-q4', 'policy-renewals'];

/** Writes N records and N bookings into a new state file (the demo world around them). */
export async function buildVolumeState(file: string, n: number): Promise<{ ms: number }> {
  const t = performance.now();
  const { store } = await SqliteStore.open(file, () => createDemoWorld(7, T0));
  const db = store.db;
  db.pragma('synchronous = OFF');
  await store.transaction(async (tx) => {
    let id = 10_000_000;
    for (let i = 0; i < n; i++) {
      const tz = ZONES[i % ZONES.length];
      const r: CallingListRecord = {
        record_id: ++id,
        contact_info: `+1${String(2000000000 + i)}`,
        contact_info_type: 1,
        record_type: RecordType.General,
        record_status: RecordStatus.Ready,
        call_result: CallResult.Unknown,
        // Most of a real list has been tried already; the untried are the few.
        attempt: i % 97 === 0 ? 0 : 1 + (i % 5),
        dialSchedAt: null,
        callAt: null,
        daily_from: 8 * 3600,
        daily_till: 21 * 3600,
        tz_dbid: 1 + (i % ZONES.length),
        tz,
        campaign_id: CAMPAIGNS[i % 3],
        agent_id: null,
        chain_id: 5_000_000 + i,
        chain_n: 1,
        group_id: 'outbound-team',
        contact_id: 'C0001',
        treatments: [],
      };
      await tx.records.put(r);
    }
    const len = 15 * 60_000;
    for (let i = 0; i < n; i++) {
      const slot = T0 + 3600_000 + (i % 5000) * len;
      const cb: GenesysCallback = { id: `V${i}`, service: 'bench-volume', contactId: null, customerNumber: '+12125550100', type: 'Scheduled', desiredTime: slot, slot, state: 'SCHEDULED', reason: null, bookedBy: 'web', createdAt: T0, history: [], originInteraction: null };
      await tx.gcallbacks.put(cb, undefined);
    }
  });
  db.pragma('synchronous = FULL');
  await store.close();
  return { ms: performance.now() - t };
}

export async function benchVolume(file: string): Promise<void> {
  const { store } = await SqliteStore.open(file, () => createDemoWorld(7, T0));
  console.log('volume: %d records over 3 campaigns, %d Genesys bookings', await store.read((q) => q.records.count()), store.db.prepare('SELECT count(*) FROM gms_callback').pluck().get());
  await hotPaths(store, '');
}

/** The hot paths on a PostgreSQL state (after `records import` filled it), as on the file. */
export async function benchVolumeOn(url: string): Promise<void> {
  const { store } = await openStore(url, () => createDemoWorld(7, T0));
  console.log('  PostgreSQL, %d records:', await store.read((q) => q.records.count()));
  await hotPaths(store, '  ');
}

/** Opening an engine, the next Preview record and 30 days of availability, timed; the store is closed after. */
async function hotPaths(store: StorePort, indent: string): Promise<void> {
  const zones = new TimeZones(loadZoneDatabase());
  let t = performance.now();
  const engine = await createEngine(store, { zones });
  const openMs = performance.now() - t;
  await engine.login('a.lopez', 'P');
  // The first 21 asks of a fresh process (its code and the server's plans cold), then 60 more,
  // as an agent's desktop that has been working a while asks.
  const times: number[] = [];
  for (let i = 0; i < 81; i++) {
    t = performance.now();
    const r = await requestPreviewRecord(engine, 'care-follow-up');
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error);
    // Done without dialing: RecordReject, the record goes back to the list.
    await engine.markDone(r.value.id);
  }
  // As `slots` and the desktop ask it: a read outside any transaction. The first ask prepares
  // the statements and warms the code; the figure is the median of the asks after it.
  const avail = await timedAsks(() => engine.read((q) => availability(engine, q, { service: 'billing', start: T0, days: 30, reportBusy: true })), 21);
  console.log('%s  engine open on that state            %s ms', indent, openMs.toFixed(1));
  console.log('%s  next Preview record (median of 21)  %s ms (goal < 5 ms); asks 22 to 81: median %s ms', indent, median(times.slice(0, 21)).toFixed(2), median(times.slice(21)).toFixed(2));
  console.log('%s  availability, 30 days (median of 21) %s ms (first ask %s ms; %d slots; goal on PostgreSQL < 10 ms)', indent, median(avail.ms).toFixed(2), avail.firstMs.toFixed(2), avail.first.ok ? avail.first.value.slots.length : 0);
  // Logged out again: the first frame measured next is the login screen, as on the small state.
  await engine.logout();
  await store.close();
}

/** A calling-list CSV of n rows in the import's field names, with two custom fields. */
export function writeCallingListCsv(file: string, n: number): void {
  const fd = fs.openSync(file, 'w');
  let buf = 'contact_info,daily_from,daily_till,tz,first_name,last_name,Account,Balance\n';
  for (let i = 0; i < n; i++) {
    // Numbers in no particular order, as a purchased list has them.
    const num = 2000000000 + ((i * 2654435761) % 7999999999);
    buf += `+1${num},${8 * 3600},${21 * 3600},${ZONES[i % ZONES.length]},First${i % 997},Last${i % 1009},AC-${i},${(i % 5000) + 0.5}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/**
 * What `records import` cannot go below with better-sqlite3, timed in the bench's own process on
 * the CSV of writeCallingListCsv (no quotes, no checks, ids from a counter):
 * - `plainMs`: its rows as they are into a plain table, one prepared INSERT a row, one
 *   transaction: the anchor's own work (`sqlite3 .import`) done through the library;
 * - `schemaMs`: its rows into a state file's calling_list and contact (the file `fresh`, made by
 *   the bin), 64 rows an INSERT, the full indexes dropped before and built after: the import's
 *   writes without its reading, checking and parsing.
 */
export function importFloors(csv: string, plainFile: string, fresh: string): { plainMs: number; schemaMs: number } {
  const text = fs.readFileSync(csv, 'utf8');
  const lines = function* () {
    let at = text.indexOf('\n') + 1;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      yield text.slice(at, nl < 0 ? text.length : nl).split(',');
      at = nl < 0 ? text.length : nl + 1;
    }
  };

  let t = performance.now();
  const plain = new Database(plainFile);
  plain.exec('CREATE TABLE t (contact_info, daily_from, daily_till, tz, first_name, last_name, Account, Balance)');
  const put = plain.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  plain.exec('BEGIN');
  for (const f of lines()) put.run(f);
  plain.exec('COMMIT');
  plain.close();
  const plainMs = performance.now() - t;

  t = performance.now();
  const db = new Database(fresh);
  db.pragma('busy_timeout = 10000');
  const B = 64;
  const head = "INSERT INTO calling_list (record_id, contact_info, contact_info_type, record_type, record_status, call_result, attempt, daily_from, daily_till, tz_dbid, tz, campaign_id, chain_id, chain_n, group_id, contact_id, treatments) VALUES ";
  const one = "(?, ?, 0, 2, 1, 28, 0, ?, ?, 1, ?, 'care-follow-up', ?, 1, 'outbound-team', ?, '[]')";
  const many = db.prepare(head + Array(B).fill(one).join(', '));
  const single = db.prepare(head + one);
  const contacts = db.prepare(`INSERT INTO contact (id, first_name, last_name, tz, email, fields) VALUES ${Array(B).fill("(?, ?, ?, ?, '', ?)").join(', ')}`);
  const contact = db.prepare("INSERT INTO contact (id, first_name, last_name, tz, email, fields) VALUES (?, ?, ?, ?, '', ?)");
  db.exec('BEGIN IMMEDIATE');
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('calling_list_dialable', 'calling_list_chain', 'calling_list_contact')").all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  let id = 50_000_000;
  let rows: unknown[] = [];
  let people: unknown[] = [];
  let n = 0;
  const fields = (f: string[]) => `{"Account":${JSON.stringify(f[6])},"Balance":${JSON.stringify(f[7])}}`;
  for (const f of lines()) {
    id++;
    rows.push(id, f[0], Number(f[1]), Number(f[2]), f[3], id, `C${id}`);
    people.push(`C${id}`, f[4], f[5], f[3], fields(f));
    if (++n === B) {
      contacts.run(people);
      many.run(rows);
      rows = [];
      people = [];
      n = 0;
    }
  }
  for (let k = 0; k < n; k++) {
    contact.run(people.slice(k * 5, k * 5 + 5));
    single.run(rows.slice(k * 7, k * 7 + 7));
  }
  for (const i of indexes) db.exec(i.sql);
  db.exec('COMMIT');
  db.close();
  return { plainMs, schemaMs: performance.now() - t };
}
