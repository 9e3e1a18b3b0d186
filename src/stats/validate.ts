/** Input checks shared by the statistics: every one of them turns a bad input into `null`. */

/** True when every value is a finite number (no NaN, no ±Infinity). */
export function allFinite(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

/** True when all values are identical (zero variance, exactly, without rounding noise). */
export function isConstant(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** Two finite series of the same length, at least `minLength` long. */
export function validPairs(x: readonly number[], y: readonly number[], minLength: number): boolean {
  return x.length === y.length && x.length >= minLength && allFinite(x) && allFinite(y);
}

/** A correlation coefficient: finite and inside [−1, 1]. */
export function isCorrelation(r: number): boolean {
  return Number.isFinite(r) && r >= -1 && r <= 1;
}

/** A count: a non-negative safe integer. */
export function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Clamps rounding overshoot (1.0000000000000002) back into [−1, 1]. */
export function clampUnit(r: number): number {
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** A confidence level in (0, 1); `undefined` stands for the default 0.95. */
export function isLevel(level: number | undefined): boolean {
  return level === undefined || (level > 0 && level < 1);
}
