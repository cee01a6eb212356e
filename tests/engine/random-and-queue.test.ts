import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random } from '../../src/engine/random.js';
import { EventQueue } from '../../src/engine/event-queue.js';

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('continues the same sequence from a saved state', () => {
    const a = new Random(9);
    for (let i = 0; i < 100; i++) a.next();
    const b = new Random(a.state());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(Array.from({ length: 10 }, () => a.next()));
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }), (seed, lo, span) => {
        const r = new Random(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const n = r.int(lo, lo + span);
          expect(n).toBeGreaterThanOrEqual(lo);
          expect(n).toBeLessThanOrEqual(lo + span);
        }
      }),
    );
  });

  it('draws exponentials with about the asked mean', () => {
    const r = new Random(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += r.exponential(10);
    expect(sum / 20000).toBeGreaterThan(9.5);
    expect(sum / 20000).toBeLessThan(10.5);
  });
});

describe('EventQueue', () => {
  it('pops in time order and keeps insertion order for ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const out: [number, number][] = [];
        for (let e = q.pop(); e; e = q.pop()) out.push([e.at, e.event]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('restores from a snapshot with the same order and sequence numbers', () => {
    const q = new EventQueue<string>();
    q.push(5, 'b');
    q.push(1, 'a');
    q.push(5, 'c');
    const r = new EventQueue<string>(q.snapshot());
    r.push(5, 'd');
    const order: string[] = [];
    for (let e = r.pop(); e; e = r.pop()) order.push(e.event);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});
