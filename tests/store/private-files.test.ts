import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { makePrivateDir, openPrivateFile } from '../../src/store/private-files.js';
import { BIN, tmpDir } from '../helpers/bin.js';
import { T0 } from '../helpers/world.js';

const dir = tmpDir('cbd-private-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8).padStart(4, '0');

const umaskBefore = process.umask();
afterEach(() => {
  process.umask(umaskBefore);
});

describe.each([0o022, 0o000])('with umask %o', (umask) => {
  const u = umask.toString(8).padStart(3, '0');

  it('a new state file, its new directories, the temporary file it is built in, its journal, -wal and -shm are private (0600, 0700)', async () => {
    process.umask(umask);
    const stateDir = path.join(dir, `u${u}`, 'nested', 'callback-desk');
    const file = path.join(stateDir, 'state.db');
    const seen: Record<string, string> = {};
    const { store, created } = await SqliteStore.open(file, () => {
      // Called once SQLite has the temporary file open: it, and the journal a write gives it.
      const tmp = fs.readdirSync(stateDir).find((f) => f.endsWith('.tmp'))!;
      seen.tmp = mode(path.join(stateDir, tmp));
      const other = new Database(path.join(stateDir, tmp));
      other.pragma('journal_mode = DELETE');
      other.exec('BEGIN IMMEDIATE; CREATE TABLE probe (x); ');
      seen.journal = mode(path.join(stateDir, `${tmp}-journal`));
      other.exec('ROLLBACK');
      other.close();
      return createDemoWorld(1, T0);
    });
    try {
      expect(created).toBe(true);
      // A write, so that the write-ahead log and its index exist while the store is open.
      await store.transaction((tx) => tx.bumpRevision());
      expect({
        tmp: seen.tmp,
        journal: seen.journal,
        state: mode(file),
        wal: mode(`${file}-wal`),
        shm: mode(`${file}-shm`),
        dir: mode(stateDir),
        parent: mode(path.dirname(stateDir)),
        grandparent: mode(path.dirname(path.dirname(stateDir))),
      }).toEqual({ tmp: '0600', journal: '0600', state: '0600', wal: '0600', shm: '0600', dir: '0700', parent: '0700', grandparent: '0700' });
      // Nothing else was left beside it.
      expect(fs.readdirSync(stateDir).sort()).toEqual(['state.db', 'state.db-shm', 'state.db-wal']);
    } finally {
      await store.close();
    }
  });

  it('an existing directory keeps its mode; a file written again keeps the mode its owner gave it', () => {
    process.umask(umask);
    const mine = path.join(dir, `mine-${u}`);
    fs.mkdirSync(mine, { mode: 0o755 });
    fs.chmodSync(mine, 0o755);
    makePrivateDir(mine);
    expect(mode(mine)).toBe('0755');
    const shared = path.join(mine, 'shared.csv');
    fs.writeFileSync(shared, 'x');
    fs.chmodSync(shared, 0o644);
    fs.closeSync(openPrivateFile(shared));
    expect(mode(shared)).toBe('0644');
    const fresh = path.join(mine, 'fresh.csv');
    fs.closeSync(openPrivateFile(fresh));
    expect(mode(fresh)).toBe('0600');
  });

  it('the bin: a new state under $XDG_DATA_HOME, a demo recording and its frames, the attempts log', () => {
    const base = path.join(dir, `bin-${u}`);
    fs.mkdirSync(base);
    const xdg = path.join(base, 'xdg');
    const script = path.join(base, 'login.demo');
    fs.writeFileSync(script, 'size 80x24\nkey enter\nexpect My Campaigns\nsnapshot main\n');
    const run = (args: string[]) => {
      const cmd = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('sh', ['-c', `umask ${u} && exec ${cmd}`], { encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: xdg, CI: 'false' }, timeout: 60_000 });
      expect(r.stderr.replace(/^callback-desk: note: .*\n/, '')).toBe('');
      expect(r.status).toBe(0);
    };
    run(['records', 'list', '--limit', '1', '--now', '2026-11-24T15:00:00Z']);
    expect(mode(xdg)).toBe('0700');
    expect(mode(path.join(xdg, 'callback-desk'))).toBe('0700');
    expect(mode(path.join(xdg, 'callback-desk', 'state.db'))).toBe('0600');
    const cast = path.join(base, 'casts', 'login.cast');
    const frames = path.join(base, 'frames');
    run(['demo', script, '--cast', cast, '--frames', frames]);
    expect(mode(path.dirname(cast))).toBe('0700');
    expect(mode(cast)).toBe('0600');
    expect(mode(frames)).toBe('0700');
    const written = fs.readdirSync(frames);
    expect(written).toContain('main.txt');
    for (const f of written) expect(mode(path.join(frames, f)), f).toBe('0600');
    const attempts = path.join(base, 'attempts.csv');
    run(['sim', '--hours', '0.1', '--agents', '2', '--attempts', attempts]);
    expect(mode(attempts)).toBe('0600');
  }, 120_000);
});
