/** A closed interval, e.g. a confidence interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Direction of the alternative hypothesis. `greater` means a positive association (or a larger
 * first value), `less` a negative one.
 */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A z statistic with its p-value (normal reference distribution). */
export interface ZTest {
  z: number;
  /** In (0, 1]: a p that underflows is reported as `Number.MIN_VALUE`. */
  p: number;
}

/** Options shared by the tests that report a p-value and a confidence interval. */
export interface TestOptions {
  /** Default `two-sided`. */
  alternative?: Alternative;
  /** Confidence level of the interval, in (0, 1); default 0.95. */
  level?: number;
}
