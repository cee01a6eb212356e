import type Database from 'better-sqlite3';
import type { WorldSeed } from '../engine/world.js';
import { SCHEMA_VERSION } from './schema.js';
import { SqliteCallingList, SqliteContacts, SqliteGenesysCallbacks, SqliteInteractions, SqliteMessages } from './tables.js';

/** The rows of a seed world (also the target of the schema-1 migration). */
export function writeSeed(db: Database.Database, w: WorldSeed): void {
  const store = { records: new SqliteCallingList(db), contacts: new SqliteContacts(db), interactions: new SqliteInteractions(db), messages: new SqliteMessages(db), gcallbacks: new SqliteGenesysCallbacks(db) };
  const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  put.run('world', JSON.stringify({ schema: SCHEMA_VERSION, seed: w.seed, now: w.now, rng: w.rng, queue: w.queue, nextIds: w.nextIds, session: w.session, dialer: w.dialer }));
  put.run('revision', '1');
  const counter = db.prepare('INSERT OR REPLACE INTO counter (kind, next) VALUES (?, ?)');
  for (const [kind, next] of Object.entries(w.nextIds)) counter.run(kind, next);
  const entity = db.prepare('INSERT OR REPLACE INTO entity (kind, id, body, rev) VALUES (?, ?, ?, 1)');
  for (const [id, a] of Object.entries(w.agents)) entity.run('agent', id, JSON.stringify(a));
  for (const [id, c] of Object.entries(w.campaigns)) entity.run('campaign', id, JSON.stringify(c));
  for (const [id, s] of Object.entries(w.services)) entity.run('service', id, JSON.stringify(s));
  for (const c of Object.values(w.contacts)) store.contacts.write(c);
  for (const r of Object.values(w.records)) store.records.write(r);
  for (const it of Object.values(w.interactions)) store.interactions.write(it, 1);
  for (const m of Object.values(w.messages)) store.messages.write(m);
  for (const cb of Object.values(w.gcallbacks)) store.gcallbacks.write(cb, undefined);
}

