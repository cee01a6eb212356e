/**
 * Loads a module of the PostgreSQL backend (a chunk of its own: a SQLite state never loads
 * node-postgres). node-postgres asks, as it loads, whether it runs in a Cloudflare Worker: with
 * no `navigator` (Node 20 has none) it makes a `Response`, and the first `Response` loads
 * Node's whole fetch (undici). That was 30 of the 67 ms `require('pg')` takes here, on every
 * start on PostgreSQL. A `navigator` that says Node answers the question first; it is taken
 * away again once the module is loaded (a runtime that has its own is left alone).
 */
export async function loadPg<T>(load: () => Promise<T>): Promise<T> {
  if (Object.getOwnPropertyDescriptor(globalThis, 'navigator')) return load();
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true });
  try {
    return await load();
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}
