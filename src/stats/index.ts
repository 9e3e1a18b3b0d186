/**
 * Pure statistics for Specchio's reports: no Nest, no database, no I/O. Every undefined case
 * (too few units, no variation, non-finite input, mismatched lengths) returns null — for the
 * whole result or for the one field that is undefined — never NaN, ±Infinity, 0 or an exception.
 */
export type { Alternative, Interval, TestOptions, ZTest } from './types.js';
export {
  clampP,
  fUpperTail,
  normalCdf,
  normalQuantile,
  pFromT,
  pFromZ,
  tQuantile,
  zCritical,
} from './distributions.js';
export {
  completeCases,
  completeRows,
  distribution,
  mean,
  standardDeviation,
  sum,
  variance,
  type CompleteCases,
  type CompleteRows,
  type Distribution,
} from './descriptive.js';
export {
  correlationT,
  correlationTestOf,
  fisherInterval,
  fisherSe,
  pearson,
  pearsonR,
  type CorrelationTest,
} from './correlation.js';
export {
  midRanks,
  spearman,
  SPEARMAN_EXACT_MAX_N,
  spearmanExactP,
  spearmanSDistribution,
  tieGroupSizes,
  type SpearmanOptions,
  type SpearmanResult,
} from './rank.js';
export {
  kendall,
  KENDALL_EXACT_MAX_N,
  type KendallOptions,
  type KendallResult,
} from './kendall.js';
export {
  linearRegression,
  standardizedTwoPredictor,
  type LinearRegression,
  type StandardizedCoefficient,
  type TwoPredictorCorrelations,
  type TwoPredictorRegression,
} from './regression.js';
export { kishEffectiveN, weightedPearson, type WeightedCorrelation } from './weighted.js';
export { partialCorrelation, partialR } from './partial.js';
export {
  compareIndependentCorrelations,
  compareNonOverlappingCorrelations,
  compareOverlappingCorrelations,
  type IndependentCorrelations,
  type NonOverlappingCorrelations,
  type NonOverlappingMethod,
  type OverlappingCorrelations,
} from './compare.js';
export {
  crossLaggedPanel,
  type CrossLaggedPanel,
  type CrossLaggedPanelInput,
  type CrossLaggedRegression,
} from './panel.js';
export {
  benjaminiHochberg,
  benjaminiYekutieli,
  bonferroni,
  countRejections,
} from './multiple-testing.js';
export { npsFromCounts, npsFromScores, type NpsCounts, type NpsResult } from './nps.js';
export { proportion, topBoxShare, wilsonInterval, type Proportion } from './proportion.js';
export { cronbachAlpha, rwg, rwgJ, type CronbachAlpha } from './reliability.js';
export { iccOneWay, iccTwoWay, type OneWayIcc, type TwoWayIcc } from './icc.js';
export {
  bcaInterval,
  bootstrapPearson,
  jackknifeAcceleration,
  mulberry32,
  percentileInterval,
  quantileSorted,
  type BcaInterval,
  type BootstrapCorrelation,
  type BootstrapOptions,
} from './bootstrap.js';
export {
  includesZero,
  momentsFromCounts,
  newcombeDifference,
  npsDifference,
  welchDifference,
  type MeanDifference,
  type ProportionDifference,
  type SampleMoments,
  type ScoreDifference,
} from './change.js';
