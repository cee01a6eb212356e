import type Database from 'better-sqlite3';
import type { AgentHeartbeat, HostLease, ProcessRef, StoreTx, TeamPort } from '../engine/store-port.js';
import { mayBeAlive } from './processes.js';

type Row = Record<string, unknown>;

const leaseOf = (r: Row): HostLease => ({
  epoch: r.epoch as number,
  host: r.host as string,
  pid: r.pid as number,
  role: r.role as HostLease['role'],
  startedAt: r.started_at as number,
  heartbeatAt: r.heartbeat_at as number,
});

/**
 * The team's lease and heartbeats in the state file. The lease is one row: taken in a write
 * transaction (so two processes never both take it), renewed by its holder every few hundred
 * milliseconds, free once its heartbeat is stale or its process is gone (a SIGKILL leaves the
 * row; the pid tells). Heartbeats are one row per agent logged in at a desktop.
 */
export class SqliteTeam implements TeamPort {
  private readonly s;
  constructor(
    private readonly db: Database.Database,
    private readonly transaction: <T>(fn: (tx: StoreTx) => Promise<T>) => Promise<T>,
  ) {
    this.s = {
      lease: db.prepare('SELECT * FROM host_lease WHERE id = 1'),
      take: db.prepare(
        `INSERT INTO host_lease (id, epoch, host, pid, role, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, host = excluded.host, pid = excluded.pid, role = excluded.role, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
      ),
      renew: db.prepare('UPDATE host_lease SET heartbeat_at = ? WHERE id = 1 AND epoch = ?'),
      release: db.prepare('UPDATE host_lease SET heartbeat_at = 0 WHERE id = 1 AND epoch = ?'),
      beat: db.prepare(
        `INSERT INTO agent_heartbeat (agent_id, host, pid, started_at, beat_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, beat_at = excluded.beat_at`,
      ),
      beats: db.prepare('SELECT * FROM agent_heartbeat ORDER BY agent_id'),
      forget: db.prepare('DELETE FROM agent_heartbeat WHERE agent_id = ?'),
      forgetMine: db.prepare('DELETE FROM agent_heartbeat WHERE agent_id = ? AND host = ? AND pid = ?'),
    };
  }

  acquireHost(me: ProcessRef & { role: HostLease['role'] }, nowMs: number, staleMs: number): Promise<number | null> {
    const heldElsewhere = (row: Row | undefined) => {
      const held = row ? leaseOf(row) : null;
      const mine = held && held.host === me.host && held.pid === me.pid;
      return !!held && !mine && held.heartbeatAt > nowMs - staleMs && mayBeAlive(held);
    };
    // Every process that does not host asks four times a second: a read, outside the write
    // lock, answers almost all of them. Taking the write lock for each (30 desktops: 120 a
    // second) made agents' commands queue behind the asking.
    if (heldElsewhere(this.s.lease.get() as Row | undefined)) return Promise.resolve(null);
    return this.transaction(async () => {
      const row = this.s.lease.get() as Row | undefined;
      const held = row ? leaseOf(row) : null;
      if (heldElsewhere(row)) return null;
      const epoch = (held?.epoch ?? 0) + 1;
      this.s.take.run(epoch, me.host, me.pid, me.role, nowMs, nowMs);
      return epoch;
    });
  }

  async renewHost(epoch: number, nowMs: number): Promise<boolean> {
    return this.light(() => this.s.renew.run(nowMs, epoch).changes === 1);
  }

  /**
   * A write nobody needs after a crash (a heartbeat, the lease renewed), as one statement that
   * holds the write lock only while it runs and is not synced to disk: a desktop beats every
   * second, and 30 of them syncing each beat kept the lock busy enough that agents' commands and
   * a host taking over waited seconds for it (SQLite's busy handler is not fair). A crash loses
   * at most the last beats, which the next ones write again.
   */
  private async light<T>(run: () => T): Promise<T> {
    // Inside a transaction of this connection (one is waiting on an await), the statement would
    // join it: queue behind it instead.
    if (this.db.inTransaction) return this.transaction(async () => run());
    this.db.pragma('synchronous = OFF');
    try {
      return run();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async releaseHost(epoch: number): Promise<void> {
    await this.transaction(async () => void this.s.release.run(epoch));
  }

  async host(): Promise<HostLease | null> {
    const row = this.s.lease.get() as Row | undefined;
    return row ? leaseOf(row) : null;
  }

  async beat(agentId: string, me: ProcessRef, startedAt: number, nowMs: number): Promise<void> {
    await this.light(() => void this.s.beat.run(agentId, me.host, me.pid, startedAt, nowMs));
  }

  async heartbeats(): Promise<AgentHeartbeat[]> {
    return (this.s.beats.all() as Row[]).map((r) => ({ agentId: r.agent_id as string, host: r.host as string, pid: r.pid as number, startedAt: r.started_at as number, beatAt: r.beat_at as number }));
  }

  async forget(agentId: string, me?: ProcessRef): Promise<void> {
    await this.transaction(async () => void (me ? this.s.forgetMine.run(agentId, me.host, me.pid) : this.s.forget.run(agentId)));
  }
}

/** The lease's epoch now, read inside the transaction a host's write is fenced by. */
export function sqliteHostEpoch(db: Database.Database): number | null {
  const r = db.prepare('SELECT epoch FROM host_lease WHERE id = 1').get() as { epoch: number } | undefined;
  return r ? r.epoch : null;
}
