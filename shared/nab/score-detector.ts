import { HushError } from '../errors/index.js';
import { scoreFileAtThreshold, type FileScore } from './file-score.js';
import type { NabProfile } from './nab-profiles.js';
import type { NabWindow } from './nab-windows.js';
import { normaliseNabScore } from './normalise.js';
import { nabRowWeights } from './row-weights.js';
import type { ScoredRows } from './scored-rows.js';
import { bestThreshold, sweepThresholds } from './threshold-sweep.js';

/** A detector's anomaly scores for one data file, beside that file's windows. */
export interface NabFileResult {
  path: string;
  windows: readonly NabWindow[];
  /** One score in [0, 1] per row of the data file. */
  scores: ArrayLike<number>;
}

/** How a detector scores under one profile, at the corpus-wide threshold that suits it best. */
export interface NabProfileScore extends Omit<FileScore, 'score'> {
  profile: string;
  threshold: number;
  /** The raw corpus score: the sum of the file scores. */
  score: number;
  /** The raw score of NAB's null detector (a constant score), the 0 of the scale. */
  nullScore: number;
  /** Every window detected at its left edge, nothing else: the 100 of the scale. */
  perfectScore: number;
  /** `100·(score − nullScore)/(perfectScore − nullScore)`, the number NAB publishes. */
  normalised: number;
  files: { path: string; score: number }[];
}

/**
 * Scores a detector as NAB's `--optimize --score --normalize` does: per profile, one threshold for the
 * whole corpus chosen to maximise the corpus score, then the file scores at that threshold, normalised
 * against the null detector and a perfect one.
 */
export function scoreNabDetector(results: readonly NabFileResult[], profiles: readonly NabProfile[]): NabProfileScore[] {
  const windowCount = results.reduce((sum, file) => sum + file.windows.length, 0);
  if (windowCount === 0) throw new HushError('HUSH_ERR_VALIDATION', 'the corpus has no labelled windows, so no NAB score can be normalised');
  return profiles.map((profile) => {
    const rows = results.map((file): ScoredRows => ({ ...nabRowWeights(file.scores.length, file.windows, profile), scores: file.scores }));
    const { threshold } = bestThreshold(sweepThresholds(rows, profile));
    const files = rows.map((file) => scoreFileAtThreshold(file, threshold, profile.fnWeight));
    const constant = rows.map((file) => ({ ...file, scores: new Float64Array(file.scores.length).fill(0.5) }));
    const nullScore = bestThreshold(sweepThresholds(constant, profile)).score;
    const perfectScore = windowCount * profile.tpWeight;
    const score = files.reduce((sum, file) => sum + file.score, 0);
    return {
      profile: profile.name,
      threshold,
      score,
      nullScore,
      perfectScore,
      normalised: normaliseNabScore(score, nullScore, perfectScore),
      windowsDetected: files.reduce((sum, file) => sum + file.windowsDetected, 0),
      windowsMissed: files.reduce((sum, file) => sum + file.windowsMissed, 0),
      falsePositives: files.reduce((sum, file) => sum + file.falsePositives, 0),
      files: files.map((file, i) => ({ path: (results[i] as NabFileResult).path, score: file.score })),
    };
  });
}
