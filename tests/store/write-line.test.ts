import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WriteLine } from '../../src/store/sqlite-write-line.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-line-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function stateFile(name: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, '');
  return f;
}

/** The directory a state file's line keeps its tickets in. */
function ticketsOf(file: string): string {
  const st = fs.statSync(file);
  return path.join(os.tmpdir(), `callback-desk-${process.getuid!()}`, `writers-${st.dev}-${st.ino}`);
}

/** Resolves with the order in which the promises settled. */
function settleOrder(ps: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  return Promise.all(Object.entries(ps).map(([k, p]) => p.then(() => order.push(k)))).then(() => order);
}

describe('the write line of a SQLite state (first come, first served)', () => {
  it('lets writers in in the order they asked, each once the one before has left', async () => {
    const file = stateFile('fifo.db');
    // Three lines on one file: as three processes would each have.
    const [a, b, c] = [WriteLine.forFile(file)!, WriteLine.forFile(file)!, WriteLine.forFile(path.join(dir, '.', 'fifo.db'))!];
    const ta = await a.enter();
    expect(ta).not.toBeNull();
    let bIn = false;
    const tb = b.enter().then((t) => ((bIn = true), t));
    // Apart by a millisecond at least: the tickets are named by the instant.
    await new Promise((r) => setTimeout(r, 5));
    const tc = c.enter();
    const order = settleOrder({ b: tb, c: tc });
    // Not before a has left (b looked at once, and again at each change: c's ticket).
    await new Promise((r) => setTimeout(r, 20));
    expect(bIn).toBe(false);
    a.leave(ta);
    const tB = await tb;
    // c waits for b in turn.
    await new Promise((r) => setTimeout(r, 20));
    b.leave(tB);
    expect(await order).toEqual(['b', 'c']);
    c.leave(await tc);
    // The last to leave took the line's directory away.
    expect(fs.existsSync(ticketsOf(file))).toBe(false);
    for (const l of [a, b, c]) l.close();
  });

  it('keeps its tickets private in the temporary directory, nothing beside the state file', async () => {
    const file = stateFile('private.db');
    const line = WriteLine.forFile(file)!;
    const t = await line.enter();
    const tickets = ticketsOf(file);
    expect(fs.statSync(tickets).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(tickets)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(tickets).map((n) => fs.statSync(path.join(tickets, n)).mode & 0o777)).toEqual([0o600]);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('private.db'))).toEqual(['private.db']);
    line.leave(t);
    line.close();
  });

  it('takes no notice of a ticket whose process is gone: it is removed by the next writer', async () => {
    const file = stateFile('dead.db');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const tickets = ticketsOf(file);
    fs.mkdirSync(tickets, { recursive: true, mode: 0o700 });
    // Ahead of any ticket made now.
    fs.writeFileSync(path.join(tickets, `${String(Date.now() - 10_000).padStart(15, '0')}-000000000-${gone}-0`), '');
    const line = WriteLine.forFile(file)!;
    const t = await line.enter();
    // Removed, not passed over (a live one stays, see below).
    expect(fs.readdirSync(tickets)).toEqual([t!.name]);
    line.leave(t);
    line.close();
  });

  it('passes over a head that stays (a stopped writer) after a second: the lock of SQLite then decides', async () => {
    const file = stateFile('stopped.db');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const tickets = ticketsOf(file);
      fs.mkdirSync(tickets, { recursive: true, mode: 0o700 });
      const stuck = `${String(Date.now() - 10_000).padStart(15, '0')}-000000000-${sleeper.pid}-0`;
      fs.writeFileSync(path.join(tickets, stuck), '');
      const line = WriteLine.forFile(file)!;
      const t0 = Date.now();
      const t = await line.enter();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      // Its ticket stays: the process is alive, it may still be writing.
      expect(fs.readdirSync(tickets).sort()).toEqual([stuck, t!.name].sort());
      line.leave(t);
      line.close();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes a ticket whose pid now belongs to another process (started later) for a gone one', async () => {
    const file = stateFile('reused.db');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const tickets = ticketsOf(file);
      fs.mkdirSync(tickets, { recursive: true, mode: 0o700 });
      // The pid of a live process, with a start that is not its own: a ticket left by a process
      // that died before that pid was given again.
      fs.writeFileSync(path.join(tickets, `${String(Date.now() - 10_000).padStart(15, '0')}-000000000-${other.pid}-1`), '');
      fs.writeFileSync(path.join(tickets, 'notes.txt'), 'not a ticket');
      const line = WriteLine.forFile(file)!;
      const t = await line.enter();
      // Removed at once (not passed over a second later); what is not a ticket is left alone.
      expect(fs.readdirSync(tickets).sort()).toEqual([t!.name, 'notes.txt'].sort());
      line.leave(t);
      line.close();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('stands in no line kept in a directory not the user own: a symbolic link planted there', () => {
    const file = stateFile('planted.db');
    const st = fs.statSync(file);
    const base = path.join(os.tmpdir(), `callback-desk-${process.getuid!()}`);
    fs.mkdirSync(base, { recursive: true, mode: 0o700 });
    const target = fs.mkdtempSync(path.join(dir, 'elsewhere-'));
    fs.writeFileSync(path.join(target, '.bashrc'), 'keep me');
    const planted = path.join(base, `writers-${st.dev}-${st.ino}`);
    fs.symlinkSync(target, planted);
    try {
      expect(WriteLine.forFile(file)).toBeNull();
      expect(fs.readFileSync(path.join(target, '.bashrc'), 'utf8')).toBe('keep me');
    } finally {
      fs.unlinkSync(planted);
    }
  });

  it('is no line where there can be none: a state not on disk', () => {
    expect(WriteLine.forFile(path.join(dir, 'missing.db'))).toBeNull();
  });
});
