import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBinAsync, tmpDir } from '../helpers/bin.js';
import { postgresStates, sqliteStates } from '../helpers/pg-state-backends.js';

/**
 * Every demo in demos/, run through the built bin on a new SQLite file and on a new PostgreSQL
 * database, gives byte-identical frames and casts: the engine on the asynchronous store is as
 * deterministic on the server database as on the embedded one. The cast's title names the script
 * path only (`callback-desk: demos/x.demo`), and both runs are given the same path, so the casts
 * compare whole, header included.
 */

const dir = tmpDir('cbd-demos-both-');
const sqlite = sqliteStates('cbd-demos-both-');
const postgres = postgresStates();
afterAll(async () => {
  await sqlite.cleanup();
  await postgres.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const demos = fs
  .readdirSync('demos')
  .filter((f) => f.endsWith('.demo'))
  .sort()
  .map((f) => `demos/${f}`);

/** The files of a directory, by name, as bytes. */
function filesOf(d: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(d)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(d, f))]),
  );
}

describe('every demo on a SQLite state and on a PostgreSQL state', () => {
  it('finds the demos', () => {
    expect(demos.length).toBeGreaterThanOrEqual(8);
  });

  // Two runs of the bin each, on a busy two-core machine beside the other test files.
  it.each(demos)('%s: the same frames and cast, byte for byte', { timeout: 180_000 }, async (demo) => {
    const name = path.basename(demo, '.demo');
    const run = async (label: 'sqlite' | 'postgres', state: string) => {
      const frames = path.join(dir, `${name}-${label}-frames`);
      const cast = path.join(dir, `${name}-${label}.cast`);
      const r = await runBinAsync(['demo', demo, '--state', state, '--frames', frames, '--cast', cast]);
      expect(r.status, `${label}: ${r.stderr}`).toBe(0);
      return { frames: filesOf(frames), cast: fs.readFileSync(cast), stdout: r.stdout };
    };
    // The two runs side by side: each on its own state, into its own frames and cast.
    const [onFile, onDatabase] = await Promise.all([run('sqlite', await sqlite.fresh(name)), run('postgres', await postgres.fresh(name))]);

    expect(onFile.frames.size).toBeGreaterThan(1);
    expect([...onDatabase.frames.keys()]).toEqual([...onFile.frames.keys()]);
    for (const [f, bytes] of onFile.frames) {
      // Compared as text so a difference shows as a diff of the screen; then byte for byte.
      expect(onDatabase.frames.get(f)!.toString('utf8'), `${demo} ${f}`).toBe(bytes.toString('utf8'));
      expect(onDatabase.frames.get(f)!.equals(bytes), `${demo} ${f}`).toBe(true);
    }
    expect(JSON.parse(onFile.cast.toString('utf8').split('\n')[0]).title).toBe(`callback-desk: ${demo}`);
    expect(onDatabase.cast.toString('utf8')).toBe(onFile.cast.toString('utf8'));
    expect(onDatabase.cast.equals(onFile.cast)).toBe(true);
    // The summary line names the script, the expectations, the snapshots, frames and the cast's path.
    expect(onDatabase.stdout.replace('-postgres.cast', '.cast')).toBe(onFile.stdout.replace('-sqlite.cast', '.cast'));
  });
});
