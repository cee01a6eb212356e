import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive, processStarted } from './processes.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';

/**
 * A first-come, first-served line for SQLite's write lock among the processes on one state
 * file. SQLite's own busy handler is not fair: a waiting writer sleeps 1, 2, 5 ... 100 ms between
 * tries, and whoever asks in between takes the lock, so with 30 agents' desktops on one file a
 * command lost that race again and again and waited seconds (issue 20), and each try blocked its
 * process for the whole busy timeout. Here each write transaction first takes a ticket (an empty
 * file named by the instant, a count, the pid and the process's start) and waits, without
 * blocking its event loop, until no ticket is ahead of its own; only then does it BEGIN, and it
 * gives the ticket up at COMMIT or ROLLBACK.
 *
 * The line orders writers; it never replaces SQLite's lock, which stays the one guarantee: a
 * ticket of a process that is gone (killed, a zombie, its pid now another process's) is removed
 * by the next one to look, and a ticket at the head of the line for longer than PASS_OVER_MS (a
 * stopped process, a transaction far longer than any should be) is passed over, its writer then
 * waited for by SQLite as before. Writers that do not stand in line (an import's long
 * transaction, the sqlite3 shell, the heartbeats' one-statement writes) are waited for by the
 * busy handler, also as before.
 *
 * The tickets are kept in the user's own directory under the system's temporary one, named by
 * the state file's device and inode, so nothing is added beside the state file and every path to
 * one file finds the same line. That directory is checked before use: a real directory (not a
 * symbolic link), the user's, 0700; anything else (another user's, planted before the first
 * run) and the writer goes without the line. Only names of the ticket form are ever removed.
 */

/** A head of the line seen this long is passed over (its writer may be stopped). */
const PASS_OVER_MS = 1_000;
/** How often a waiter looks again when no change of the line was announced. */
const LOOK_AGAIN_MS = 50;
/** instant-count-pid-start: the only names the line reads or removes. */
const TICKET = /^\d{15}-\d{9}-(\d+)-(\d+)$/;

export interface WriteTicket {
  readonly name: string;
}

/** Tickets this process has made: with the instant and the pid, a name no other ticket has. */
let made = 0;
/** This process's start (clock ticks since boot), so its pid, reused later, is not taken for it. */
const started = processStarted(process.pid) ?? '0';

/** Makes `d` (0700) unless it is there, then checks it is the user's own private directory. */
function ownDir(d: string, uid: number): boolean {
  try {
    fs.mkdirSync(d, { mode: PRIVATE_DIR_MODE });
    fs.chmodSync(d, PRIVATE_DIR_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const st = fs.lstatSync(d);
    return st.isDirectory() && !st.isSymbolicLink() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

export class WriteLine {
  private watcher: fs.FSWatcher | null = null;
  private waiters = new Set<() => void>();
  /** When (performance.now) this process first saw each ticket at the head of the line. */
  private headSince = new Map<string, number>();

  private constructor(
    private readonly base: string,
    private readonly dir: string,
    private readonly uid: number,
  ) {}

  /**
   * The line for a state file, or null where there can be none (the file is not there yet, the
   * temporary directory cannot be written or is not the user's): then writers go to SQLite's
   * busy handler directly.
   */
  static forFile(file: string): WriteLine | null {
    try {
      const st = fs.statSync(file);
      const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
      const base = path.join(os.tmpdir(), `callback-desk-${uid}`);
      const dir = path.join(base, `writers-${st.dev}-${st.ino}`);
      // The base, once the user's own and 0700, is a place nobody else can add to or rename in.
      if (!ownDir(base, uid) || !ownDir(dir, uid)) return null;
      return new WriteLine(base, dir, uid);
    } catch {
      return null;
    }
  }

  /**
   * Stands in line and resolves once no writer is ahead (or null when the ticket could not be
   * made, a full disk say: then SQLite's busy handler alone decides). Never throws.
   */
  async enter(): Promise<WriteTicket | null> {
    const name = `${String(Date.now()).padStart(15, '0')}-${String(made++ % 1e9).padStart(9, '0')}-${process.pid}-${started}`;
    if (!this.ticket(name)) return null;
    for (;;) {
      if (this.mayGo(name)) return { name };
      await this.change();
    }
  }

  /** Leaves the line (the transaction committed or rolled back). */
  leave(ticket: WriteTicket | null): void {
    if (!ticket) return;
    this.remove(ticket.name);
    // The last to leave takes the directory away (one per state file would pile up otherwise);
    // refused while a ticket is in it.
    try {
      fs.rmdirSync(this.dir);
    } catch {
      // Others are in line.
    }
  }

  /** Stops watching the line (the store closes). */
  close(): void {
    this.wake();
    this.watcher?.close();
    this.watcher = null;
  }

  /** Makes a ticket: false when it cannot be made (a full disk, the directory not the user's). */
  private ticket(name: string): boolean {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.closeSync(fs.openSync(path.join(this.dir, name), 'wx', PRIVATE_FILE_MODE));
        return true;
      } catch (e) {
        // The last to leave took the directory away a moment ago: made again (and checked), the
        // ticket too.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !ownDir(this.base, this.uid) || !ownDir(this.dir, this.uid)) return false;
      }
    }
    return false;
  }

  private remove(name: string): void {
    this.headSince.delete(name);
    try {
      fs.unlinkSync(path.join(this.dir, name));
    } catch {
      // Removed already (by a process that took it for a dead one's): nothing to give up.
    }
  }

  /** Whether `mine` is at the head of the line, counting out the gone and the passed over. */
  private mayGo(mine: string): boolean {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).sort();
    } catch {
      return true;
    }
    const now = performance.now();
    for (const name of names) {
      if (name >= mine) return true;
      const t = TICKET.exec(name);
      if (!t) continue;
      const pid = Number(t[1]);
      if (pid !== process.pid && (!processAlive(pid) || (t[2] !== '0' && processStarted(pid) !== t[2]))) {
        this.remove(name);
        continue;
      }
      const since = this.headSince.get(name) ?? now;
      this.headSince.set(name, since);
      if (now - since < PASS_OVER_MS) {
        if (this.headSince.size > 256) this.forgetOldHeads(names);
        return false;
      }
      // Passed over: the next ticket is the head now.
    }
    return true;
  }

  private forgetOldHeads(names: string[]): void {
    const present = new Set(names);
    for (const n of this.headSince.keys()) if (!present.has(n)) this.headSince.delete(n);
  }

  /**
   * Resolves at the next change of the line, or LOOK_AGAIN_MS later. The directory is watched
   * only while someone of this process waits (the last to leave may take it away, and a watch
   * on a directory gone sees nothing of the one made again).
   */
  private change(): Promise<void> {
    if (!this.watcher) {
      try {
        const w = fs.watch(this.dir, { persistent: false }, () => this.wake());
        w.on('error', () => {
          w.close();
          if (this.watcher === w) this.watcher = null;
        });
        this.watcher = w;
      } catch {
        this.watcher = null;
      }
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        if (this.waiters.size === 0) {
          this.watcher?.close();
          this.watcher = null;
        }
        resolve();
      };
      const timer = setTimeout(done, LOOK_AGAIN_MS);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
