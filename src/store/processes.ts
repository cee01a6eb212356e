import fs from 'node:fs';
import os from 'node:os';

/** This process, as the team's tables name it. */
export function thisProcess(): { host: string; pid: number } {
  return { host: os.hostname(), pid: process.pid };
}

/**
 * Whether a process of this machine still runs. A zombie (killed, not yet reaped by its parent)
 * answers kill(pid, 0) yet will never write again, so it holds nothing: /proc tells its state.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/**
 * Whether a process named by host and pid may still run: one of another machine is taken to
 * (only its heartbeat can tell), one of this machine is asked.
 */
export function mayBeAlive(ref: { host: string; pid: number }): boolean {
  return ref.host !== os.hostname() || processAlive(ref.pid);
}

/**
 * When a process started (clock ticks since boot, from /proc), so that a lock left by a dead
 * desktop whose pid now belongs to another process is taken over; null where /proc is absent.
 */
export function processStarted(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
