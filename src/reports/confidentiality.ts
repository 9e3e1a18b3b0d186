/**
 * Small-group suppression for internal results (DESIGN.md "Confidentiality").
 *
 * Primary suppression hides every group with fewer than `k` responses. That alone is not enough
 * when a total is also released: with one hidden group, total − visible groups = the hidden one.
 * Complementary suppression therefore keeps hiding the next smallest visible group until the hidden
 * groups together hold at least `k` responses (or everything is hidden), so no released figure
 * isolates fewer than `k` people.
 *
 * Apply it to every set of sibling groups whose sum is released (the units of a campaign report under
 * the campaign total, the raters of one provider column under the provider total, …).
 */
export interface Group {
  key: string;
  n: number;
}

export function suppressedKeys(groups: readonly Group[], k: number): Set<string> {
  const hidden = new Set<string>();
  let hiddenN = 0;
  for (const g of groups) {
    if (g.n > 0 && g.n < k) {
      hidden.add(g.key);
      hiddenN += g.n;
    }
  }
  if (hidden.size === 0) return hidden;
  // Smallest first, ties by key, so the choice is stable between requests.
  const visible = groups
    .filter((g) => g.n > 0 && !hidden.has(g.key))
    .sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  for (const g of visible) {
    if (hiddenN >= k) break;
    hidden.add(g.key);
    hiddenN += g.n;
  }
  return hidden;
}

/**
 * A filter (a subset F of population P) may be shown only if both F and its complement P∖F hold at
 * least `k` responses; otherwise P − F would reveal the complement (Culture Amp's remainder rule).
 */
export function filterAllowed(filteredN: number, totalN: number, k: number): boolean {
  return filteredN >= k && totalN - filteredN >= k;
}
