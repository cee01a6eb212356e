import { INVITE_TIMEOUT_MS, type Engine } from '../engine/engine.js';

/**
 * The desktop's one clock: a single timer advances the simulation by real elapsed time times
 * the speed, and every countdown on screen follows the engine's clock. Demo runs use no driver;
 * their clock moves only on `advance`.
 */
export interface ClockControl {
  readonly paused: boolean;
  readonly speed: number;
  togglePause(): void | Promise<void>;
  subscribe(fn: () => void): () => void;
  /**
   * The time acknowledgements on screen are measured in: the real clock at the desk, the
   * script's simulated clock in a demo (so recordings do not depend on the machine's speed).
   */
  wallNow(): number;
  /** True when wallNow runs by itself (a timer can wait for it). */
  readonly realtime: boolean;
}

/** The part of each 200 ms tick the simulation may take. */
const TICK_BUDGET_MS = 40;

/**
 * The simulated time an invitation alerts at `speed`: never less than WDE's 30 s, and at least
 * 30 real seconds, so an agent at --speed 60 has as long to answer as at --speed 1 (30 simulated
 * seconds there pass in half a real second).
 */
export function inviteTimeoutAt(speed: number): number {
  return Math.max(INVITE_TIMEOUT_MS, Math.round(INVITE_TIMEOUT_MS * speed));
}

export class ClockDriver implements ClockControl {
  paused = false;
  /** Whether the engine hosted at the last tick (a takeover adopts the team's speed). */
  private hosted = false;
  readonly realtime = true;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private listeners = new Set<() => void>();

  private pace = 0;

  constructor(
    private readonly engine: Engine,
    speed: number,
    private readonly realNow: () => number,
    private readonly tickMs = 200,
    /** The real clock as epoch ms (Date.now): the host's clock is saved against it for the followers. */
    private readonly epochNow: () => number = Date.now,
  ) {
    this.speed = speed;
  }

  /** Simulated ms per real ms. */
  get speed(): number {
    return this.pace;
  }

  /** A new speed paces the invitations too: each gets its 30 real seconds (inviteTimeoutAt). */
  set speed(speed: number) {
    this.pace = speed;
    this.engine.inviteTimeoutMs = inviteTimeoutAt(speed);
  }

  start(): void {
    this.last = this.realNow();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The tick under way (a timer batch is a store transaction): the next one waits its turn. */
  private running: Promise<void> | null = null;

  tick(): Promise<void> {
    if (this.running) return this.running;
    const run = async () => {
      const now = this.realNow();
      const elapsed = now - this.last;
      if (!this.engine.owner) {
        // Another process hosts the world: this clock runs on from where the host's last stood.
        const hc = this.engine.hostClock;
        if (hc) await this.engine.advanceTo(hc.now + Math.round((this.epochNow() - hc.realAt) * hc.speed));
        this.hosted = false;
        this.last = now;
        return;
      }
      if (!this.hosted) {
        // This process has just taken the world over: the clock goes on at the team's speed,
        // from where the last host left it. `last` stays: this tick advances by the time since
        // the one before (a follower's, or the start), and a tick the store refuses leaves that
        // time to be made up.
        this.hosted = true;
        const hc = this.engine.hostClock;
        if (hc && hc.speed > 0) this.speed = hc.speed;
      }
      // At a speed the machine cannot keep up with, the simulation gets a slice of each tick and
      // falls behind rather than starving the keyboard: a key is answered within one tick. A
      // tick the store refused (another process holds its write lock) is made up by the ticks
      // that get through, so the clock does not lose the time an import took.
      if (this.paused || this.speed <= 0) this.last = now;
      else {
        const from = this.engine.now;
        const want = Math.round(elapsed * this.speed);
        if (await this.engine.advanceBy(want, () => this.realNow() - now > TICK_BUDGET_MS)) {
          // Stopped short by the budget (more timers due than one slice runs, as after a long
          // refused spell): the rest is made up by the next ticks, not lost; `last` moves on only
          // by the real time the simulated part stands for.
          const done = this.engine.now - from;
          this.last = done >= want ? now : this.last + done / this.speed;
        }
      }
      // Where the clock stands, for the processes that follow it (saved with the next write).
      this.engine.markClock(this.epochNow(), this.paused ? 0 : this.speed);
    };
    this.running = run()
      .catch(() => {
        // A store failure: the next tick tries again (the time is made up then).
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async togglePause(): Promise<void> {
    await this.tick();
    this.paused = !this.paused;
    for (const fn of this.listeners) fn();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  wallNow(): number {
    return this.realNow();
  }
}

/** The clock of a scripted run: always paused, moved by the script. */
export class ScriptedClock implements ClockControl {
  readonly paused = true;
  readonly speed = 0;
  readonly realtime = false;
  constructor(private readonly simulatedNow: () => number = () => 0) {}
  wallNow(): number {
    return this.simulatedNow();
  }
  togglePause(): void {}
  subscribe(): () => void {
    return () => {};
  }
}
