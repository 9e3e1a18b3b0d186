/**
 * When an open internal campaign's per-unit statuses may move (issue 8 "Live progress"; DESIGN.md
 * "Confidentiality", SECURITY.md E4). Pure: no Nest, no database.
 *
 * A status that followed every answer would flip with the k-th answer of a unit, and two reads
 * around that answer would tell that the unit had k − 1 responses just before (a count below k).
 * So the statuses are worked out from a CHECKPOINT instead of the live counts: the responses of
 * whole past days (today is still moving, so it never counts), and a day becomes the checkpoint
 * only when at least k responses came in, campaign-wide, since the previous checkpoint. Between two
 * different sets of statuses there are therefore always at least k new answers, and a unit whose
 * status changed may have received any number of them: no read, nor any pair of reads, pins a
 * unit's count below k. Past days never change, so the checkpoint of a given moment is the same on
 * every read (no state is stored, nothing depends on who reads when).
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
 * The checkpoint of `today` (a `YYYY-MM-DD`): the latest past day at which the cumulative
 * responses had grown by at least `k` since the previous checkpoint (the first: at least `k`).
 */
export function checkpointOf(
  perDay: ReadonlyMap<string, number>,
  today: string,
  k: number,
): Checkpoint {
  let cumulative = 0;
  let last: Checkpoint = { day: null, responses: 0 };
  for (const day of [...perDay.keys()].sort()) {
    if (day >= today) break;
    cumulative += perDay.get(day) ?? 0;
    if (cumulative - last.responses >= Math.max(1, k)) last = { day, responses: cumulative };
  }
  return last;
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
