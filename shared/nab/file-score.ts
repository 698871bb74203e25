import { IN_PROBATION, OUTSIDE_WINDOWS } from './row-weights.js';
import type { ScoredRows } from './scored-rows.js';

/** One file's NAB score at a fixed threshold, with the counts behind it. */
export interface FileScore {
  score: number;
  /** Scored windows with at least one detection. */
  windowsDetected: number;
  /** Scored windows without any detection: each costs `fnWeight`. */
  windowsMissed: number;
  /** Detections outside every window. */
  falsePositives: number;
}

/** Scores one file with every scored row whose anomaly score is ≥ `threshold` counted as a detection. */
export function scoreFileAtThreshold(rows: ScoredRows, threshold: number, fnWeight: number): FileScore {
  const best = new Map<number, number>();
  let falsePositiveWeight = 0;
  let falsePositives = 0;
  for (let i = 0; i < rows.scores.length; i++) {
    const window = rows.window[i] as number;
    if (window === IN_PROBATION || (rows.scores[i] as number) < threshold) continue;
    const weight = rows.weight[i] as number;
    if (window === OUTSIDE_WINDOWS) {
      falsePositiveWeight += weight;
      falsePositives++;
    } else {
      best.set(window, Math.max(best.get(window) ?? -Infinity, weight));
    }
  }
  let windowScore = 0;
  for (const window of rows.scoredWindows) windowScore += best.get(window) ?? -fnWeight;
  const windowsDetected = best.size;
  return { score: falsePositiveWeight + windowScore, windowsDetected, windowsMissed: rows.scoredWindows.length - windowsDetected, falsePositives };
}
