/** Options of `GaussianTailDetector`. */
export interface GaussianTailOptions {
  /**
   * Rows of history whose mean and standard deviation judge a new value.
   * @defaultValue 1000
   */
  valueWindow?: number;
  /**
   * Rows over which the deviations are averaged before judging them, so a lasting shift outscores one spike.
   * @defaultValue 5
   */
  averagingWindow?: number;
  /**
   * Rows of averaged deviations whose own distribution says how unusual the current average is (NAB's
   * anomaly-likelihood history: 30 days of 5-minute rows).
   * @defaultValue 8640
   */
  likelihoodWindow?: number;
  /**
   * Rows seen before any score above 0: the distributions need some history first.
   * @defaultValue 100
   */
  warmupRows?: number;
}
