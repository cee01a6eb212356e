import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { runCampaignSim } from '../../src/engine/dialer/campaign-sim.js';
import { colleagueSeed } from '../../src/engine/dialer/group-dialer.js';
import { setCampaignStatus, setSimulatedColleagues } from '../../src/engine/dialer/desk-dialer.js';
import { abandonRate, countInRing, ringSums, rollRing, steerInputOf, wholeRunSums, type MinuteRing } from '../../src/engine/dialer/group-model.js';
import { learnedInto, learnHandle, learnRingEnd, linesToDial, newPacingStats, pacingInput, settleCohorts, steer, type PacedMode, type PacingInput, type PacingStats } from '../../src/engine/dialer/pacing.js';
import { demoEngine, T0 } from '../helpers/world.js';

/**
 * The parts of the one group loop (group-model.ts, pacing.ts, call-model.ts) in their two
 * storage forms: typed arrays and whole-run minutes (`sim`'s figures) and plain arrays saved as
 * JSON with the last 64 minutes of answers (the group's own state). Given the same events, both
 * must learn the same and decide the same.
 */

const OFFSET_SEC = Math.floor(T0 / 1000);

// Every talk and wrap-up the model draws, in order, whichever driver asks.
const drawn = vi.hoisted(() => ({ talk: [] as number[], wrap: [] as number[] }));
vi.mock('../../src/engine/dialer/group-model.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/engine/dialer/group-model.js')>();
  return {
    ...orig,
    drawTalkSec: (...a: Parameters<typeof orig.drawTalkSec>) => {
      const sec = orig.drawTalkSec(...a);
      drawn.talk.push(sec);
      return sec;
    },
    drawWrapSec: (...a: Parameters<typeof orig.drawWrapSec>) => {
      const sec = orig.drawWrapSec(...a);
      drawn.wrap.push(sec);
      return sec;
    },
  };
});
const takeDrawn = () => {
  const d = { talk: [...drawn.talk], wrap: [...drawn.wrap] };
  drawn.talk.length = 0;
  drawn.wrap.length = 0;
  return d;
};

/** One event of a group, as either driver hands it to the model. */
const groupEvent = fc.oneof(
  fc.record({ kind: fc.constant('ringEnd' as const), afterMs: fc.integer({ min: 0, max: 4000 }), dialedAgoMs: fc.integer({ min: 0, max: 32_000 }), live: fc.boolean(), ringSec: fc.double({ min: 1, max: 32, noNaN: true }) }),
  fc.record({ kind: fc.constant('handled' as const), sec: fc.double({ min: 5, max: 900, noNaN: true }) }),
  fc.record({ kind: fc.constant('answer' as const), afterMs: fc.integer({ min: 0, max: 400_000 }), abandoned: fc.boolean() }),
  // A quiet spell: minutes, or hours, with nothing happening.
  fc.record({ kind: fc.constant('quiet' as const), afterMs: fc.integer({ min: 0, max: 2 * 3_600_000 }) }),
  fc.record({
    kind: fc.constant('look' as const),
    afterMs: fc.integer({ min: 0, max: 120_000 }),
    mode: fc.constantFrom<PacedMode>('progressive', 'predictive'),
    loggedIn: fc.integer({ min: 0, max: 120 }),
    free: fc.integer({ min: 0, max: 120 }),
    waiting: fc.integer({ min: 0, max: 10 }),
    ringing: fc.integer({ min: 0, max: 300 }),
  }),
  fc.record({ kind: fc.constant('steer' as const), target: fc.double({ min: 0.005, max: 0.2, noNaN: true }), agents: fc.integer({ min: 1, max: 600 }) }),
);

/** The desk's saved form after a save and a restore (the world's meta row is JSON). */
const saved = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the one group model, run by sim and by the desk', () => {
  it('learns the same statistics and makes the same pacing and steering decisions from the same events, whichever driver keeps them', () => {
    fc.assert(
      fc.property(fc.array(groupEvent, { minLength: 1, maxLength: 300 }), (events) => {
        // sim: seconds since the start, typed arrays, one reused input.
        const simStats = newPacingStats(0, () => new Float64Array(64));
        const simInput: PacingInput = { mode: 'progressive', loggedIn: 0, free: 0, waiting: 0, ringing: 0, hitRate: 0, ringLiveSec: 0, handleSec: 0, k: 0 };
        const minutes = 64 * 1000;
        const simLive = new Int32Array(minutes);
        const simAbandoned = new Int32Array(minutes);
        const simSums = wholeRunSums(simLive, simAbandoned);
        let simWhole = { live: 0, abandoned: 0 };
        // The desk: epoch seconds, plain arrays, a ring of 64 minutes, saved after each event.
        let desk: { stats: PacingStats; ring: MinuteRing } = {
          stats: newPacingStats(OFFSET_SEC, () => new Array(64).fill(0)),
          ring: { minuteLive: new Array(64).fill(0), minuteAbandoned: new Array(64).fill(0), minute: 0 },
        };
        let ms = 0;
        for (const ev of events) {
          switch (ev.kind) {
            case 'ringEnd': {
              ms += ev.afterMs;
              const dialedMs = Math.max(0, ms - ev.dialedAgoMs);
              learnRingEnd(simStats, Math.floor(dialedMs / 1000), ev.live, ev.ringSec);
              learnRingEnd(desk.stats, Math.floor((T0 + dialedMs) / 1000), ev.live, ev.ringSec);
              break;
            }
            case 'quiet':
              ms += ev.afterMs;
              break;
            case 'handled':
              learnHandle(simStats, ev.sec);
              learnHandle(desk.stats, ev.sec);
              break;
            case 'answer': {
              ms += ev.afterMs;
              const m = Math.floor(ms / 60_000);
              if (m >= minutes) break;
              (ev.abandoned ? simAbandoned : simLive)[m]++;
              simWhole = { live: simWhole.live + 1, abandoned: simWhole.abandoned + (ev.abandoned ? 1 : 0) };
              countInRing(desk.ring, m, ev.abandoned);
              break;
            }
            case 'look': {
              ms += ev.afterMs;
              const group = { loggedIn: ev.loggedIn, free: Math.min(ev.free, ev.loggedIn), waiting: ev.waiting, ringing: ev.ringing };
              if (ev.mode === 'predictive') {
                settleCohorts(simStats, ms / 1000);
                settleCohorts(desk.stats, Math.floor((T0 + ms) / 1000));
              }
              Object.assign(simInput, { mode: ev.mode }, group);
              const fromSim = learnedInto(simInput, simStats);
              const fromDesk = pacingInput(ev.mode, desk.stats, group);
              expect(fromDesk).toEqual(fromSim);
              expect(linesToDial(fromDesk)).toBe(linesToDial(fromSim));
              break;
            }
            case 'steer': {
              const m = Math.min(Math.floor(ms / 60_000), minutes - 1);
              rollRing(desk.ring, m);
              const fromSim = steerInputOf(ev.target, ev.agents, simWhole, m, simSums);
              const fromDesk = steerInputOf(ev.target, ev.agents, simWhole, m, (from, to) => ringSums(desk.ring, from, to));
              expect(fromDesk).toEqual(fromSim);
              simStats.k = steer(simStats.k, fromSim);
              desk.stats.k = steer(desk.stats.k, fromDesk);
              // The last hour My Campaigns shows from the ring is sim's last-hour window too.
              expect(abandonRate(ringSums(desk.ring, m - 60, m))).toBe(abandonRate(simSums(m - 60, m)));
              break;
            }
          }
          desk = saved(desk);
        }
        // The same statistics at the end, the desk's cohorts by epoch second (a turn of the ring).
        const turn = OFFSET_SEC & 63;
        expect(desk.stats.settledUpTo - OFFSET_SEC).toBe(simStats.settledUpTo);
        for (let b = 0; b < 64; b++) {
          expect(desk.stats.cohortAll[(b + turn) & 63]).toBe(simStats.cohortAll[b]);
          expect(desk.stats.cohortLive[(b + turn) & 63]).toBe(simStats.cohortLive[b]);
        }
        const { cohortAll: _a, cohortLive: _l, settledUpTo: _s, ...simRest } = simStats;
        const { cohortAll: _da, cohortLive: _dl, settledUpTo: _ds, ...deskRest } = desk.stats;
        expect(deskRest).toEqual(simRest);
      }),
      { numRuns: 300 },
    );
  });

  it('draws the same calls from the same random stream: one agent in Progressive, as sim runs it and as the desk does with one colleague', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.integer({ min: 20, max: 300 }),
        fc.integer({ min: 0, max: 60 }),
        async (worldSeed, hitRate, talkSec, wrapSec) => {
          // The desk: Policy Renewals (Progressive) alone, restarted with one colleague and these rates.
          const e = await demoEngine(worldSeed);
          takeDrawn();
          const id = 'policy-renewals';
          for (const c of Object.keys(e.state.campaigns)) if (e.state.campaigns[c].status === 'Started') await setCampaignStatus(e, c, 'Stopped');
          e.unschedule((ev) => ev.type === 'CampaignStart');
          expect((await setSimulatedColleagues(e, id, 1)).ok).toBe(true);
          await e.exclusive(() => {
            e.mut.campaigns[id].sim = { hitRate, talkSec, wrapSec };
            e.touch('campaign', id);
          });
          expect((await setCampaignStatus(e, id, 'Started')).ok).toBe(true);
          const startedAt = e.state.campaigns[id].startedAt!;
          // Each colleague's line as it is dialed: its drawn call result.
          const seen = new Set<number>();
          const deskResults: number[] = [];
          e.on('timerFired', (ev) => {
            if (ev.type !== 'DialerPace') return;
            for (const line of e.state.dialer.groups?.[id]?.lines ?? []) {
              if (seen.has(line.id)) continue;
              seen.add(line.id);
              deskResults.push(line.result);
            }
          });
          await e.advanceBy(2 * 3_600_000);
          expect(e.state.dialer.groups![id].colleagueState).toHaveLength(1);
          const deskDrawn = takeDrawn();
          // sim: one agent, the group's own stream (the same seed the desk gives its colleagues).
          const simResults: number[] = [];
          runCampaignSim({ mode: 'progressive', agents: 1, hours: 4, hitRate, talkSec, wrapSec, targetAbandon: 0.03, seed: (colleagueSeed(e.state.seed, id, startedAt) ^ 0x5bd1e995) >>> 0, start: startedAt, onAttempt: (a) => simResults.push(a.callResult) });
          // The desk adds answer detection to each ring, so it dials fewer in the time; the
          // calls it dialed are sim's first ones, result for result (talk and wrap-up drawn
          // between them alike, or the streams would part at the first live answer).
          expect(deskResults.length).toBeGreaterThan(10);
          expect(simResults.length).toBeGreaterThan(deskResults.length);
          expect(deskResults).toEqual(simResults.slice(0, deskResults.length));
          // And the same talk and wrap-up for each call the colleague took.
          const simDrawn = takeDrawn();
          expect(deskDrawn.talk.length).toBeGreaterThan(0);
          expect(deskDrawn.talk).toEqual(simDrawn.talk.slice(0, deskDrawn.talk.length));
          expect(deskDrawn.wrap).toEqual(simDrawn.wrap.slice(0, deskDrawn.wrap.length));
        },
      ),
      { numRuns: 6 },
    );
  });
});
