import { Engine, loadWorld, type EngineOptions } from './engine.js';
import type { StorePort } from './store-port.js';
import { registerInbound } from './inbound.js';
import { registerOutbound } from './outbound.js';
import { registerGenesysCallbacks } from './genesys-callback.js';
import { registerWebCallbacks } from './web-callback.js';
import { registerDeskDialer } from './dialer/desk-dialer.js';
import { registerNegotiatedLogout } from './logout.js';
import { registerCallLog } from './call-log.js';

/**
 * The whole simulation: the engine core on a store, with every feature subscribed to it. The
 * core knows no feature; this is the one place that names them all, in the order they hear
 * the core's events.
 */
export async function createEngine(store: StorePort, opts: EngineOptions): Promise<Engine> {
  const engine = new Engine(store, opts, await loadWorld(store));
  registerInbound(engine);
  registerOutbound(engine);
  registerGenesysCallbacks(engine);
  registerWebCallbacks(engine);
  registerDeskDialer(engine);
  registerNegotiatedLogout(engine);
  // Last: it writes down what the features announce, after they have done it.
  registerCallLog(engine);
  await engine.start();
  return engine;
}
