import type { StorePort } from '../engine/store-port.js';
import type { WorldSeed } from '../engine/world.js';
import { SqliteStore } from './sqlite-store.js';
import { isPostgresUrl } from './state-location.js';
import { loadPg } from './load-pg.js';

export { isPostgresUrl };

/**
 * The store a --state value names: a PostgreSQL database for a `postgres://` or
 * `postgresql://` URL, else a SQLite file (":memory:" for --ephemeral). A new one gets the
 * world `create()` makes. The PostgreSQL client is loaded only for a URL, so the embedded
 * default starts without it.
 */
export async function openStore(state: string, create: () => WorldSeed): Promise<{ store: StorePort; created: boolean }> {
  if (isPostgresUrl(state)) {
    const { PgStore } = await loadPg(() => import('./pg/pg-store.js'));
    return PgStore.open(state, create);
  }
  return SqliteStore.open(state, create);
}

/** Where a state is, as messages may show it: a URL loses its password. */
export async function stateLabel(state: string): Promise<string> {
  if (!isPostgresUrl(state)) return state;
  const { redactUrl } = await loadPg(() => import('./pg/connection.js'));
  return redactUrl(state);
}

/**
 * A state opened only to be read after an error no command expected (to name a damaged row):
 * a file without the checks of open, nothing written; a database as any command opens it (an
 * empty one is not made a world).
 */
export async function openStoreToInspect(state: string): Promise<StorePort> {
  if (isPostgresUrl(state)) {
    const { PgStore } = await loadPg(() => import('./pg/pg-store.js'));
    return (
      await PgStore.open(state, () => {
        throw new Error(`${state} holds no world`);
      })
    ).store;
  }
  return SqliteStore.openToInspect(state);
}
