import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Cooperative time slicing for long pure work on the request path (a 5 MB CSV import, issue 10):
 * a loop asks `due()` now and then and, when it says so, awaits `pause()`, which lets the event
 * loop run everything that waits (other requests, timers, I/O) before the loop goes on. No stretch
 * of work between two pauses lasts much longer than `budgetMs`.
 */
export class TimeSlice {
  private since = performance.now();

  constructor(readonly budgetMs = 10) {}

  /** True once the budget of this stretch is spent. Cheap: call it every row. */
  due(): boolean {
    return performance.now() - this.since >= this.budgetMs;
  }

  /** Yields to the event loop (one turn, after pending I/O) and starts a new stretch. */
  async pause(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }

  /** `pause()` when due: `await slice.breathe()` inside a loop. */
  async breathe(): Promise<void> {
    if (this.due()) await this.pause();
  }

  /** `fn` on every item, pausing when due; the items' results in order. */
  async map<T, U>(items: readonly T[], fn: (item: T) => U): Promise<U[]> {
    const out: U[] = [];
    for (const item of items) {
      if (this.due()) await this.pause();
      out.push(fn(item));
    }
    return out;
  }
}
