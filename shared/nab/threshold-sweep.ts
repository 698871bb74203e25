import type { NabProfile } from './nab-profiles.js';
import { IN_PROBATION, OUTSIDE_WINDOWS } from './row-weights.js';
import type { ScoredRows } from './scored-rows.js';

/** The threshold NAB reports when the best choice is to detect nothing; anomaly scores lie in [0, 1]. */
export const NO_DETECTION_THRESHOLD = 1.1;

/** A corpus score at one threshold: every scored row whose anomaly score is ≥ `threshold` is a detection. */
export interface ThresholdScore {
  threshold: number;
  score: number;
}

/**
 * The corpus score at every useful threshold, from "detect nothing" down through each distinct anomaly
 * score, in one pass over the rows sorted by score: a window counts its best detection (or −fn), every
 * detection outside windows adds its (negative) weight.
 */
export function sweepThresholds(files: readonly ScoredRows[], profile: Pick<NabProfile, 'fnWeight'>): ThresholdScore[] {
  const scores: number[] = [];
  const weights: number[] = [];
  const windows: number[] = [];
  let windowCount = 0;
  let total = 0;
  for (const file of files) {
    for (let i = 0; i < file.scores.length; i++) {
      const window = file.window[i] as number;
      if (window === IN_PROBATION) continue;
      scores.push(file.scores[i] as number);
      weights.push(file.weight[i] as number);
      windows.push(window === OUTSIDE_WINDOWS ? OUTSIDE_WINDOWS : windowCount + window);
    }
    windowCount += file.windowCount;
    total -= profile.fnWeight * file.scoredWindows.length;
  }

  const best = new Float64Array(windowCount).fill(-profile.fnWeight);
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const result: ThresholdScore[] = [{ threshold: NO_DETECTION_THRESHOLD, score: total }];
  for (let k = 0; k < order.length; k++) {
    const row = order[k] as number;
    const window = windows[row] as number;
    const weight = weights[row] as number;
    if (window === OUTSIDE_WINDOWS) {
      total += weight;
    } else if (weight > (best[window] as number)) {
      total += weight - (best[window] as number);
      best[window] = weight;
    }
    const threshold = scores[row] as number;
    const nextRow = order[k + 1];
    if (nextRow === undefined || scores[nextRow] !== threshold) result.push({ threshold, score: total });
  }
  return result;
}

/** The best threshold of a sweep; on a tie the higher threshold wins, as in NAB. */
export function bestThreshold(sweep: readonly ThresholdScore[]): ThresholdScore {
  return sweep.reduce((best, candidate) => (candidate.score > best.score ? candidate : best));
}
