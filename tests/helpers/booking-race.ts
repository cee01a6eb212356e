import type { StorePort } from '../../src/engine/store-port.js';
import { Random } from '../../src/engine/random.js';
import { T0, booking } from './pg-fixtures.js';

/**
 * Genesys bookings racing for few places (issue 19: 8 processes x 50 bookings on 10 slots): the
 * driver the store contract runs on 8 connections (tests/store/contract.test.ts) and `npm run
 * bench` in 8 processes (bench/booking-racer.ts). Each racer books one slot at a time, drawn
 * from RACE.slots, one transaction a booking as the engine books: an id from the counter, then
 * the place taken by the store's conditional update of the slot's count.
 */
export const RACE = {
  racers: 8,
  tries: 50,
  /** 10 slots of 20 places: 200 places for 400 tries, so every slot is fought over. */
  capacity: 20,
  slots: Array.from({ length: 10 }, (_, i) => T0 + i * 900_000),
  service: 'svc',
};

/** One racer's bookings (seed: which slots it draws); the ids of those that got a place. */
export async function bookRacing(store: StorePort, seed: number, tries = RACE.tries): Promise<string[]> {
  const r = new Random(seed);
  const taken: string[] = [];
  for (let i = 0; i < tries; i++) {
    const slot = r.pick(RACE.slots);
    const placed = await store.transaction(async (tx) => {
      const id = `gcb-${await tx.allocateId('gcallback', 1)}`;
      const ok = await tx.gcallbacks.put(booking(id, { service: RACE.service, slot, desiredTime: slot }), undefined, RACE.capacity);
      if (ok) await tx.bumpRevision();
      return ok ? id : null;
    });
    if (placed) taken.push(placed);
  }
  return taken;
}

export interface RaceOutcome {
  /** Bookings the racers were told got a place. */
  booked: number;
  /** The same id given to two of them. */
  idCollisions: number;
  /** Slots holding more than RACE.capacity, by their bookings or by the count availability reads. */
  overCapacity: number;
  /** Places the slot counts say are taken (availability reads these). */
  counted: number;
  /** Bookings of the race the store holds. */
  stored: number;
}

/** What the store holds after a race whose racers got `ids`: read back, not taken on trust. */
export async function raceOutcome(store: StorePort, ids: string[]): Promise<RaceOutcome> {
  return store.read(async (q) => {
    const counts = await q.gcallbacks.bookedBetween(RACE.service, RACE.slots[0], RACE.slots[RACE.slots.length - 1] + 1);
    const stored = (await q.gcallbacks.list(100_000)).filter((b) => b.service === RACE.service);
    let overCapacity = 0;
    let counted = 0;
    for (const slot of RACE.slots) {
      const n = counts.get(slot) ?? 0;
      counted += n;
      if (Math.max(n, stored.filter((b) => b.slot === slot).length) > RACE.capacity) overCapacity++;
    }
    return { booked: ids.length, idCollisions: ids.length - new Set(ids).size, overCapacity, counted, stored: stored.length };
  });
}
