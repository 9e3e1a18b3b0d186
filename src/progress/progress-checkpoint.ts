/**
 * When an open internal campaign's per-unit statuses may move (issue 8 "Live progress"; DESIGN.md
 * "Confidentiality", SECURITY.md E4: "refresh in batches of ≥ k new responses"). Pure: no Nest, no
 * database.
 *
 * A status that followed every answer would flip with the k-th answer of a unit, and two reads
 * around that answer would tell that the unit had k − 1 responses just before (a count below k).
 * So the statuses are worked out from a CHECKPOINT instead of the live counts:
 * - only whole past days count (today is still moving), and a day becomes a checkpoint only when
 *   at least k responses came in, campaign-wide, since the previous checkpoint;
 * - a checkpoint is SHOWN only once at least k more responses have come in after it (the live
 *   campaign-wide count, today included). So even the campaign's last state before it closes is
 *   followed by at least k answers before the report releases its exact figures at close: the
 *   final counts minus "what came after" never pin a unit's count at the checkpoint.
 * Between any two different sets of statuses, and between the last one and the close, there are
 * therefore always at least k answers, and a unit whose status changed may have received any number
 * of them: no read, nor any pair of reads, pins a unit's count below k. When the shown checkpoint
 * moves depends on campaign-wide counts only (which an open campaign shows anyway), and the answer
 * that moves it is never in the statuses it brings. Past days never change, so every read at a
 * given moment sees the same checkpoint (no state is stored).
 */

/** `YYYY-MM-DD` of an ISO timestamp (or of an anonymous response's day). */
export const dayOf = (isoTime: string): string => isoTime.slice(0, 10);

export interface Checkpoint {
  /** The last day whose responses count (inclusive), null before the first checkpoint. */
  day: string | null;
  /** Responses campaign-wide up to and including that day (0 before the first checkpoint). */
  responses: number;
}

/**
 * The checkpoint shown on `today` (a `YYYY-MM-DD`). Checkpoints: the past days at which the
 * cumulative responses had grown by at least `k` since the previous checkpoint (the first: at
 * least `k`). Shown: the latest checkpoint followed by at least `k` responses up to now (today
 * included); before that, none.
 */
export function checkpointOf(
  perDay: ReadonlyMap<string, number>,
  today: string,
  k: number,
): Checkpoint {
  const step = Math.max(1, k);
  const days = [...perDay.keys()].filter((d) => d <= today).sort();
  const live = days.reduce((s, d) => s + (perDay.get(d) ?? 0), 0);
  let cumulative = 0;
  let last: Checkpoint = { day: null, responses: 0 };
  let shown: Checkpoint = last;
  for (const day of days) {
    if (day >= today) break;
    cumulative += perDay.get(day) ?? 0;
    if (cumulative - last.responses < step) continue;
    last = { day, responses: cumulative };
    if (live - last.responses >= step) shown = last;
  }
  return shown;
}

/** Per unit: the responses of the days up to and including `day` (none when `day` is null). */
export function countsUpTo(
  rows: readonly { unitId: string; day: string; n: number }[],
  day: string | null,
): Map<string, number> {
  const out = new Map<string, number>();
  if (day === null) return out;
  for (const r of rows) if (r.day <= day) out.set(r.unitId, (out.get(r.unitId) ?? 0) + r.n);
  return out;
}
