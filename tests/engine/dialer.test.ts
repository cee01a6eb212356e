import { describe, expect, it } from 'vitest';
import { runCampaignSim, type AttemptLog, type SimConfig } from '../../src/engine/dialer/campaign-sim.js';
import { secondsOfDay } from '../../src/engine/time/time-zones.js';
import { parseCallingListCsv, CallingListError } from '../../src/engine/dialer/calling-list-csv.js';
import { testZones } from '../helpers/world.js';
import { DEFAULT_RETRY, treatCallResult } from '../../src/engine/dialer/call-treatment.js';
import { CallResult } from '../../src/engine/domain.js';

const base: SimConfig = { mode: 'predictive', agents: 50, hours: 4, hitRate: 0.3, talkSec: 120, wrapSec: 10, targetAbandon: 0.03, seed: 1, start: Date.UTC(2026, 10, 24, 14) };
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

const localSeconds = (tz: string, utc: number) => secondsOfDay(testZones().toWall(tz, utc));

describe('the outbound dialer simulation', () => {
  it.each(['preview', 'push-preview', 'progressive', 'predictive'] as const)('%s: every attempt ends in exactly one call result', (mode) => {
    const f = runCampaignSim({ ...base, mode });
    expect(f.attempts).toBeGreaterThan(1000);
    expect(total(f.byResult)).toBe(f.attempts);
    expect((f.byResult['33'] ?? 0) + (f.byResult['40'] ?? 0) + (f.byResult['21'] ?? 0)).toBe(f.liveAnswers);
  });

  it('gives the same figures for the same arguments and others for another seed', () => {
    expect(runCampaignSim(base)).toEqual(runCampaignSim(base));
    expect(runCampaignSim({ ...base, seed: 2 })).not.toEqual(runCampaignSim(base));
  });

  it('abandons a live answer no agent takes within 2 seconds, and never connects one later', () => {
    const f = runCampaignSim({ ...base, hours: 8, agents: 100 });
    expect(f.abandoned).toBeGreaterThan(0);
    expect(f.byResult['21']).toBe(f.abandoned);
    expect(f.lateConnects).toBe(0);
    expect(f.meanDistributionSec).toBeLessThanOrEqual(2);
  });

  it('rings at least 15 seconds before a no answer', () => {
    const f = runCampaignSim(base);
    expect(f.byResult['7']).toBeGreaterThan(0);
    expect(f.minRingNoAnswerSec).toBeGreaterThanOrEqual(15);
  });

  it.each([1, 2, 3, 4, 5])('predictive, seed %i: abandon rate at most the 3 percent target, occupancy above progressive', (seed) => {
    const p = runCampaignSim({ ...base, seed, agents: 100, hours: 8 });
    expect(p.abandonRate).toBeLessThanOrEqual(0.03);
    expect(p.abandonRateDay).toBeLessThanOrEqual(0.03);
    const prog = runCampaignSim({ ...base, seed, agents: 100, hours: 8, mode: 'progressive' });
    expect(p.occupancy).toBeGreaterThan(prog.occupancy + 0.1);
    // Above what an open-loop dialer reaches at 3% (an M/M/n queue, 100 agents: about 89.4%).
    expect(p.occupancy).toBeGreaterThan(0.894);
  });

  it('progressive never abandons: one call per ready agent', () => {
    const f = runCampaignSim({ ...base, mode: 'progressive' });
    expect(f.abandoned).toBe(0);
  });

  it('stops dialing when the agents log out', () => {
    const f = runCampaignSim({ ...base, logoutAtSec: 3600 });
    const whole = runCampaignSim(base);
    expect(f.dialsWithNoAgentLoggedIn).toBe(0);
    expect(f.attempts).toBeLessThan(whole.attempts / 2);
  });

  it('never dials outside contact hours, and waits for them to open (checked from the attempts log)', () => {
    const zones = testZones();
    const start = Date.UTC(2026, 10, 24, 13); // 08:00 in New York
    const rows = ['record_id,contact_info,daily_from,daily_till,tz,record_type,record_status'];
    // Half the list may be called 09:00-10:00 New York time, half 12:00-13:00 Kolkata time (closed).
    for (let i = 0; i < 4000; i++) rows.push(i % 2 ? `${i},+1212555${String(1000 + (i % 9000)).slice(-4)},32400,36000,America/New_York,2,1` : `${i},+9198${String(10000000 + i)},43200,46800,Asia/Kolkata,2,1`);
    const list = parseCallingListCsv(rows.join('\n'), 'list.csv', zones);
    const log: AttemptLog[] = [];
    const f = runCampaignSim({ ...base, mode: 'progressive', agents: 10, hours: 3, start, callingList: list, localSeconds, onAttempt: (a) => log.push(a) });
    expect(f.attempts).toBeGreaterThan(0);
    expect(log).toHaveLength(f.attempts);
    // Read each dial's local time from the zone rules, not from the dialer's own filter.
    for (const a of log) {
      const sod = secondsOfDay(zones.toWall(a.record!.tz, a.dialedAt));
      expect(sod >= a.record!.daily_from && sod < a.record!.daily_till).toBe(true);
    }
    const firstHour = runCampaignSim({ ...base, mode: 'progressive', agents: 10, hours: 0.99, start, callingList: list, localSeconds });
    expect(firstHour.attempts).toBe(0); // 08:00-09:00 New York, 18:30-19:30 Kolkata: nobody
  });

  it.each(['preview', 'push-preview'] as const)('%s: the colleagues dial a calling list within its contact hours only, and wait for them', (mode) => {
    const zones = testZones();
    const start = Date.UTC(2026, 10, 24, 13); // 08:00 in New York
    const rows = ['record_id,contact_info,daily_from,daily_till,tz'];
    // 09:00-10:00 New York time only.
    for (let i = 0; i < 2000; i++) rows.push(`${i + 1},+1212${String(5550000 + i)},32400,36000,America/New_York`);
    const list = parseCallingListCsv(rows.join('\n'), 'preview.csv', zones);
    const log: AttemptLog[] = [];
    const f = runCampaignSim({ ...base, mode, agents: 10, hours: 3, start, callingList: list, localSeconds, onAttempt: (a) => log.push(a) });
    expect(f.attempts).toBeGreaterThan(50);
    expect(log).toHaveLength(f.attempts);
    for (const a of log) expect(zones.toWall('America/New_York', a.dialedAt).hour).toBe(9);
    expect(total(f.byResult)).toBe(f.attempts);
  });

  it('keeps contact hours across a daylight-saving change in a run of days', () => {
    const zones = testZones();
    // New York falls back on Sunday 1 November 2026: 09:00-10:00 local moves an hour in UTC.
    const start = Date.UTC(2026, 9, 30, 12);
    const rows = ['record_id,contact_info,daily_from,daily_till,tz'];
    for (let i = 0; i < 3000; i++) rows.push(`${i + 1},+1212${String(5550000 + i)},32400,36000,America/New_York`);
    const list = parseCallingListCsv(rows.join('\n'), 'dst.csv', zones);
    const log: AttemptLog[] = [];
    runCampaignSim({ ...base, mode: 'progressive', agents: 10, hours: 4 * 24, start, callingList: list, localSeconds, onAttempt: (a) => log.push(a) });
    const days = new Set<string>();
    for (const a of log) {
      const w = zones.toWall('America/New_York', a.dialedAt);
      expect(w.hour).toBe(9);
      days.add(`${w.month}-${w.day}`);
    }
    // Dialed on the days before and after the change.
    expect(days.has('10-31') && days.has('11-2')).toBe(true);
  });

  it('logs every attempt once with its result: the figures add up from the log alone', () => {
    const log: AttemptLog[] = [];
    const f = runCampaignSim({ ...base, mode: 'predictive', agents: 50, hours: 3, seed: 4, onAttempt: (a) => log.push(a) });
    expect(log).toHaveLength(f.attempts);
    const abandoned = log.filter((a) => a.abandoned).length;
    const live = log.filter((a) => a.abandoned || a.callResult === CallResult.Answer || a.callResult === CallResult.WrongParty).length;
    expect(abandoned).toBe(f.abandoned);
    expect(live).toBe(f.liveAnswers);
    for (const h of f.hourly) expect(log.filter((a) => Math.floor((a.dialedAt - base.start) / 3_600_000) === h.hour).length).toBe(h.attempts);
    // Over a run longer than a day the day's rate is its own window, not the whole run's.
    const long = runCampaignSim({ ...base, mode: 'predictive', agents: 20, hours: 30, seed: 2 });
    const lastDay = long.hourly.slice(-24);
    const l = lastDay.reduce((n, h) => n + h.liveAnswers, 0);
    const ab = lastDay.reduce((n, h) => n + h.abandoned, 0);
    expect(long.abandonRateDay).toBeCloseTo(ab / l, 2);
  });

  it('holds the abandon target in every hour, the first included, for small and large groups', () => {
    for (const agents of [10, 500]) {
      for (const hitRate of [0.1, 0.3]) {
        const f = runCampaignSim({ ...base, mode: 'predictive', agents, hitRate, hours: 8, seed: 1 });
        expect(f.hourly).toHaveLength(8);
        for (const h of f.hourly) expect(h.abandonRate).toBeLessThanOrEqual(0.03);
        // The hours add up to the run (each attempt in the hour it was dialed, each answer once).
        expect(f.hourly.reduce((n, h) => n + h.attempts, 0)).toBe(f.attempts);
        expect(f.hourly.reduce((n, h) => n + h.liveAnswers, 0)).toBe(f.liveAnswers);
        expect(f.hourly.reduce((n, h) => n + h.abandoned, 0)).toBe(f.abandoned);
      }
    }
  });

  it('finishes a record on its call result instead of dialing it round and round', () => {
    const zones = testZones();
    const start = Date.UTC(2026, 10, 24, 15);
    const one = parseCallingListCsv('record_id,contact_info,daily_from,daily_till,tz\n1,+12125550100,0,86400,America/New_York\n', 'one.csv', zones);
    for (let seed = 1; seed <= 20; seed++) {
      const f = runCampaignSim({ ...base, seed, mode: 'progressive', agents: 5, hours: 8, start, callingList: one, localSeconds });
      // Busy and no answer retry (15 min, 1 h) up to five attempts; anything else ends it.
      expect(f.attempts).toBeGreaterThanOrEqual(1);
      expect(f.attempts).toBeLessThanOrEqual(DEFAULT_RETRY.attemptLimit);
      const finishing = [CallResult.Answer, CallResult.WrongParty, CallResult.WrongNumber, CallResult.SITInvalidNumber, CallResult.SITDetected, CallResult.FaxDetected];
      const finished = finishing.reduce((n, code) => n + (f.byResult[code] ?? 0), 0);
      expect(finished).toBeLessThanOrEqual(1);
      if (finished === 0) expect(f.attempts).toBe(DEFAULT_RETRY.attemptLimit);
    }
  });

  it('treats call results as OCS does: finished, or retried after the interval up to the limit', () => {
    expect(treatCallResult(CallResult.WrongNumber, 1)).toEqual({ finished: true });
    expect(treatCallResult(CallResult.FaxDetected, 1)).toEqual({ finished: true });
    expect(treatCallResult(CallResult.Busy, 1)).toEqual({ finished: false, retryAfterSec: DEFAULT_RETRY.busyRetrySec });
    expect(treatCallResult(CallResult.NoAnswer, 2)).toEqual({ finished: false, retryAfterSec: DEFAULT_RETRY.noAnswerRetrySec });
    expect(treatCallResult(CallResult.NoAnswer, DEFAULT_RETRY.attemptLimit)).toEqual({ finished: true });
  });

  it('names the line of a bad calling-list row', () => {
    const zones = testZones();
    expect(() => parseCallingListCsv('record_id,contact_info,daily_from,daily_till,tz\n1,+12125550100,32400,36000,America/New_York\n2,+12125550101,abc,36000,America/New_York\n', 'x.csv', zones)).toThrow(new CallingListError('x.csv line 3: daily_from "abc" must be a whole number from 0 to 86400'));
    expect(() => parseCallingListCsv('record_id,contact_info\n', 'x.csv', zones)).toThrow(/line 1: missing column "daily_from"/);
    expect(() => parseCallingListCsv('record_id,contact_info,daily_from,daily_till,tz\n1,+1,0,10,Mars/Base\n', 'x.csv', zones)).toThrow(/line 2: unknown time zone/);
  });
});
