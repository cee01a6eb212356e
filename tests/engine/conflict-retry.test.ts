import { afterAll, describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { createEngine } from '../../src/engine/simulation.js';
import type { StorePort, StoreTx } from '../../src/engine/store-port.js';
import { openStore } from '../../src/store/open-store.js';
import { postgresStates } from '../helpers/pg-state-backends.js';
import { T0, testZones } from '../helpers/world.js';

// PostgreSQL's writers run side by side (src/store/pg/pg-store.ts): a command whose agent another
// process wrote after it caught up is refused at COMMIT, and the engine runs it again on the
// newer rows. SQLite's writers wait for each other, so there is nothing to run again there.
const states = postgresStates();
const stores: StorePort[] = [];
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => {});
  await states.cleanup();
});

describe('a command another process overtook, on PostgreSQL', () => {
  it('runs again on the rows the other process wrote, keeps both changes, and says nothing of it', async () => {
    const state = await states.fresh('conflict-retry');
    const { store } = await openStore(state, () => createDemoWorld(7, T0));
    const { store: other } = await openStore(state, () => createDemoWorld(7, T0));
    stores.push(store, other);
    // The desktop's store, with another process's commit slipped in after the desktop's first
    // transaction caught up and before it commits: the other process renames the same agent.
    let attempts = 0;
    let slipIn = false;
    const desk: StorePort = Object.create(store, {
      transaction: {
        value: <T>(fn: (tx: StoreTx) => Promise<T>, hint?: Parameters<StorePort['transaction']>[1]) =>
          store.transaction(async (tx) => {
            const out = await fn(tx);
            if (slipIn) {
              attempts++;
              if (attempts === 1) {
                await other.transaction(async (o) => {
                  const agents = await o.loadEntities('agent');
                  await o.putEntity('agent', 'a.lopez', { ...(agents['a.lopez'] as object), name: 'Ana Lopez-Renamed' }, await o.bumpRevision());
                });
              }
            }
            return out;
          }, hint),
      },
    });
    const engine = await createEngine(desk, { zones: testZones() });
    expect((await engine.login('a.lopez', 'Place_1')).ok).toBe(true);
    slipIn = true;
    const r = await engine.setStatus('NotReady');
    expect(r).toEqual({ ok: true, value: undefined });
    // Refused once (the agent changed under it), through the second time.
    expect(attempts).toBe(2);
    expect(engine.state.agents['a.lopez'].status).toBe('NotReady');
    expect(engine.state.agents['a.lopez'].name).toBe('Ana Lopez-Renamed');
    const saved = (await other.read((q) => q.loadEntities('agent')))['a.lopez'] as { status: string; name: string };
    expect({ status: saved.status, name: saved.name }).toEqual({ status: 'NotReady', name: 'Ana Lopez-Renamed' });
  });
});
