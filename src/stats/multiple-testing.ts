/**
 * Adjusted p-values for many tests at once (e.g. one correlation per driver item).
 * Entries that are not a p-value (null, NaN, outside [0, 1]) stay null and are not counted in m,
 * the number of tests.
 */

function isP(p: number | null | undefined): p is number {
  return typeof p === 'number' && p >= 0 && p <= 1;
}

/**
 * Step-up adjustment q(i) = min_{j ≥ i} min(1, c·m·p(j)/j) over the ascending p-values, returned
 * in the original order (monotone in p, capped at 1).
 */
function stepUp(pValues: readonly (number | null | undefined)[], c: number): (number | null)[] {
  const valid = pValues.flatMap((p, i) => (isP(p) ? [i] : []));
  const m = valid.length;
  const order = valid.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (c * m * (pValues[i] as number)) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}

/** Benjamini–Hochberg (1995) FDR-adjusted p-values; reject where adjusted ≤ q. */
export function benjaminiHochberg(
  pValues: readonly (number | null | undefined)[],
): (number | null)[] {
  return stepUp(pValues, 1);
}

/**
 * Benjamini–Yekutieli (2001) adjusted p-values: BH multiplied by c(m) = Σ 1/i, valid under any
 * dependence between the tests.
 */
export function benjaminiYekutieli(
  pValues: readonly (number | null | undefined)[],
): (number | null)[] {
  const m = pValues.filter(isP).length;
  let c = 0;
  for (let i = 1; i <= m; i++) c += 1 / i;
  return stepUp(pValues, c);
}

/** Bonferroni-adjusted p-values min(1, m·p). */
export function bonferroni(pValues: readonly (number | null | undefined)[]): (number | null)[] {
  const m = pValues.filter(isP).length;
  return pValues.map((p) => (isP(p) ? Math.min(1, m * p) : null));
}

/** How many adjusted p-values are at or below the level (e.g. the FDR q = 0.05). */
export function countRejections(adjusted: readonly (number | null)[], level: number): number {
  return adjusted.filter((p) => p !== null && p <= level).length;
}
