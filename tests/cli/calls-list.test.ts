import { afterAll, describe, expect, test } from 'vitest';
import { runBinAsync } from '../helpers/bin.js';
import { postgresStates, sqliteStates } from '../helpers/pg-state-backends.js';

/**
 * `calls list`: the call log a demo leaves behind, read back through the bin on a SQLite file and
 * on a PostgreSQL database: the same rows on both, each filter, each format, bad input refused.
 */

const backends = [sqliteStates('cbd-calls-'), postgresStates()];
afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

type Row = Record<string, unknown>;
const jsonl = (s: string): Row[] =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);

/** Each backend's rows after the reschedule demo, to compare the two. */
const seen = new Map<string, Row[]>();

// The two backends side by side (describe.concurrent), the tests of each in order on its state.
const it = test.sequential;

describe.concurrent.each(backends)('calls list on $name', (backend) => {
  let state = '';
  it('logs a Preview call and a personal callback of the reschedule demo', { timeout: 120_000 }, async () => {
    state = await backend.fresh('calls');
    const demo = await runBinAsync(['demo', 'demos/reschedule-callback.demo', '--state', state]);
    expect(demo.status, demo.stderr).toBe(0);
    const r = await runBinAsync(['calls', 'list', '--state', state, '--jsonl']);
    expect(r.status, r.stderr).toBe(0);
    const rows = jsonl(r.stdout);
    seen.set(backend.name, rows);
    // The Preview record: delivered, dialled, answered, hung up, a callback booked at Done.
    const preview = rows.find((x) => x.mode === 'Preview');
    expect(preview).toMatchObject({ agent_id: 'a.lopez', campaign_id: 'care-follow-up', call_result: 33, call_result_name: 'Answer' });
    for (const k of ['delivered_at', 'dialled_at', 'connected_at', 'ended_at', 'rescheduled_at']) expect(preview![k], k).toMatch(/^2026-11-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(preview!.connected_at as string)).toBeGreaterThan(Date.parse(preview!.dialled_at as string));
    expect(Date.parse(preview!.ended_at as string)).toBeGreaterThanOrEqual(Date.parse(preview!.connected_at as string));
    // A personal callback came back to its agent: a row of its own, delivered, not dialled.
    const back = rows.find((x) => x.mode === 'Personal Callback');
    expect(back).toMatchObject({ agent_id: 'a.lopez', campaign_id: 'care-follow-up', dialled_at: null });
    expect(Date.parse(back!.delivered_at as string)).toBeGreaterThan(Date.parse(preview!.rescheduled_at as string));
    // In the order calls started.
    const starts = rows.map((x) => Date.parse(x.started_at as string));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('filters by agent, campaign and start, and writes a JSON array and a table', { timeout: 60_000 }, async () => {
    const all = seen.get(backend.name)!;
    const first = all[0];
    const list = (...args: string[]) => runBinAsync(['calls', 'list', '--state', state, ...args]);
    expect(jsonl((await list('--jsonl', '--agent', 'a.lopez')).stdout)).toEqual(all.filter((x) => x.agent_id === 'a.lopez'));
    expect(jsonl((await list('--jsonl', '--agent', 'm.chen')).stdout)).toEqual(all.filter((x) => x.agent_id === 'm.chen'));
    expect(jsonl((await list('--jsonl', '--campaign', 'care-follow-up')).stdout)).toEqual(all.filter((x) => x.campaign_id === 'care-follow-up'));
    const later = new Date(Date.parse(first.started_at as string) + 1000).toISOString().replace('.000', '');
    const since = jsonl((await list('--jsonl', '--since', later)).stdout);
    expect(since).toEqual(all.filter((x) => Date.parse(x.started_at as string) >= Date.parse(later)));
    expect(since.length).toBeLessThan(all.length);
    const arr = await list('--json');
    expect(arr.status, arr.stderr).toBe(0);
    expect(JSON.parse(arr.stdout)).toEqual(all);
    const table = (await list()).stdout.split('\n').filter(Boolean);
    expect(table[0]).toMatch(/^call_id\s+record_id\s+campaign_id\s+agent_id\s+mode\s+started_at/);
    expect(table).toHaveLength(all.length + 1);
    expect(table[1]).toContain(String(first.call_id));
  });

  it('refuses an unknown agent or campaign and a bad instant with one line and exit 2', async () => {
    for (const args of [
      ['--agent', 'nobody'],
      ['--campaign', 'no-such-campaign'],
      ['--since', 'yesterday'],
    ]) {
      const r = await runBinAsync(['calls', 'list', '--state', state, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});

describe('calls list on both databases', () => {
  it('gives the same rows for the same demo', () => {
    expect(seen.get('sqlite')!.length).toBeGreaterThanOrEqual(2);
    expect(seen.get('postgres')).toEqual(seen.get('sqlite'));
  });
});
