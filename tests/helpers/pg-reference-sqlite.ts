import type { CallingListRecord, GenesysCallback } from '../../src/engine/domain.js';
import type { BulkPort, CallingListExportRow, ContactTable, GenesysCallbackTable, StorePort, StoreTx } from '../../src/engine/store-port.js';
import type { WorldSeed } from '../../src/engine/world.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { contactFromRow, holdsCapacity, recordFromRow } from '../../src/store/tables.js';

/**
 * INTERIM, until the asynchronous SqliteStore lands on this branch: today's synchronous SQLite
 * store behind the asynchronous interface, so the PostgreSQL store's answers can be compared
 * with SQLite's now (tests/store/contract.test.ts, "answers as SQLite"). Its queries are
 * SQLite's own; what the synchronous store lacks (idsNear, a capacity on put, the bulk reads)
 * is written here as plainly as possible. Delete it when SqliteStore implements StorePort.
 */
type Any = Record<string, (...args: unknown[]) => unknown>;

function promised<T extends object>(target: T, extra: Record<string, unknown> = {}): T {
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string' && key in extra) return extra[key];
      const v = (t as unknown as Any)[key as string];
      return typeof v === 'function' ? (...args: unknown[]) => Promise.resolve(v.apply(t, args)) : v;
    },
  });
}

export function referenceSqlite(file: string, create: () => WorldSeed): { store: StorePort; created: boolean; sync: SqliteStore } {
  const { store: s, created } = SqliteStore.open(file, create);
  const db = s.db;
  const contacts = promised(s.contacts, {
    idsNear: async (id: string, limit: number) => {
      // As the asynchronous SqliteStore answers it.
      const before = (db.prepare('SELECT id FROM contact WHERE id < ? ORDER BY id DESC LIMIT ?').pluck().all(id, Math.ceil(limit / 2)) as string[]).reverse();
      return [...before, ...(db.prepare('SELECT id FROM contact WHERE id >= ? ORDER BY id LIMIT ?').pluck().all(id, limit - before.length) as string[])];
    },
  }) as unknown as ContactTable;
  const gcallbacks = promised(s.gcallbacks, {
    put: async (cb: GenesysCallback, before: GenesysCallback | undefined, capacity?: number) => {
      const stays = before !== undefined && holdsCapacity(before) && holdsCapacity(cb) && before.service === cb.service && before.slot === cb.slot;
      if (capacity !== undefined && holdsCapacity(cb) && !stays && s.gcallbacks.booked(cb.service, cb.slot) >= capacity) return false;
      s.gcallbacks.put(cb, before);
      return true;
    },
  }) as unknown as GenesysCallbackTable;
  const tables = { records: promised(s.records), contacts, interactions: promised(s.interactions), messages: promised(s.messages), gcallbacks };
  const tx = promised(s, {
    ...tables,
    allocateId: async (kind: string, initial: number) => s.allocateId(kind, initial),
  }) as unknown as StoreTx;
  const bulk: BulkPort = {
    async *listRecords(f) {
      yield* s.records.list(f);
    },
    async *exportCampaign(campaignId): AsyncGenerator<CallingListExportRow> {
      for (const row of db
        .prepare(
          `SELECT r.*, c.id AS c__id, c.first_name AS c__first_name, c.last_name AS c__last_name, c.tz AS c__tz, c.email AS c__email, c.fields AS c__fields
           FROM calling_list r LEFT JOIN contact c ON c.id = r.contact_id WHERE r.campaign_id = ? ORDER BY r.record_id`,
        )
        .iterate(campaignId) as Iterable<Record<string, unknown>>) {
        const record: CallingListRecord = recordFromRow(row);
        const contact =
          row.c__id === null
            ? undefined
            : contactFromRow({ id: row.c__id, first_name: row.c__first_name, last_name: row.c__last_name, tz: row.c__tz, email: row.c__email, fields: row.c__fields });
        yield { record, contact };
      }
    },
    async customFieldNames(campaignId) {
      const keys = db
        .prepare(`SELECT DISTINCT j.key FROM contact c, json_each(c.fields) j WHERE c.id IN (SELECT contact_id FROM calling_list WHERE campaign_id = ?) AND json_valid(c.fields) ORDER BY j.key`)
        .pluck()
        .all(campaignId) as string[];
      return keys;
    },
  };
  const store: StorePort = {
    persistent: true,
    location: file,
    backend: 'sqlite',
    bulk,
    async transaction(fn) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(tx);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    },
    async read(fn) {
      return fn(tx);
    },
    async revision() {
      return s.revision();
    },
    watch() {
      return () => {};
    },
    setBusyTimeout(ms) {
      s.setBusyTimeout(ms);
    },
    async acquireDesktopLock(pid) {
      s.acquireDesktopLock(pid, () => true);
    },
    async releaseDesktopLock(pid) {
      s.releaseDesktopLock(pid);
    },
    async close() {
      s.close();
    },
  };
  return { store, created, sync: s };
}
