import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinAsync, tmpDir } from '../helpers/bin.js';
import { requireTool } from '../helpers/tools.js';

const dir = tmpDir('cbd-cli-');

// Every test on files of its own: all of them side by side (describe.concurrent).
describe.concurrent('callback-desk (the built bin)', () => {
  it('--help lists the commands and options', async () => {
    const r = await runBinAsync(['--help']);
    expect(r.status).toBe(0);
    for (const o of ['--agent', '--seed', '--now', '--tz', '--speed', '--state', '--ephemeral', '--version', 'demo']) expect(r.stdout).toContain(o);
  });

  it('--version names the tzdata release in use', async () => {
    const r = await runBinAsync(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^callback-desk \d+\.\d+\.\d+ \(tzdata 20\d\d[a-z]+ from .+\)\n$/);
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--tz', 'Mars/Olympus_Mons'], /unknown time zone "Mars\/Olympus_Mons"/],
    [['--now', '2026-13-45 25:00'], /ISO-8601 instant/],
    [['--now', '2026-11-24T15:00:00'], /ISO-8601 instant/],
    [['--speed', '-2'], /speed must be a number/],
    [['--seed', 'abc'], /seed must be a whole number/],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const r = await runBinAsync(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  // The plain desktop start is read without commander; what it does not take (a repeated
  // option, a refused value) is commander's, with the same words as ever.
  it.each([
    [['--seed', '3', '--now', '2026-11-24T15:00:00Z', '--tz', 'Europe/Berlin', '--state', path.join(dir, 'plain.db'), '--agent', 'a.lopez', '--speed', '2'], /interactive terminal.*callback-desk demo/],
    // An option given twice is refused before anything else (issue 21: commander took the last).
    [['--speed', '2', '--speed', '3', '--ephemeral'], /--speed is given twice; give it once/],
    [['--state', path.join(dir, 'plain.db'), '--speed', 'fast'], /speed must be a number/],
    [['--ephemeral', '--tz'], /option '--tz <zone>' argument missing/],
  ])('the desktop start %j without a TTY: one line on stderr, exit 2', async (args, message) => {
    const r = await runBinAsync(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('without a TTY says so, names `demo`, exit 2, no stack trace', async () => {
    const r = await runBinAsync(['--ephemeral']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('callback-desk demo');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a state file that is not its own, exit 2, file untouched', async () => {
    const f = path.join(dir, 'notes.db');
    fs.writeFileSync(f, 'not a database at all');
    const before = crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    const script = path.join(dir, 'x.demo');
    fs.writeFileSync(script, 'key enter\n');
    const r = await runBinAsync(['demo', script, '--state', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a callback-desk state file');
    expect(crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')).toBe(before);
  });
});

describe.concurrent('callback-desk demo', () => {
  it('runs demos/login.demo: exit 0, a cast asciinema can play and text frames', async () => {
    const cast = path.join(dir, 'login.cast');
    const frames = path.join(dir, 'frames');
    const r = await runBinAsync(['demo', 'demos/login.demo', '--cast', cast, '--frames', frames]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = fs.readFileSync(cast, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    let last = -1;
    for (const l of lines.slice(1)) {
      const [t, kind, text] = JSON.parse(l);
      expect(kind).toBe('o');
      expect(typeof text).toBe('string');
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(fs.readFileSync(path.join(frames, 'main-window.txt'), 'utf8')).toContain('My Campaigns');
  });

  it('writes a cast that asciinema play accepts', async () => {
    requireTool('asciinema', ['--version'], 'asciinema');
    const cast = path.join(dir, 'play.cast');
    expect((await runBinAsync(['demo', 'demos/login.demo', '--cast', cast])).status).toBe(0);
    // asciinema play wants a terminal; util-linux `script` gives it one.
    const r = spawnSync('script', ['-qec', `asciinema play -s 100 -i 0.01 ${cast}`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('My Campaigns');
  });

  it('gives the same cast for the same script', async () => {
    const a = path.join(dir, 'a.cast');
    const b = path.join(dir, 'b.cast');
    expect((await runBinAsync(['demo', 'demos/login.demo', '--cast', a])).status).toBe(0);
    expect((await runBinAsync(['demo', 'demos/login.demo', '--cast', b])).status).toBe(0);
    expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(b, 'utf8'));
  });

  it('fails with exit 1, the line, the expected text and the screen when an expect does not hold', async () => {
    const script = path.join(dir, 'fail.demo');
    fs.writeFileSync(script, 'size 80x24\nkey enter\n# wrong on purpose\nexpect No Such Campaign\n');
    const r = await runBinAsync(['demo', script]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(':4: expected "No Such Campaign"');
    expect(r.stderr).toContain('My Campaigns');
  });

  it('rejects a malformed script with exit 2 naming the line', async () => {
    const script = path.join(dir, 'bad.demo');
    fs.writeFileSync(script, 'size 80x24\nkey enter\nadvance soon\n');
    const r = await runBinAsync(['demo', script]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('line 3');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('rejects a setting after the first key', async () => {
    const script = path.join(dir, 'late.demo');
    fs.writeFileSync(script, 'key enter\nseed 3\n');
    const r = await runBinAsync(['demo', script]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('line 2');
  });
});

describe.concurrent('paths, leading options and unknown commands', () => {
  const state = path.join(dir, 'lead.db');
  it.each([
    [['records', 'list', '--state', ''], /--state needs a file name/],
    [['records', 'list', '--state', `${dir}/`], /names a directory \(it ends in "\/"\)/],
    [['records', 'list', '--state', dir], /is a directory/],
    [['records', 'list', '--state', '/dev/null'], /not a regular file/],
    [['records', 'list', '--now', '2026-02-30T10:00:00Z', '--state', path.join(dir, 'feb30.db')], /ISO-8601 instant/],
    [['--speed', '3', 'records', 'list', '--state', state], /--speed before "list" is the desktop's option/],
    [['--state', path.join(dir, 'a.db'), 'records', 'list', '--state', path.join(dir, 'b.db')], /given twice with different values/],
    [['frobnicate'], /unknown command "frobnicate" \(commands: demo, host, supervisor, records, callbacks, slots, sim, campaigns, state, agents, calls; none starts the desktop\)/],
    [['records', 'frobnicate'], /^callback-desk: unknown command "records frobnicate" \(records commands: list, import, export\)\n$/],
  ])('%j: one line on stderr, exit 2, no file made', async (args, message) => {
    const r = await runBinAsync(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    for (const f of ['feb30.db', 'a.db', 'b.db']) expect(fs.existsSync(path.join(dir, f))).toBe(false);
  });

  it('applies world options given before the command exactly as after it', async () => {
    const before = path.join(dir, 'before.db');
    const after = path.join(dir, 'after.db');
    const a = await runBinAsync(['--state', before, '--now', '2026-11-24T15:00:00Z', '--seed', '3', 'records', 'list', '--limit', '3', '--jsonl']);
    const b = await runBinAsync(['records', 'list', '--limit', '3', '--jsonl', '--state', after, '--now', '2026-11-24T15:00:00Z', '--seed', '3']);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(fs.existsSync(before)).toBe(true);
    expect(fs.existsSync(after)).toBe(true);
  });
});
