/**
 * Every engine timer (ringing, talk, wrap-up, due callbacks, countdowns, arrivals) is an entry
 * in this one priority queue keyed by simulated time. Ties keep insertion order (seq), so a run
 * with the same seed and inputs replays the same events in the same order.
 */
export interface ScheduledEvent<T = unknown> {
  at: number;
  seq: number;
  event: T;
}

export class EventQueue<T> {
  private heap: ScheduledEvent<T>[] = [];
  private nextSeq = 0;

  constructor(saved?: { items: ScheduledEvent<T>[]; nextSeq: number }) {
    if (saved) {
      this.heap = saved.items.slice();
      this.nextSeq = saved.nextSeq;
      this.heap.sort(compare);
    }
  }

  get size(): number {
    return this.heap.length;
  }

  push(at: number, event: T): ScheduledEvent<T> {
    const item = { at, seq: this.nextSeq++, event };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(h[i], h[p]) >= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    return item;
  }

  peek(): ScheduledEvent<T> | undefined {
    return this.heap[0];
  }

  pop(): ScheduledEvent<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && compare(h[l], h[m]) < 0) m = l;
        if (r < h.length && compare(h[r], h[m]) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  /** Removes every entry the predicate matches (rare: cancellations). */
  removeWhere(pred: (e: T) => boolean): number {
    const before = this.heap.length;
    this.heap = this.heap.filter((x) => !pred(x.event)).sort(compare);
    return before - this.heap.length;
  }

  find(pred: (e: T) => boolean): ScheduledEvent<T> | undefined {
    return this.heap.find((x) => pred(x.event));
  }

  snapshot(): { items: ScheduledEvent<T>[]; nextSeq: number } {
    return { items: this.heap.slice().sort(compare), nextSeq: this.nextSeq };
  }
}

function compare<T>(a: ScheduledEvent<T>, b: ScheduledEvent<T>): number {
  return a.at - b.at || a.seq - b.seq;
}
