import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { T0 } from '../helpers/world.js';
import { runBin, tmpDir } from '../helpers/bin.js';

const dir = tmpDir('cbd-paths-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const world = () => createDemoWorld(7, T0);

describe('a --state that is a symbolic link', () => {
  it('to a file not made yet: the state is made where it points, and the link stays a link', async () => {
    const link = path.join(dir, 'link.db');
    fs.symlinkSync('target.db', link);
    const { store, created } = await SqliteStore.open(link, world);
    await store.close();
    expect(created).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('target.db');
    expect(fs.statSync(path.join(dir, 'target.db')).size).toBeGreaterThan(0);
  });

  it('to an empty file: that file gets the state, the link is kept', async () => {
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    const link = path.join(dir, 'link-empty.db');
    fs.symlinkSync(empty, link);
    const { store } = await SqliteStore.open(link, world);
    await store.close();
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(empty).size).toBeGreaterThan(0);
    // Opened again through the link: the same state, not a new one.
    const again = await SqliteStore.open(link, world);
    await again.store.close();
    expect(again.created).toBe(false);
  });
});

describe("an interrupted first start's leftovers", () => {
  it('are removed at the next start once their process is gone; a live one keeps its own', async () => {
    const sub = path.join(dir, 'left');
    fs.mkdirSync(sub);
    // A process that ended: its pid is free now.
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
    const dead = path.join(sub, `.state.db.${deadPid}.tmp`);
    // A process still running (this test's parent): its file may be a start under way.
    const live = path.join(sub, `.state.db.${process.ppid}.tmp`);
    for (const f of [dead, `${dead}-journal`, live]) fs.writeFileSync(f, 'x');
    const { store } = await SqliteStore.open(path.join(sub, 'state.db'), world);
    await store.close();
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(`${dead}-journal`)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});

describe('a path the file system refuses', () => {
  for (const [what, length] of [
    ['a name whose -journal would pass 255 bytes', 250],
    ['a name past 255 bytes', 300],
  ] as const) {
    it(`${what}: one line, exit 2, nothing made`, () => {
      const file = path.join(dir, `${'a'.repeat(length)}.db`);
      const r = runBin(['records', 'list', '--state', file, '--limit', '1']);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^callback-desk: .*(too long)/);
      expect(r.stdout).toBe('');
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('aaaa') || f.startsWith('.aaaa'))).toEqual([]);
    });
  }
});
