import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { createEngine } from '../../src/engine/simulation.js';
import { myCallbacks } from '../../src/engine/my-callbacks.js';
import { scheduleCallback } from '../../src/engine/outbound.js';
import { needsSchema2Upgrade } from '../../src/store/migrate.js';
import { SCHEMA_VERSION, SqliteStore } from '../../src/store/sqlite-store.js';
import { T0, testZones } from '../helpers/world.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-upgrade-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = async (f: string) => {
  const { store } = await SqliteStore.open(f, () => createDemoWorld(7, T0));
  return { store, engine: await createEngine(store, { zones: testZones() }) };
};
const columns = (db: Database.Database) => (db.prepare('PRAGMA table_info(calling_list)').all() as { name: string }[]).map((c) => c.name);
const indexes = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all() as string[];

describe('a schema-2 file made before My Callbacks', () => {
  it('gains calling_list.booked_by and the My Callbacks indexes on open, rows kept, upgraded to the current schema', async () => {
    const f = path.join(dir, 'before.db');
    await (await open(f)).store.close();
    // Make it as an older build left it: no booked_by column, no My Callbacks indexes, the
    // index by contact_info that no query asked.
    const raw = new Database(f);
    raw.exec('DROP INDEX calling_list_booked_callback; DROP INDEX gms_callback_booked_by; ALTER TABLE calling_list DROP COLUMN booked_by;');
    raw.exec('CREATE INDEX calling_list_contact_info ON calling_list (contact_info)');
    const rows = raw.prepare('SELECT count(*) FROM calling_list').pluck().get();
    expect(columns(raw)).not.toContain('booked_by');
    expect(needsSchema2Upgrade(raw)).toBe(true);
    raw.close();

    const { store, engine } = await open(f);
    expect(columns(store.db)).toContain('booked_by');
    expect(indexes(store.db)).toEqual(expect.arrayContaining(['calling_list_booked_callback', 'gms_callback_booked_by']));
    expect(indexes(store.db)).not.toContain('calling_list_contact_info');
    expect(needsSchema2Upgrade(store.db)).toBe(false);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.prepare('SELECT count(*) FROM calling_list').pluck().get()).toBe(rows);
    // And it works: a campaign callback booked now is the agent's.
    await engine.login('a.lopez', 'Place_1');
    const recs = [];
    for await (const r of engine.store.bulk.listRecords({ campaignId: 'care-follow-up', limit: 1 })) recs.push(r);
    const rec = recs[0];
    const r = await scheduleCallback(engine, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 + 86_400_000 }, personal: false, agentId: 'a.lopez', bookedBy: 'a.lopez' });
    expect(r.ok).toBe(true);
    expect((await engine.read((q) => myCallbacks(engine, q, 'a.lopez'))).map((c) => c.key)).toEqual([`ocs:${rec.record_id}`]);
    await store.close();
  });

  it('a schema-1 file is migrated straight to the new tables, column and indexes included', async () => {
    const f = path.join(dir, 'v1.db');
    fs.copyFileSync('tests/fixtures/state-v1.db', f);
    const { store } = await open(f);
    expect(columns(store.db)).toContain('booked_by');
    expect(needsSchema2Upgrade(store.db)).toBe(false);
    await store.close();
  });
});

describe('a schema-1 file whose upgrade fails', () => {
  it('is left byte for byte as it was, in either journal mode, and the refusal says so', async () => {
    for (const mode of ['wal', 'delete']) {
      const f = path.join(dir, `broken-${mode}.db`);
      fs.copyFileSync('tests/fixtures/state-v1.db', f);
      const raw = new Database(f);
      raw.pragma(`journal_mode = ${mode}`);
      // A record the upgrade cannot read: the whole upgrade is refused.
      raw.prepare("UPDATE entity SET body = '{not json' WHERE kind = 'record' AND id = (SELECT min(id) FROM entity WHERE kind = 'record')").run();
      raw.close();
      const before = fs.readFileSync(f);
      await expect(SqliteStore.open(f, () => createDemoWorld(7, T0))).rejects.toThrow(/could not be upgraded to state schema \d .*it was left as it was/);
      expect(Buffer.compare(fs.readFileSync(f), before)).toBe(0);
      expect(fs.existsSync(`${f}-journal`)).toBe(false);
    }
  });
});
