// Timing helpers shared by the bench's figures (bundled into each).
import { performance } from 'node:perf_hooks';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Asks once, cold (statements prepared, code warmed), then `n` times more, each timed: the first
 * answer, its time, and the times of the others.
 */
export async function timedAsks<T>(ask: () => Promise<T>, n: number): Promise<{ first: T; firstMs: number; ms: number[] }> {
  let t = performance.now();
  const first = await ask();
  const firstMs = performance.now() - t;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    t = performance.now();
    await ask();
    ms.push(performance.now() - t);
  }
  return { first, firstMs, ms };
}
