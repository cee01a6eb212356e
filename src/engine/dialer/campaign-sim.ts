// Long on purpose: a hot loop written for speed as one closure over typed arrays (eight hours of
// 100 agents in well under a second).
import { CallResult } from '../domain.js';
import { Random } from '../random.js';
import { treatCallResult } from './call-treatment.js';
import { ABANDON_AFTER_SEC, drawCallOutcome, type CallOutcome } from './call-model.js';
import { inContactHours } from '../dialing-rules.js';
import { learnedInto, learnHandle, learnRingEnd, linesToDial, newPacingStats, settleCohorts, steer, STEER_EVERY_SEC, type PacingInput } from './pacing.js';
import { abandonRate, ANSWER_TO_DIALED_FOR, ANSWER_TO_FREE_AGENT, drawAgentPace, drawTalkSec, drawWrapSec, isLiveAnswer, routeAnswer, steerInputOf, wholeRunSums } from './group-model.js';

export { NON_LIVE_SHARES, NO_ANSWER_RING_SEC } from './call-model.js';

/**
 * An outbound campaign at call level: the group model (group-model.ts: each attempt's outcome,
 * agents who talk and wrap up, the dialer's pacing), run fast for Preview, Push Preview,
 * Progressive and Predictive. The desk runs the same model on the engine's event queue
 * (group-dialer.ts). Written for speed (typed arrays, one numeric event heap, no allocation per
 * call): `npm run bench` runs eight hours of 100 agents in well under a second.
 */

export type SimMode = 'preview' | 'push-preview' | 'progressive' | 'predictive';


/** One dialable number; a generated list is contactable all the time. */
export interface SimRecord {
  record_id: number;
  contact_info: string;
  /** Seconds of day in the record's zone. */
  daily_from: number;
  daily_till: number;
  /** The record's IANA zone: its contact hours follow the zone's offset on each date. */
  tz: string;
}

export interface SimConfig {
  mode: SimMode;
  agents: number;
  hours: number;
  /** Share of attempts answered by a live person. */
  hitRate: number;
  /** Mean talk and wrap-up seconds; each agent has a personal pace around them. */
  talkSec: number;
  wrapSec: number;
  /** Abandoned calls allowed per live answer (0.03 = 3%). */
  targetAbandon: number;
  seed: number;
  /** The run's start, UTC epoch ms (inside, the run counts seconds from it). */
  start: number;
  callingList?: SimRecord[];
  /**
   * Seconds since local midnight in a zone at a UTC instant (ms): how contact hours are read,
   * daylight saving included. Needed with a calling list.
   */
  localSeconds?: (tz: string, utc: number) => number;
  /** Called once per attempt with its one final result (the attempts log of `sim --attempts`). */
  onAttempt?: (a: AttemptLog) => void;
  /** Seconds after the start at which every agent logs out (the dialer must stop). */
  logoutAtSec?: number;
}

export interface SimFigures {
  mode: SimMode;
  agents: number;
  hours: number;
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  /** abandoned / live answers, over the whole run. */
  abandonRate: number;
  abandonRateLastHour: number;
  abandonRateDay: number;
  abandonRate30Days: number;
  /** Busy (talk, wrap, preview, ringing for the agent) share of logged-in time. */
  occupancy: number;
  talkMinutesPerAgentHour: number;
  /** Attempts by call_result code. */
  byResult: Record<string, number>;
  /** One entry per simulated hour (the last may be partial). */
  hourly: HourFigures[];
  /** Seconds from live answer to agent, mean over connected calls. */
  meanDistributionSec: number;
  dialsWithNoAgentLoggedIn: number;
  dialsOutsideContactHours: number;
  /** Live answers that waited longer than 2 s and were still connected (must be 0). */
  lateConnects: number;
  minRingNoAnswerSec: number;
}

/** One attempt as `sim --attempts` writes it. */
export interface AttemptLog {
  /** The calling-list record, or undefined for the generated list. */
  record: SimRecord | undefined;
  /** UTC epoch ms. */
  dialedAt: number;
  callResult: number;
  abandoned: boolean;
}

export interface HourFigures {
  /** 0 for the first hour of the run. */
  hour: number;
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  abandonRate: number;
  occupancy: number;
}

// Event kinds, packed with an id into one Int32: kind in the low 3 bits.
const EV_RING_END = 0;
const EV_TALK_END = 1;
const EV_WRAP_END = 2;
const EV_ABANDON = 3;
const EV_TICK = 4;
const EV_PREVIEW_END = 5;
const EV_LOGOUT = 6;

/** A binary min-heap of (time, packed event) in parallel typed arrays. */
class NumHeap {
  t = new Float64Array(1024);
  e = new Int32Array(1024);
  n = 0;
  push(time: number, ev: number): void {
    if (this.n === this.t.length) {
      const t = new Float64Array(this.n * 2);
      t.set(this.t);
      const e = new Int32Array(this.n * 2);
      e.set(this.e);
      this.t = t;
      this.e = e;
    }
    let i = this.n++;
    const t = this.t;
    const e = this.e;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      e[i] = e[p];
      i = p;
    }
    t[i] = time;
    e[i] = ev;
  }
  /** Removes the top; read it from t[0], e[0] first. */
  pop(): void {
    const t = this.t;
    const e = this.e;
    const n = --this.n;
    if (n === 0) return;
    const lt = t[n];
    const le = e[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && t[c + 1] < t[c]) c++;
      if (t[c] >= lt) break;
      t[i] = t[c];
      e[i] = e[c];
      i = c;
    }
    t[i] = lt;
    e[i] = le;
  }
}

export { ABANDON_AFTER_SEC } from './call-model.js';

/** A campaign simulation that can be run on a little at a time (My Campaigns' live figures). */
export interface CampaignSimRun {
  /** Runs every event up to `sec` seconds after the start (past the end: until every call has its result). */
  runUntil(sec: number): void;
  /** The figures as of `sec` seconds after the start (at most the end). */
  figures(sec: number): SimFigures;
}

/** Runs a whole campaign simulation: every call dialed before the end gets its one result. */
export function runCampaignSim(cfg: SimConfig): SimFigures {
  const run = createCampaignSim(cfg);
  run.runUntil(Infinity);
  return run.figures(cfg.hours * 3600);
}

/**
 * The simulation as a resumable run: running it to t in one step or in many gives the same
 * state, so live figures advance with the clock instead of re-simulating from the start.
 */
export function createCampaignSim(cfg: SimConfig): CampaignSimRun {
  const rnd = new Random(cfg.seed);
  const N = cfg.agents;
  const end = cfg.hours * 3600;
  const predictive = cfg.mode === 'predictive';
  const progressive = cfg.mode === 'progressive';
  const agentDriven = cfg.mode === 'preview' || cfg.mode === 'push-preview';

  // Agents: 0 free, 1 busy (talk/wrap/preview/own call), 2 logged out.
  const agentState = new Uint8Array(N);
  const pace = new Float64Array(N);
  for (let a = 0; a < N; a++) pace[a] = drawAgentPace(rnd);
  let free = N;
  let loggedIn = N;
  const busyStart = new Float64Array(N);
  let busyTime = 0;
  // Per hour of the run: attempts and agents' busy seconds (the hourly figures).
  const hourCount = Math.max(1, Math.ceil(end / 3600));
  const hourAttempts = new Int32Array(hourCount);
  const hourBusy = new Float64Array(hourCount);
  /** Busy time from..to (inside the run), into the total and the hours it spans. */
  const addBusy = (from: number, to: number) => {
    const a = Math.max(0, from);
    const b = Math.min(to, end);
    if (b <= a) return;
    busyTime += b - a;
    for (let h = Math.floor(a / 3600); h < hourCount && h * 3600 < b; h++) hourBusy[h] += Math.min(b, (h + 1) * 3600) - Math.max(a, h * 3600);
  };
  let talkTime = 0;

  // Calls: a growing pool of slots, recycled through a free list.
  let cap = 4096;
  let callResult = new Int32Array(cap);
  let callAgent = new Int32Array(cap);
  let callAnswerAt = new Float64Array(cap);
  let callState = new Uint8Array(cap); // 0 idle, 1 ringing, 2 waiting for agent, 3 done
  let callDialAt = new Float64Array(cap);
  let callRecord = new Int32Array(cap).fill(-1);
  const freeSlots: number[] = [];
  let nextSlot = 0;
  const alloc = (): number => {
    if (freeSlots.length) return freeSlots.pop()!;
    if (nextSlot === cap) {
      cap *= 2;
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, C: new (n: number) => T): T => {
        const b = new C(cap);
        b.set(a);
        return b;
      };
      callResult = grow(callResult, Int32Array);
      callAgent = grow(callAgent, Int32Array);
      callAnswerAt = grow(callAnswerAt, Float64Array);
      callState = grow(callState, Uint8Array);
      callDialAt = grow(callDialAt, Float64Array);
      const rec = new Int32Array(cap).fill(-1);
      rec.set(callRecord);
      callRecord = rec;
    }
    return nextSlot++;
  };

  // Answered calls waiting for an agent (FIFO ring buffer).
  let waitQ = new Int32Array(1024);
  let qHead = 0;
  let qLen = 0;
  const enqueue = (c: number) => {
    if (qLen === waitQ.length) {
      const b = new Int32Array(waitQ.length * 2);
      for (let i = 0; i < qLen; i++) b[i] = waitQ[(qHead + i) % waitQ.length];
      waitQ = b;
      qHead = 0;
    }
    waitQ[(qHead + qLen) % waitQ.length] = c;
    qLen++;
  };

  const heap = new NumHeap();
  const byResult = new Int32Array(64);
  let attempts = 0;
  let live = 0;
  let abandoned = 0;
  let ringing = 0;
  let connected = 0;
  let distSum = 0;
  let lateConnects = 0;
  let noAgentDials = 0;
  let outsideHours = 0;
  let minNoAnswerRing = Infinity;
  // Per-minute counts for the windowed abandon rates.
  const minutes = Math.ceil(end / 60) + 1;
  const minLive = new Int32Array(minutes);
  const minAband = new Int32Array(minutes);

  // Live statistics the dialer paces on (pacing.ts: the one model, for the desk too).
  const stats = newPacingStats(0, () => new Float64Array(64));
  const minuteSums = wholeRunSums(minLive, minAband);
  const paceIn: PacingInput = { mode: predictive ? 'predictive' : 'progressive', loggedIn: 0, free: 0, waiting: 0, ringing: 0, hitRate: 0, ringLiveSec: 0, handleSec: 0, k: 0 };

  const list = cfg.callingList;
  if (list && !cfg.localSeconds) throw new Error('a calling list needs localSeconds to read contact hours');
  let listPos = 0;
  // Seconds of day per zone, worked out once per simulated minute (the offset follows the date).
  const sodCache = new Map<string, { minute: number; base: number }>();
  const localSod = (tz: string, now: number): number => {
    const minute = Math.floor(now / 60);
    let c = sodCache.get(tz);
    if (!c || c.minute !== minute) {
      c = { minute, base: cfg.localSeconds!(tz, cfg.start + minute * 60_000) };
      sodCache.set(tz, c);
    }
    return (c.base + (now - minute * 60)) % 86400;
  };
  // Each record of a calling list: 0 dialable, 1 on a call, 2 finished; when it may be dialed
  // again and how often it was (treatCallResult decides).
  const recState = new Uint8Array(list?.length ?? 0);
  const recNextAt = new Float64Array(list?.length ?? 0);
  const recAttempts = new Uint16Array(list?.length ?? 0);
  let recLeft = list?.length ?? 0;
  const outcome: CallOutcome = { result: CallResult.Unknown, ringSec: 0 };

  /** The next record contactable now, or -1. A generated list always has one. */
  let exhaustedUntil = -1;
  const nextRecord = (now: number): number => {
    if (!list) return 0;
    // Nothing was contactable a moment ago: look again each simulated minute, not each dial.
    if (now < exhaustedUntil) return -1;
    if (recLeft === 0) return -1;
    for (let tries = 0; tries < list.length; tries++) {
      const i = listPos;
      const r = list[i];
      listPos = (listPos + 1) % list.length;
      if (recState[i] !== 0 || recNextAt[i] > now) continue;
      const sod = localSod(r.tz, now);
      if (inContactHours(r, sod)) return i;
    }
    exhaustedUntil = Math.floor(now / 60) * 60 + 60;
    return -1;
  };

  /** Every attempt ends in exactly one call result; a list's record is then treated by it. */
  const count = (code: number, c: number, now: number) => {
    byResult[code]++;
    const i = callRecord[c];
    cfg.onAttempt?.({ record: i >= 0 && list ? list[i] : undefined, dialedAt: cfg.start + Math.round(callDialAt[c] * 1000), callResult: code, abandoned: code === CallResult.Abandoned });
    if (i < 0) return;
    callRecord[c] = -1;
    recAttempts[i]++;
    const t = treatCallResult(code, recAttempts[i]);
    if (t.finished) {
      recState[i] = 2;
      recLeft--;
    } else {
      recState[i] = 0;
      recNextAt[i] = now + t.retryAfterSec;
    }
  };

  // Free agents on a stack: the one who became free last takes the next call.
  const freeStack = new Int32Array(N);
  const inStack = new Uint8Array(N).fill(1);
  let freeTop = 0;
  for (let a = N - 1; a >= 0; a--) freeStack[freeTop++] = a;
  const setBusy = (a: number, now: number) => {
    agentState[a] = 1;
    busyStart[a] = now;
    free--;
  };
  const setFree = (a: number, now: number) => {
    // Busy time counts inside the run only; calls finishing after the end are not shift time.
    addBusy(busyStart[a], now);
    agentState[a] = 0;
    free++;
    if (!inStack[a]) {
      inStack[a] = 1;
      freeStack[freeTop++] = a;
    }
  };

  /** Draws an attempt's outcome and ring time; returns the ring seconds. */
  const dial = (c: number, now: number, forAgent: number): void => {
    if (loggedIn === 0) noAgentDials++;
    if (list) {
      const rec = nextRecord(now);
      if (rec < 0) {
        // Nothing contactable now: never dial outside contact hours.
        freeSlots.push(c);
        return;
      }
      const r = list[rec];
      const sod = localSod(r.tz, now);
      if (!inContactHours(r, sod)) outsideHours++;
      recState[rec] = 1;
      callRecord[c] = rec;
    }
    attempts++;
    hourAttempts[Math.min(hourCount - 1, Math.floor(now / 3600))]++;
    callDialAt[c] = now;
    callAgent[c] = forAgent;
    callState[c] = 1;
    ringing++;
    drawCallOutcome(rnd, cfg.hitRate, outcome);
    callResult[c] = outcome.result;
    const ring = outcome.ringSec;
    heap.push(now + ring, (c << 3) | EV_RING_END);
  };

  const startTalk = (a: number, c: number, now: number) => {
    const talk = drawTalkSec(rnd, callResult[c], cfg.talkSec, pace[a]);
    talkTime += talk;
    connected++;
    heap.push(now + talk, (a << 3) | EV_TALK_END);
  };

  const pickFree = (): number => {
    while (freeTop > 0) {
      const a = freeStack[--freeTop];
      inStack[a] = 0;
      if (agentState[a] === 0) return a;
    }
    return -1;
  };

  /** Dials what pacing.ts decides for the group as it is now (no allocation: one input object). */
  const dialPaced = (now: number) => {
    if (predictive) {
      if (loggedIn === 0) return;
      settleCohorts(stats, now);
    }
    paceIn.loggedIn = loggedIn;
    paceIn.free = free;
    paceIn.waiting = qLen;
    paceIn.ringing = ringing;
    const n = linesToDial(learnedInto(paceIn, stats));
    for (let i = 0; i < n; i++) dial(alloc(), now, -1);
  };

  const agentNext = (a: number, now: number) => {
    // Preview modes: the agent reads the record (push preview: a little faster; 5% declined).
    setBusy(a, now);
    const read = cfg.mode === 'push-preview' ? 6 + 6 * rnd.next() : 8 + 10 * rnd.next();
    heap.push(now + read, (a << 3) | EV_PREVIEW_END);
  };

  let closing = false;
  const pacing = (now: number) => {
    if (closing) return;
    if (predictive || progressive) dialPaced(now);
  };

  // Start.
  if (agentDriven) for (let a = 0; a < N; a++) agentNext(a, 0);
  heap.push(1, EV_TICK);
  if (cfg.logoutAtSec !== undefined) heap.push(cfg.logoutAtSec, EV_LOGOUT);
  pacing(0);

  let lastAdjust = 0;
  const runUntil = (limit: number): void => {
    while (heap.n > 0 && heap.t[0] <= limit) {
      const now = heap.t[0];
      if (now > end) {
        // The shift is over: dial nothing more, but let every call already dialed end in its
        // one call result (answered calls still waiting can be connected or abandoned).
        closing = true;
        if (ringing === 0 && qLen === 0) break;
      }
      const ev = heap.e[0];
      heap.pop();
      const kind = ev & 7;
      const id = ev >> 3;
      switch (kind) {
        case EV_RING_END: {
          const c = id;
          ringing--;
          const code = callResult[c];
          const rang = now - callDialAt[c];
          const liveAnswer = isLiveAnswer(code);
          learnRingEnd(stats, Math.floor(callDialAt[c]), liveAnswer, rang);
          const minute = Math.floor(now / 60);
          if (liveAnswer) {
            // Counted in byResult when it reaches an agent (Answer) or not (Abandoned): every
            // attempt ends in exactly one call result.
            live++;
            minLive[minute]++;
            const owner = callAgent[c];
            // The agent who placed it (preview modes) is on the line.
            const to = routeAnswer(owner >= 0, loggedIn > 0 ? free : 0);
            if (to === ANSWER_TO_DIALED_FOR) {
              count(code, c, now);
              callState[c] = 3;
              freeSlots.push(c);
              startTalk(owner, c, now);
            } else if (to === ANSWER_TO_FREE_AGENT) {
              const a = pickFree();
              setBusy(a, now);
              count(code, c, now);
              callState[c] = 3;
              freeSlots.push(c);
              startTalk(a, c, now);
            } else {
              callState[c] = 2;
              callAnswerAt[c] = now;
              enqueue(c);
              heap.push(now + ABANDON_AFTER_SEC, (c << 3) | EV_ABANDON);
            }
          } else {
            count(code, c, now);
            if (code === CallResult.NoAnswer && rang < minNoAnswerRing) minNoAnswerRing = rang;
            callState[c] = 3;
            const owner = callAgent[c];
            freeSlots.push(c);
            if (owner >= 0) {
              // Preview: a short wrap-up, then the next record.
              heap.push(now + 5 * pace[owner], (owner << 3) | EV_WRAP_END);
            }
          }
          pacing(now);
          break;
        }
        case EV_ABANDON: {
          const c = id;
          if (callState[c] === 2) {
            callState[c] = 3;
            abandoned++;
            minAband[Math.floor(now / 60)]++;
            // Remove it from the queue (it is at the head: the queue is FIFO by answer time).
            if (qLen > 0 && waitQ[qHead] === c) {
              qHead = (qHead + 1) % waitQ.length;
              qLen--;
            }
            // A live answer all the same: regulators count abandons per live answer.
            count(CallResult.Abandoned, c, now);
            freeSlots.push(c);
          }
          break;
        }
        case EV_TALK_END: {
          const a = id;
          heap.push(now + drawWrapSec(rnd, cfg.wrapSec, pace[a]), (a << 3) | EV_WRAP_END);
          break;
        }
        case EV_WRAP_END: {
          const a = id;
          const handle = now - busyStart[a];
          learnHandle(stats, handle);
          if (agentState[a] === 2) break;
          if (cfg.logoutAtSec !== undefined && now >= cfg.logoutAtSec) {
            addBusy(busyStart[a], now);
            agentState[a] = 2;
            break;
          }
          setFree(a, now);
          if (agentDriven) {
            if (loggedIn > 0 && !closing) agentNext(a, now);
            break;
          }
          // A waiting answered call goes to the agent at once.
          while (qLen > 0) {
            const c = waitQ[qHead];
            qHead = (qHead + 1) % waitQ.length;
            qLen--;
            if (callState[c] !== 2) continue;
            const waited = now - callAnswerAt[c];
            if (waited > ABANDON_AFTER_SEC) lateConnects++;
            distSum += waited;
            count(callResult[c], c, now);
            callState[c] = 3;
            freeSlots.push(c);
            setBusy(a, now);
            startTalk(a, c, now);
            break;
          }
          pacing(now);
          break;
        }
        case EV_PREVIEW_END: {
          const a = id;
          if (closing) {
            setFree(a, now);
            break;
          }
          if (cfg.mode === 'push-preview' && rnd.next() < 0.05) {
            // Declined: straight to the next pushed record.
            heap.push(now + 1, (a << 3) | EV_WRAP_END);
            break;
          }
          dial(alloc(), now, a);
          break;
        }
        case EV_TICK: {
          if (closing) break;
          if (predictive && now - lastAdjust >= STEER_EVERY_SEC) {
            lastAdjust = now;
            stats.k = steer(stats.k, steerInputOf(cfg.targetAbandon, N, { live, abandoned }, Math.floor(now / 60), minuteSums));
          }
          pacing(now);
          heap.push(now + 1, EV_TICK);
          break;
        }
        case EV_LOGOUT: {
          // Free agents leave now; busy ones when their call is finished.
          for (let a = 0; a < N; a++) {
            if (agentState[a] === 0) {
              agentState[a] = 2;
              free--;
            }
          }
          loggedIn = 0;
          break;
        }
      }
    }
  };

  const figures = (at: number): SimFigures => {
    const t = Math.min(at, end);
    // Close the books at t: agents still busy count their time up to it.
    let busy = busyTime;
    for (let a = 0; a < N; a++) if (agentState[a] === 1 && busyStart[a] < t) busy += t - busyStart[a];
    const loggedSec = cfg.logoutAtSec !== undefined ? Math.min(t, cfg.logoutAtSec) * N : t * N;
    // A finished run counts the answers its last calls got after the end too.
    const lastIndex = at >= end ? minutes - 1 : Math.min(minutes - 1, Math.floor(t / 60));
    const windowRate = (fromMin: number) => abandonRate(minuteSums(fromMin, lastIndex));
    const lastMinute = Math.floor(t / 60);
    const hourly: HourFigures[] = [];
    for (let h = 0; h * 3600 < t; h++) {
      const from = h * 3600;
      const to = Math.min(t, (h + 1) * 3600);
      // The last hour of a finished run also holds the answers its last calls got after the end.
      const mEnd = at >= end && to >= t ? minutes : Math.min(minutes, Math.ceil(to / 60));
      const answers = minuteSums(from / 60, mEnd - 1);
      let hb = h < hourCount ? hourBusy[h] : 0;
      for (let a = 0; a < N; a++) if (agentState[a] === 1 && busyStart[a] < to) hb += to - Math.max(from, busyStart[a]);
      const logged = N * Math.max(0, Math.min(to, cfg.logoutAtSec ?? to) - from);
      hourly.push({ hour: h, attempts: hourAttempts[Math.min(h, hourCount - 1)], liveAnswers: answers.live, abandoned: answers.abandoned, abandonRate: abandonRate(answers), occupancy: logged > 0 ? Math.min(1, hb / logged) : 0 });
    }
    const results: Record<string, number> = {};
    for (let code = 0; code < byResult.length; code++) if (byResult[code]) results[String(code)] = byResult[code];
    return {
      mode: cfg.mode,
      agents: N,
      hours: t / 3600,
      attempts,
      liveAnswers: live,
      abandoned,
      abandonRate: abandonRate({ live, abandoned }),
      abandonRateLastHour: windowRate(lastMinute - 60),
      abandonRateDay: windowRate(lastMinute - 24 * 60),
      abandonRate30Days: windowRate(lastMinute - 30 * 24 * 60),
      occupancy: loggedSec > 0 ? Math.min(1, busy / loggedSec) : 0,
      talkMinutesPerAgentHour: loggedSec > 0 ? talkTime / 60 / (loggedSec / 3600) : 0,
      byResult: results,
      hourly,
      meanDistributionSec: connected > 0 ? distSum / connected : 0,
      dialsWithNoAgentLoggedIn: noAgentDials,
      dialsOutsideContactHours: outsideHours,
      lateConnects,
      minRingNoAnswerSec: Number.isFinite(minNoAnswerRing) ? minNoAnswerRing : 0,
    };
  };
  return { runUntil, figures };
}
