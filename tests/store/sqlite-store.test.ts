import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { createEngine } from '../../src/engine/simulation.js';
import { SCHEMA_VERSION } from '../../src/engine/world.js';
import { APPLICATION_ID, SqliteStore, StateFileError, defaultStatePath } from '../../src/store/sqlite-store.js';
import { T0, dumpStore, testZones } from '../helpers/world.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function open(f: string, owner = true) {
  const { store, created } = SqliteStore.open(f, () => createDemoWorld(7, T0));
  const engine = createEngine(store, { zones: testZones(), owner });
  return { store, engine, created };
}

describe('SqliteStore', () => {
  it('creates a new world at --now and restores it, clock and all, after a restart', () => {
    const f = file('restart.db');
    const a = open(f);
    expect(a.created).toBe(true);
    expect(a.engine.now).toBe(T0);
    a.engine.login('a.lopez', 'Place_9');
    const msg = a.engine.messagesFor('a.lopez')[0];
    expect(a.engine.markMessageRead(msg.id).ok).toBe(true);
    a.engine.advanceBy(90 * 60_000);
    a.engine.commit();
    const before = a.engine.snapshot();
    a.store.close();

    const b = open(f);
    expect(b.created).toBe(false);
    expect(b.engine.now).toBe(T0 + 90 * 60_000);
    expect(b.engine.message(msg.id)!.read).toBe(true);
    expect(b.engine.agentId).toBe('a.lopez');
    expect(b.engine.snapshot()).toEqual(before);
    // The simulation resumes: the same future as a run that never stopped.
    const c = file('restart-copy.db');
    b.engine.commit();
    fs.copyFileSync(f, c);
    if (fs.existsSync(`${f}-wal`)) fs.copyFileSync(`${f}-wal`, `${c}-wal`);
    b.engine.advanceBy(3 * 3600_000);
    b.engine.commit();
    const never = open(c);
    never.engine.advanceBy(3 * 3600_000);
    never.engine.commit();
    expect(dumpStore(b.engine)).toEqual(dumpStore(never.engine));
    expect(Object.keys(b.engine.state.interactions).length).toBeGreaterThan(0);
    b.store.close();
    never.store.close();
  });

  it('exposes the calling list in OCS field names for sqlite3 users', () => {
    const f = file('view.db');
    open(f).store.close();
    const db = new Database(f, { readonly: true });
    const row = db.prepare('SELECT record_id, contact_info, record_type, record_status, call_result, tz FROM calling_list LIMIT 1').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({ record_type: 2, record_status: 1, call_result: 28 });
    expect(typeof row.tz).toBe('string');
  });

  it('refuses a file that is not a state file and leaves it untouched', () => {
    const f = file('notes.txt');
    fs.writeFileSync(f, 'these are my notes, not a database\n');
    const h = sha(f);
    expect(() => open(f)).toThrow(StateFileError);
    expect(() => open(f)).toThrow(/not a callback-desk state file/);
    expect(sha(f)).toBe(h);
  });

  it('refuses an SQLite file of another application, untouched', () => {
    const f = file('other.db');
    const db = new Database(f);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const h = sha(f);
    expect(() => open(f)).toThrow(/another application/);
    expect(sha(f)).toBe(h);
  });

  it('refuses a state file from a newer schema, untouched', () => {
    const f = file('newer.db');
    open(f).store.close();
    const db = new Database(f);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const h = sha(f);
    expect(() => open(f)).toThrow(/newer callback-desk/);
    expect(sha(f)).toBe(h);
    const check = new Database(f, { readonly: true });
    expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    check.close();
  });

  it('refuses a damaged state file and leaves it untouched', () => {
    const f = file('damaged.db');
    open(f).store.close();
    const db = new Database(f);
    db.pragma('journal_mode = DELETE');
    db.close();
    // Overwrite a page in the middle of the file with garbage.
    const bytes = fs.readFileSync(f);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2048);
    fs.writeFileSync(f, bytes);
    const h = sha(f);
    expect(() => open(f)).toThrow(/is damaged/);
    expect(sha(f)).toBe(h);
  });

  it('lets the desktop and a script share one file: no corruption, no id taken twice, each sees the other', () => {
    const f = file('two.db');
    const a = open(f);
    const b = open(f, false);
    a.engine.login('a.lopez', 'P');
    for (let i = 0; i < 50; i++) {
      a.engine.exclusive(() => a.engine.postMessage('a.lopez', 'system', `from a ${i}`, ''));
      b.engine.exclusive(() => b.engine.postMessage('a.lopez', 'system', `from b ${i}`, ''));
    }
    expect(a.engine.messagesFor('a.lopez').some((m) => m.subject === 'from b 49')).toBe(true);
    a.store.close();
    b.store.close();
    const db = new Database(f, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = db.prepare("SELECT count(*) AS n FROM message WHERE subject LIKE 'from %'").get() as { n: number };
    db.close();
    expect(n.n).toBe(100);
  });

  it('loses nothing already confirmed when the process is killed while it commits', async () => {
    const bundle = file('commit-loop.mjs');
    await build({
      entryPoints: ['tests/fixtures/commit-loop.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['better-sqlite3', 'moment-timezone'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: 'error',
      absWorkingDir: process.cwd(),
      nodePaths: [path.resolve('node_modules')],
    });
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    const f = file('killed.db');
    const confirmed: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, f], { stdio: ['ignore', 'pipe', 'inherit'] });
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) if (l.startsWith('confirmed ')) confirmed.push(l.slice(10));
        if (confirmed.length >= 60) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without being killed (${signal})`))));
    });
    expect(confirmed.length).toBeGreaterThanOrEqual(60);
    const db = new Database(f);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((db.prepare('SELECT id FROM message').all() as { id: string }[]).map((r) => r.id));
    db.close();
    for (const id of confirmed) expect(ids.has(id)).toBe(true);
  });

  it('admits one desktop per file and takes over the lock of a dead one', () => {
    const f = file('lock.db');
    const a = open(f);
    const b = open(f);
    a.store.acquireDesktopLock(111, () => true);
    expect(() => b.store.acquireDesktopLock(222, () => true)).toThrow(/another callback-desk desktop \(pid 111\)/);
    expect(() => b.store.acquireDesktopLock(222, () => false)).not.toThrow();
    // A lock whose pid is alive but now names another process (the pid was reused) is taken over.
    b.store.db.prepare("UPDATE meta SET value = ? WHERE key = 'desktop'").run(JSON.stringify({ pid: process.pid, started: 'long ago' }));
    expect(() => a.store.acquireDesktopLock(333, () => true)).not.toThrow();
    // The same process, started when the lock says: refused.
    const alive = (pid: number) => pid === process.pid;
    a.store.acquireDesktopLock(process.pid, alive);
    expect(() => b.store.acquireDesktopLock(444, alive)).toThrow(/another callback-desk desktop/);
    a.store.close();
    b.store.close();
  });

  it('defaults to $XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultStatePath({ XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe('/x/data/callback-desk/state.db');
    expect(defaultStatePath({}, '/home/u')).toBe('/home/u/.local/share/callback-desk/state.db');
  });
});
