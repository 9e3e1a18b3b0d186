/**
 * Keeps a long streamed export from leaving the heap full of garbage (issue 9: a 1M-row export
 * read at 1 MB/s stays within 100 MiB of the idle RSS).
 *
 * Why: what a slow reader holds back while it catches up survives the young generation, is
 * promoted, and dies in the old generation; V8 lets the old generation grow to a multiple of the
 * live heap before it collects it (measured with `npm run bench:exports`: +150–200 MiB at 1M rows,
 * the live heap unchanged). A guard, checked once per keyset page, asks V8 for a full collection
 * when the old generation has grown by `slack` bytes since the last one (about 10–20 ms here with
 * concurrent marking, a few times a minute for an export read at 1 MB/s; a fast reader leaves
 * little garbage and rarely triggers it).
 *
 * The collection is V8's `gc()`, exposed at run time (`--expose-gc` set from the code, the global
 * taken from a fresh context): no flag is needed on the command line. Where that is refused the
 * guard does nothing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** A full collection now, when V8's `gc()` can be had (true then). */
export function collectNow(): boolean {
  const gc = collector();
  gc?.();
  return gc !== null;
}

/** Bytes in use in V8's old generation. */
function oldGeneration(): number {
  return (
    v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0
  );
}

/** Old-generation growth an export may leave before it asks for a collection. */
export const EXPORT_HEAP_SLACK = 16 * 1024 * 1024;

export class HeapGuard {
  private floor = oldGeneration();
  /** Full collections asked for so far (a test seam). */
  collections = 0;

  constructor(private readonly slack = EXPORT_HEAP_SLACK) {}

  /** Collects when the old generation grew by more than the slack since the last look back. */
  check(): void {
    const used = oldGeneration();
    if (used < this.floor) this.floor = used; // V8 collected by itself
    if (used - this.floor <= this.slack) return;
    const gc = collector();
    if (!gc) return;
    gc();
    this.collections++;
    this.floor = oldGeneration();
  }
}
