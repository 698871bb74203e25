import { modelFigures } from '../../shared/evaluation/model-figures.js';

/** How a model scores on its time-ordered holdout (stored with the model, shown by `hush models`). */
export interface HoldoutMetrics {
  rows: number;
  actionable: number;
  /** Area under the ROC curve (ties count half). */
  auc: number;
  /** Mean binary cross-entropy, probabilities clipped to [1e-7, 1 − 1e-7]. */
  logLoss: number;
  /** Threshold the two figures below are measured at (notify when score ≥ threshold). */
  threshold: number;
  /** Suppressed / all (DESIGN §4). */
  noiseReduction: number;
  /** Actionable suppressed / actionable; null without actionable rows. */
  fnr: number | null;
}

/** Holdout metrics of `scores` against `labels` (1 = actionable) at `threshold`. */
export function holdoutMetrics(scores: Float32Array, labels: Uint8Array, threshold: number): HoldoutMetrics {
  const figures = modelFigures(scores, labels, threshold);
  let logLoss = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const p = Math.min(Math.max(scores[i] as number, 1e-7), 1 - 1e-7);
    logLoss -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return {
    rows: figures.alerts,
    actionable: figures.actionable,
    auc: rocAuc(scores, labels),
    logLoss: labels.length > 0 ? logLoss / labels.length : 0,
    threshold,
    noiseReduction: figures.noiseReduction,
    fnr: figures.fnr,
  };
}

/** Mann–Whitney AUC with average ranks for ties; 0.5 when one class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j += 1;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (labels[order[k] as number] === 1) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
