import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

async function open(f: string, owner = true) {
  const { store, created } = await SqliteStore.open(f, () => createDemoWorld(7, T0));
  const engine = await createEngine(store, { zones: testZones(), owner });
  return { store, engine, created };
}

describe('SqliteStore', () => {
  it('creates a new world at --now and restores it, clock and all, after a restart', async () => {
    const f = file('restart.db');
    const a = await open(f);
    expect(a.created).toBe(true);
    expect(a.engine.now).toBe(T0);
    await a.engine.login('a.lopez', 'Place_9');
    const msg = (await a.engine.messagesFor('a.lopez'))[0];
    expect((await a.engine.markMessageRead(msg.id)).ok).toBe(true);
    await a.engine.advanceBy(90 * 60_000);
    await a.engine.commit();
    const before = a.engine.snapshot();
    await a.store.close();

    const b = await open(f);
    expect(b.created).toBe(false);
    expect(b.engine.now).toBe(T0 + 90 * 60_000);
    expect((await b.engine.message(msg.id))!.read).toBe(true);
    expect(b.engine.agentId).toBe('a.lopez');
    expect(b.engine.snapshot()).toEqual(before);
    // The simulation resumes: the same future as a run that never stopped.
    const c = file('restart-copy.db');
    await b.engine.commit();
    fs.copyFileSync(f, c);
    if (fs.existsSync(`${f}-wal`)) fs.copyFileSync(`${f}-wal`, `${c}-wal`);
    await b.engine.advanceBy(3 * 3600_000);
    await b.engine.commit();
    const never = await open(c);
    await never.engine.advanceBy(3 * 3600_000);
    await never.engine.commit();
    expect(dumpStore(b.engine)).toEqual(dumpStore(never.engine));
    expect(Object.keys(b.engine.state.interactions).length).toBeGreaterThan(0);
    await b.store.close();
    await never.store.close();
  });

  it('exposes the calling list in OCS field names for sqlite3 users', async () => {
    const f = file('view.db');
    await (await open(f)).store.close();
    const db = new Database(f, { readonly: true });
    const row = db.prepare('SELECT record_id, contact_info, record_type, record_status, call_result, tz FROM calling_list LIMIT 1').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({ record_type: 2, record_status: 1, call_result: 28 });
    expect(typeof row.tz).toBe('string');
  });

  it('refuses a file that is not a state file and leaves it untouched', async () => {
    const f = file('notes.txt');
    fs.writeFileSync(f, 'these are my notes, not a database\n');
    const h = sha(f);
    await expect(open(f)).rejects.toThrow(StateFileError);
    await expect(open(f)).rejects.toThrow(/not a callback-desk state file/);
    expect(sha(f)).toBe(h);
  });

  it('refuses an SQLite file of another application, untouched', async () => {
    const f = file('other.db');
    const db = new Database(f);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const h = sha(f);
    await expect(open(f)).rejects.toThrow(/another application/);
    expect(sha(f)).toBe(h);
  });

  it('refuses a state file from a newer schema, untouched', async () => {
    const f = file('newer.db');
    await (await open(f)).store.close();
    const db = new Database(f);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const h = sha(f);
    await expect(open(f)).rejects.toThrow(/newer callback-desk/);
    expect(sha(f)).toBe(h);
    const check = new Database(f, { readonly: true });
    expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    check.close();
  });

  it('refuses a damaged state file and leaves it untouched', async () => {
    const f = file('damaged.db');
    await (await open(f)).store.close();
    const db = new Database(f);
    db.pragma('journal_mode = DELETE');
    db.close();
    // Overwrite a page in the middle of the file with garbage.
    const bytes = fs.readFileSync(f);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2048);
    fs.writeFileSync(f, bytes);
    const h = sha(f);
    await expect(open(f)).rejects.toThrow(/is damaged/);
    expect(sha(f)).toBe(h);
  });

  it('lets the desktop and a script share one file: no corruption, no id taken twice, each sees the other', async () => {
    const f = file('two.db');
    const a = await open(f);
    const b = await open(f, false);
    await a.engine.login('a.lopez', 'P');
    for (let i = 0; i < 50; i++) {
      await a.engine.exclusive(() => a.engine.postMessage('a.lopez', 'system', `from a ${i}`, ''));
      await b.engine.exclusive(() => b.engine.postMessage('a.lopez', 'system', `from b ${i}`, ''));
    }
    expect((await a.engine.messagesFor('a.lopez')).some((m) => m.subject === 'from b 49')).toBe(true);
    await a.store.close();
    await b.store.close();
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

  it('admits one desktop per file and takes over the lock of a dead one', async () => {
    const f = file('lock.db');
    const a = await open(f);
    const b = await open(f);
    // A desktop in another process: alive until it is killed.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(other, 'spawn');
    const otherPid = other.pid!;
    await a.store.acquireDesktopLock(otherPid);
    await expect(b.store.acquireDesktopLock(222)).rejects.toThrow(new RegExp(`another callback-desk desktop \\(pid ${otherPid}\\)`));
    // Gone (killed and reaped): its lock is taken over.
    const exited = once(other, 'exit');
    other.kill('SIGKILL');
    await exited;
    await expect(b.store.acquireDesktopLock(222)).resolves.not.toThrow();
    // A lock whose pid is alive but now names another process (the pid was reused) is taken over.
    b.store.db.prepare("UPDATE meta SET value = ? WHERE key = 'desktop'").run(JSON.stringify({ pid: process.pid, started: 'long ago' }));
    await expect(a.store.acquireDesktopLock(333)).resolves.not.toThrow();
    // The same process, started when the lock says: refused.
    await a.store.acquireDesktopLock(process.pid);
    await expect(b.store.acquireDesktopLock(444)).rejects.toThrow(/another callback-desk desktop/);
    await a.store.close();
    await b.store.close();
  });

  it('defaults to $XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultStatePath({ XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe('/x/data/callback-desk/state.db');
    expect(defaultStatePath({}, '/home/u')).toBe('/home/u/.local/share/callback-desk/state.db');
  });
});
