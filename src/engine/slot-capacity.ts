import type { GenesysCallback } from './domain.js';

/**
 * A Genesys booking holds a place of its slot's capacity unless it was cancelled: the one rule
 * the engine's availability and both stores' slot counters (gms_slot) follow.
 */
export function holdsCapacity(cb: Pick<GenesysCallback, 'reason'>): boolean {
  return cb.reason !== 'CANCELLED';
}
