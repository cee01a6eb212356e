import pg from 'pg';
import type { AgentHeartbeat, HostLease, ProcessRef, TeamPort } from '../../engine/store-port.js';
import { toStoreError } from './errors.js';

/**
 * A FROM item that makes the statement's own transaction commit without waiting for the disk
 * (synchronous_commit off, for that transaction only): a heartbeat or a lease renewal is written
 * again within a second, so one lost to a crash of the server costs nothing, while waiting for
 * the disk on each (a host's four a second, every desktop's one) took flushes from the
 * team's commits.
 */
const UNSYNCED = "(SELECT set_config('synchronous_commit', 'off', true)) AS unsynced";

/** The advisory lock of the host's lease (distinct from every other lock of the database). */
const HOST_LOCK_KEY = 0x4342_4448; // "CBDH"

type Row = Record<string, unknown>;

const leaseOf = (r: Row): HostLease => ({
  epoch: Number(r.epoch),
  host: r.host as string,
  pid: Number(r.pid),
  role: r.role as HostLease['role'],
  startedAt: Number(r.started_at),
  heartbeatAt: Number(r.heartbeat_at),
});

type Sql = <R extends Row>(sql: string, params: unknown[]) => Promise<R[]>;

export interface PgTeamDeps {
  location: string;
  newClient: (applicationName: string) => pg.Client;
  /** Runs SQL in a write transaction (PgStore.transaction). */
  inWriteTx: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;
  /** Runs SQL on a pooled connection outside the write lock (heartbeats, reads). */
  query: Sql;
}

/**
 * The team's lease and heartbeats in PostgreSQL. The lease is an advisory lock held on a
 * connection of its own (the server lets go of it when the process dies, at once) and a row
 * whose epoch is bumped at each takeover, so a host that was paused (and whose connection was
 * dropped meanwhile) finds its epoch gone at its next write. Heartbeats are rows written outside
 * the write lock: they never wait for a command.
 */
export class PgTeam implements TeamPort {
  private lockClient: pg.Client | null = null;
  constructor(private readonly d: PgTeamDeps) {}

  async acquireHost(me: ProcessRef & { role: HostLease['role'] }, nowMs: number): Promise<number | null> {
    // Every process that does not host asks four times a second. While the lock is held (the
    // server's lock table says so), the answer is no without a connection of its own: opening
    // one per ask (200 desktops: 800 connections a second) starved the server.
    if (!this.lockClient && (await this.lockHeld())) return null;
    if (!this.lockClient) {
      const client = this.d.newClient(`callback-desk ${me.role} pid ${me.pid} on ${me.host}`);
      client.on('error', () => {});
      client.on('end', () => {
        if (this.lockClient === client) this.lockClient = null;
      });
      try {
        await client.connect();
        const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${HOST_LOCK_KEY}) AS ok`);
        if (!rows[0].ok) {
          await client.end().catch(() => {});
          return null;
        }
      } catch (e) {
        await client.end().catch(() => {});
        throw toStoreError(e, this.d.location);
      }
      this.lockClient = client;
    }
    // The epoch moves under the revision row's lock: a commit of the old host either came
    // before it or finds it moved (the commit checks the epoch under the same lock).
    return this.d.inWriteTx(async (sql) => {
      await sql("SELECT value FROM meta WHERE key = 'revision' FOR UPDATE", []);
      const rows = await sql<{ epoch: string }>(
        `INSERT INTO host_lease AS l (id, epoch, host, pid, role, started_at, heartbeat_at) VALUES (1, 1, $1, $2, $3, $4, $4)
         ON CONFLICT (id) DO UPDATE SET epoch = l.epoch + 1, host = excluded.host, pid = excluded.pid, role = excluded.role, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
         RETURNING epoch`,
        [me.host, me.pid, me.role, nowMs],
      );
      return Number(rows[0].epoch);
    });
  }

  /** Whether a session of this database holds the host's advisory lock now. */
  private async lockHeld(): Promise<boolean> {
    // A one-key advisory lock: classid is the key's high 32 bits, objid its low ones, objsubid 1.
    const rows = await this.d.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = 0 AND objid = $1 AND objsubid = 1) AS held`,
      [HOST_LOCK_KEY],
    );
    return rows[0].held;
  }

  async renewHost(epoch: number, nowMs: number): Promise<boolean> {
    // Without its lock connection the lease is not this process's any more, whatever the row says.
    if (!this.lockClient) return false;
    const rows = await this.d.query(`UPDATE host_lease SET heartbeat_at = $1 FROM ${UNSYNCED} WHERE id = 1 AND epoch = $2 RETURNING epoch`, [nowMs, epoch]);
    return rows.length === 1;
  }

  async releaseHost(epoch: number): Promise<void> {
    await this.d.query('UPDATE host_lease SET heartbeat_at = 0 WHERE id = 1 AND epoch = $1', [epoch]).catch(() => []);
    const c = this.lockClient;
    this.lockClient = null;
    await c?.end().catch(() => {});
  }

  async host(): Promise<HostLease | null> {
    const rows = await this.d.query('SELECT * FROM host_lease WHERE id = 1', []);
    return rows[0] ? leaseOf(rows[0]) : null;
  }

  async beat(agentId: string, me: ProcessRef, startedAt: number, nowMs: number): Promise<void> {
    await this.d.query(
      `INSERT INTO agent_heartbeat (agent_id, host, pid, started_at, beat_at) SELECT $1, $2, $3::integer, $4::bigint, $5::bigint FROM ${UNSYNCED}
       ON CONFLICT (agent_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, beat_at = excluded.beat_at`,
      [agentId, me.host, me.pid, startedAt, nowMs],
    );
  }

  async heartbeats(): Promise<AgentHeartbeat[]> {
    const rows = await this.d.query('SELECT * FROM agent_heartbeat ORDER BY agent_id', []);
    return rows.map((r) => ({ agentId: r.agent_id as string, host: r.host as string, pid: Number(r.pid), startedAt: Number(r.started_at), beatAt: Number(r.beat_at) }));
  }

  async forget(agentId: string, me?: ProcessRef): Promise<void> {
    if (me) await this.d.query('DELETE FROM agent_heartbeat WHERE agent_id = $1 AND host = $2 AND pid = $3', [agentId, me.host, me.pid]);
    else await this.d.query('DELETE FROM agent_heartbeat WHERE agent_id = $1', [agentId]);
  }

  /** Ends the lock connection (the store closes). */
  async close(): Promise<void> {
    const c = this.lockClient;
    this.lockClient = null;
    await c?.end().catch(() => {});
  }
}
