// The bin in a real pseudo-terminal for `npm run bench`: util-linux `script` owns the pty, our
// pipe to its stdin is the keyboard and its stdout is what the terminal would receive. Prints
// nothing; bench/run.mjs prints the figures.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Strips colour and cursor escapes (the same expression as src/runtime/headless-terminal.ts). */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>NOPc]/g, '');
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
    /** Quits as an agent would (ctrl+c, then y), so the state file is released; kills after 5 s. */
    async stop() {
      child.stdin.write('\x03');
      await sleep(300);
      child.stdin.write('y');
      const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
      await exited;
      clearTimeout(timer);
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
 * Key to frame while typing into Team Communicator at `perSecond` keys a second: keys are
 * written on a fixed schedule whether or not the screen has caught up, and a key's time runs
 * until the terminal (an emulated screen fed with the bytes as they arrive) shows its search
 * line, or a later key's (a frame drawn after two keys shows only the second). Words are typed
 * and erased again, from 2 s after the main window is up.
 */
export async function typingLatencies(cmd, { perSecond = 30, keys = 150, words = ['garcia', 'lopez', '+1212', 'smith', 'nguyen'], env = {} } = {}) {
  const pty = startPty(cmd, { env });
  const screen = new Terminal({ cols: 100, rows: 30, allowProposedApi: true });
  const plan = [];
  const sent = [];
  const latencies = new Array(keys).fill(Infinity);
  let resolved = 0;
  const searchLine = () => {
    for (let y = 0; y < screen.rows; y++) {
      const line = screen.buffer.active.getLine(screen.buffer.active.viewportY + y)?.translateToString(true) ?? '';
      // The query is one word here; the cursor is an inverse cell, blank as text.
      const m = /Search: (\S*)/.exec(line);
      if (m) return m[1];
    }
    return null;
  };
  let fed = 0;
  const feed = () => {
    for (; fed < pty.chunks.length; fed++) {
      const [at, , text] = pty.chunks[fed];
      screen.write(text, () => {
        const shown = searchLine();
        if (shown === null) return;
        // The latest key sent before these bytes arrived whose query the screen shows.
        for (let j = sent.length - 1; j >= resolved; j--) {
          if (sent[j] > at || plan[j][1] !== shown) continue;
          for (; resolved <= j; resolved++) latencies[resolved] = at - sent[resolved];
          break;
        }
      });
    }
  };
  pty.onData(feed);
  try {
    await pty.waitFor('My Campaigns');
    pty.write('4');
    // The desktop loads its windows and libraries in the first second or so: type after that.
    await sleep(2000);
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
    plan.length = keys;
    const interval = 1000 / perSecond;
    const t0 = performance.now();
    for (let i = 0; i < plan.length; i++) {
      await sleep(t0 + i * interval - performance.now());
      sent.push(performance.now());
      pty.write(plan[i][0]);
    }
    const end = performance.now() + 5000;
    while (resolved < keys && performance.now() < end) await sleep(20);
    return latencies;
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
