/**
 * Options of `HushEnsembleDetector`. One set of defaults for every series (NAB's rule); docs/nab.md
 * explains each choice and how the defaults were picked. Surprises are in decimal digits (`−log10 P`).
 */
export interface HushEnsembleOptions {
  /**
   * Rows seen before any score above 0 (NAB's shortest probation is 15% of a 1,000-row file).
   * @defaultValue 150
   */
  learningRows?: number;
  /**
   * Rows over which each raw score is averaged before its likelihood is judged (NAB's anomaly likelihood).
   * @defaultValue 10
   */
  averagingWindow?: number;
  /**
   * Rows of averaged raw scores whose distribution is the reference (NAB: 30 days of 5-minute rows).
   * @defaultValue 8640
   */
  historyWindow?: number;
  /**
   * Floor of the reference standard deviation of an averaged raw score in [0, 1].
   * @defaultValue 0.02
   */
  minStd?: number;
  /**
   * Most digits the normal fit may claim beyond the empirical tail of the same history.
   * @defaultValue 1
   */
  tailCap?: number;
  /**
   * Values whose mean and standard deviation judge a new value (the deviation component).
   * @defaultValue 500
   */
  deviationWindow?: number;
  /**
   * Time-of-day slots of the daily-seasonal baseline (96: a quarter of an hour each).
   * @defaultValue 96
   */
  seasonSlots?: number;
  /**
   * Share of each error taken into the seasonal baseline's level.
   * @defaultValue 0.05
   */
  seasonLevelRate?: number;
  /**
   * Share of each error taken into the offset of the slot visited.
   * @defaultValue 0.2
   */
  seasonRate?: number;
  /**
   * Share of each absolute error taken into the seasonal baseline's error scale.
   * @defaultValue 0.02
   */
  seasonScaleRate?: number;
  /**
   * Error/scale ratio that maps to a raw seasonal score of 0.5 (`r/(r + this)`).
   * @defaultValue 3
   */
  seasonHalfRatio?: number;
  /**
   * Rows of history the context memory counts in.
   * @defaultValue 2000
   */
  contextRows?: number;
  /**
   * Grid steps across the 1st–99th percentile of that history.
   * @defaultValue 20
   */
  contextBins?: number;
  /**
   * Values per context: the current bin and the `contextDepth − 1` before it.
   * @defaultValue 3
   */
  contextDepth?: number;
  /**
   * A value this share of the seen range beyond it is a range novelty.
   * @defaultValue 0.01
   */
  rangeTolerance?: number;
  /**
   * Digits of surprise per decimal digit of rows seen, for a range novelty (a record among n rows has
   * probability 1/n).
   * @defaultValue 2
   */
  rangeDigitsPerDecade?: number;
  /**
   * Time-of-day slots of the recurrence memory (48: half an hour each; the two neighbours count too).
   * @defaultValue 48
   */
  recurrenceSlots?: number;
  /**
   * How much a day-old peak at the same time of day fades per day.
   * @defaultValue 0.9
   */
  recurrenceDecay?: number;
  /**
   * Share of the recalled peak taken off the current surprise.
   * @defaultValue 0.7
   */
  recurrenceWeight?: number;
  /**
   * Per-row fading of the running peak that a surprise must beat to be reported (the onset gate).
   * @defaultValue 0.995
   */
  holdDecay?: number;
  /**
   * A reported surprise of at least this many digits…
   * @defaultValue 3
   */
  refractoryLevel?: number;
  /**
   * …silences the detector for this many rows (one event, one alert).
   * @defaultValue 200
   */
  refractoryRows?: number;
}
