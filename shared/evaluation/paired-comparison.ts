import { mcnemarExact, type McNemarResult } from './mcnemar.js';
import { assertScored, figuresFromCounts, isSuppressed, thresholdAt, type ModelFigures, type Thresholds } from './model-figures.js';
import { assertLabels, assertOpenUnit, type Numbers } from './validate.js';

/** Champion and challenger scored on the same labelled alerts, row by row. */
export interface PairedComparisonInput {
  /** 1 = actionable, 0 = noise, per alert. */
  labels: Numbers;
  championScores: Numbers;
  challengerScores: Numbers;
  /** The champion's threshold: one number, or one per alert (per-service thresholds). */
  championThreshold: Thresholds;
  /** The challenger's threshold, likewise (typically what the optimiser would set for it). */
  challengerThreshold: Thresholds;
}

/** Options of {@link comparePaired}. */
export interface PairedComparisonOptions {
  /**
   * Confidence level of the bounds in the figures (FNR upper bound, noise-reduction interval).
   * @defaultValue 0.95
   */
  confidence?: number;
}

/** The result of {@link comparePaired}: each model's figures and the two paired tests. */
export interface PairedComparison {
  alerts: number;
  actionable: number;
  noise: number;
  confidence: number;
  champion: ModelFigures;
  challenger: ModelFigures;
  /** McNemar on actionable alerts, property "suppressed" (a miss): the FNR comparison. */
  actionableSuppressed: McNemarResult;
  /** McNemar on noise alerts, property "suppressed": the noise-reduction comparison. */
  noiseSuppressed: McNemarResult;
}

const DEFAULT_OPTIONS = { confidence: 0.95 } as const satisfies Required<PairedComparisonOptions>;

/**
 * Compares champion and challenger on the SAME labelled alerts.
 *
 * Why a paired test and not two independent proportions: both models score the same alerts, so their
 * errors are strongly correlated (an alert that looks like noise to one looks like noise to the other).
 * A two-proportion test treats the models' misses as independent samples and charges the comparison
 * with the variance of all those shared decisions, which cancel in the difference; it is far too
 * conservative, and its independence assumption is simply false. Only the discordant alerts (one model
 * suppresses, the other notifies) say anything about which model is better, and McNemar's test uses
 * exactly those, exactly.
 */
export function comparePaired(input: PairedComparisonInput, options: PairedComparisonOptions = {}): PairedComparison {
  const { confidence } = { ...DEFAULT_OPTIONS, ...options };
  const { labels, championScores, challengerScores, championThreshold, challengerThreshold } = input;
  assertOpenUnit('confidence', confidence);
  assertLabels('labels', labels);
  assertScored('champion', championScores, championThreshold, labels);
  assertScored('challenger', challengerScores, challengerThreshold, labels);

  // [actionable, noise] × [champion-only suppressed, challenger-only suppressed, both suppressed]
  const championOnly = [0, 0];
  const challengerOnly = [0, 0];
  const both = [0, 0];
  const total = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    const cls = labels[i] === 1 ? 0 : 1;
    const champion = isSuppressed(championScores[i] as number, thresholdAt(championThreshold, i));
    const challenger = isSuppressed(challengerScores[i] as number, thresholdAt(challengerThreshold, i));
    total[cls]!++;
    if (champion && challenger) both[cls]!++;
    else if (champion) championOnly[cls]!++;
    else if (challenger) challengerOnly[cls]!++;
  }
  const [actionable, noise] = total as [number, number];
  const figures = (only: number[]): ModelFigures => {
    const missed = only[0]! + both[0]!;
    return figuresFromCounts({ alerts: labels.length, suppressed: missed + only[1]! + both[1]!, actionable, missed }, confidence);
  };
  return {
    alerts: labels.length,
    actionable,
    noise,
    confidence,
    champion: figures(championOnly),
    challenger: figures(challengerOnly),
    actionableSuppressed: mcnemarExact(championOnly[0]!, challengerOnly[0]!),
    noiseSuppressed: mcnemarExact(championOnly[1]!, challengerOnly[1]!),
  };
}
