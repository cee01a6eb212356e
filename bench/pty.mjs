// The bin in a real pseudo-terminal for `npm run bench`: util-linux `script` owns the pty, our
// pipe to its stdin is the keyboard and its stdout is what the terminal would receive. Prints
// nothing; bench/run.mjs prints the figures.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Strips colour and cursor escapes (the same expression as src/runtime/headless-terminal.ts). */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>NOPc]/g, '');
}

/** The processes `pid` started (Linux's /proc), or none where that cannot be read. */
function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `cmd` (a shell command) in a pty of columns x rows; CI=false so Ink draws every frame. */
export function startPty(cmd, { columns = 100, rows = 30, env = {} } = {}) {
  const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${cmd}`, '/dev/null'], {
    env: { ...process.env, CI: 'false', ...env },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  /** Every chunk the terminal received: [ms since start, bytes, text]. */
  const chunks = [];
  let waiters = [];
  child.stdout.on('data', (d) => {
    chunks.push([performance.now(), d.length, d.toString('utf8')]);
    const ready = waiters.filter((w) => w.test());
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(performance.now());
  });
  const dataListeners = [];
  child.stdout.on('data', () => {
    for (const fn of dataListeners) fn();
  });
  const exited = new Promise((r) => child.on('exit', r));
  /** Plain text received at or after index `from` of chunks. */
  const textSince = (from) => stripAnsi(chunks.slice(from).map((c) => c[2]).join(''));
  return {
    chunks,
    /** The pid of `script`, whose child is the bin. */
    pid: child.pid,
    write: (s) => child.stdin.write(s),
    onData: (fn) => dataListeners.push(fn),
    /** Resolves with the time the text (escapes stripped) arrived after chunk `from`. */
    waitFor(text, from = 0, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const w = { test: () => textSince(from).includes(text), resolve };
        if (w.test()) return resolve(performance.now());
        waiters.push(w);
        setTimeout(() => reject(new Error(`"${text}" never arrived; the terminal got:\n${textSince(from).slice(-2000)}`)), timeoutMs).unref();
      });
    },
    bytesBetween(t0, t1) {
      return chunks.filter((c) => c[0] >= t0 && c[0] < t1).reduce((n, c) => n + c[1], 0);
    },
    /**
     * Quits as an agent would (ctrl+c, then y), so the state is released; kills after 5 s. Waits
     * until the bin itself (the pty's process) is gone too: it may close its store after `script`
     * ended, and the next desktop on that state must not find it still there.
     */
    async stop() {
      const bins = childrenOf(child.pid);
      child.stdin.write('\x03');
      await sleep(300);
      child.stdin.write('y');
      const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
      await exited;
      clearTimeout(timer);
      const end = performance.now() + 10_000;
      while (bins.some(alive) && performance.now() < end) await sleep(20);
      for (const pid of bins.filter(alive)) process.kill(pid, 'SIGKILL');
    },
  };
}

/**
 * Bytes the terminal receives per second while nobody types: the screen is drawn, the bin
 * settles for a second, then `seconds` are counted.
 */
export async function idleBytesPerSecond(cmd, ready, seconds = 5, env = {}) {
  const pty = startPty(cmd, { env });
  try {
    await pty.waitFor(ready);
    await sleep(1000);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    return pty.bytesBetween(t0, performance.now()) / seconds;
  } finally {
    await pty.stop();
  }
}

/**
 * The screen of the bin in `pty` as a terminal shows it: an emulated terminal (xterm) fed the
 * bytes as they arrive. `onChunk(fn)` calls fn(arrival ms) once a chunk is on the screen.
 */
export function emulatedScreen(pty, { columns = 100, rows = 30 } = {}) {
  const term = new Terminal({ cols: columns, rows, allowProposedApi: true });
  const listeners = new Set();
  let fed = 0;
  const feed = () => {
    for (; fed < pty.chunks.length; fed++) {
      const at = pty.chunks[fed][0];
      term.write(pty.chunks[fed][2], () => {
        for (const fn of listeners) fn(at);
      });
    }
  };
  pty.onData(feed);
  feed();
  return {
    /** The lines on screen, as text (an inverse cursor cell is blank). */
    lines: () => Array.from({ length: term.rows }, (_, y) => term.buffer.active.getLine(term.buffer.active.viewportY + y)?.translateToString(true) ?? ''),
    onChunk(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    dispose: () => term.dispose(),
  };
}

/**
 * Key to frame for keys written on a fixed schedule, `perSecond` a second, whether or not the
 * screen has caught up: a key's time runs until `read(screen)` gives what the key shows
 * (`plan(i)` is the i-th key and that), or what a later key shows (a frame drawn after two keys
 * shows only the second). Keys go until `count` are sent, or with `until` (a promise) until it
 * settles; then the screen has 5 s to catch up. A key it never showed counts Infinity. Returns
 * the latencies and when each key was sent (performance.now()).
 */
export async function keysToFrames(pty, screen, read, plan, { perSecond, count = Infinity, until = null }) {
  const sent = [];
  const shows = [];
  const latencies = [];
  let resolved = 0;
  screen.onChunk((at) => {
    const shown = read(screen);
    if (shown === null) return;
    // The latest key sent before these bytes arrived whose view the screen shows.
    for (let j = sent.length - 1; j >= resolved; j--) {
      if (sent[j] > at || shows[j] !== shown) continue;
      for (; resolved <= j; resolved++) latencies[resolved] = at - sent[resolved];
      break;
    }
  });
  let over = false;
  void until?.finally(() => (over = true));
  const interval = 1000 / perSecond;
  const t0 = performance.now();
  for (let i = 0; i < count && !(until && over); i++) {
    const [key, show] = plan(i);
    await sleep(t0 + i * interval - performance.now());
    latencies.push(Infinity);
    shows.push(show);
    sent.push(performance.now());
    pty.write(key);
  }
  const end = performance.now() + 5000;
  while (resolved < sent.length && performance.now() < end) await sleep(20);
  return { latencies, sent };
}

/**
 * Key to frame while typing into Team Communicator at `perSecond` keys a second: a key's time
 * runs until the screen shows its search line. Words are typed and erased again, from 2 s after
 * the main window is up.
 */
export async function typingLatencies(cmd, { perSecond = 30, keys = 150, words = ['garcia', 'lopez', '+1212', 'smith', 'nguyen'], env = {} } = {}) {
  const pty = startPty(cmd, { env });
  const screen = emulatedScreen(pty);
  const searchLine = () => {
    for (const line of screen.lines()) {
      // The query is one word here; the cursor is an inverse cell, blank as text.
      const m = /Search: (\S*)/.exec(line);
      if (m) return m[1];
    }
    return null;
  };
  const plan = [];
  let query = '';
  for (let w = 0; plan.length < keys; w++) {
    for (const ch of words[w % words.length]) {
      query += ch;
      plan.push([ch, query]);
    }
    while (query) {
      query = query.slice(0, -1);
      plan.push(['\x7f', query]);
    }
  }
  try {
    await pty.waitFor('My Campaigns');
    pty.write('4');
    // The desktop loads its windows and libraries in the first second or so: type after that.
    await sleep(2000);
    return (await keysToFrames(pty, screen, searchLine, (i) => plan[i], { perSecond, count: keys })).latencies;
  } finally {
    await pty.stop();
    screen.dispose();
  }
}

/** The p-th percentile (0..1) of xs. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}
