import net from 'node:net';

/**
 * A TCP relay in front of the test server, to take the server away from a store and give it
 * back: `down()` drops every connection and refuses new ones (a restart, a network cut), `up()`
 * listens again on the same port.
 */
export interface PgProxy {
  /** The server's URL, through the relay. */
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<PgProxy> {
  const t = new URL(target);
  const sockets = new Set<net.Socket>();
  const relay = (client: net.Socket) => {
    const server = net.connect(Number(t.port || 5432), t.hostname);
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('error', () => {
        client.destroy();
        server.destroy();
      });
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.pipe(client);
  };
  let listener = net.createServer(relay);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.port = String(port);
  const down = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  };
  return {
    url: url.toString(),
    down,
    async up() {
      listener = net.createServer(relay);
      await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (listener.listening) await down();
    },
  };
}
