import { HushError } from '../../../shared/errors/index.js';
import type { StreamingDetector } from './detector.js';
import type { GaussianTailOptions } from './gaussian-tail-options.js';
import { normalSurprise } from './normal-surprise.js';
import { RollingMoments, type RollingMomentsSnapshot } from './rolling-moments.js';

const DEFAULTS: Required<GaussianTailOptions> = { valueWindow: 1000, averagingWindow: 5, likelihoodWindow: 8640, warmupRows: 100 };

/** The JSON state of a `GaussianTailDetector`, with the options it ran under. */
export interface GaussianTailSnapshot {
  kind: 'gaussian-tail';
  options: Required<GaussianTailOptions>;
  rows: number;
  values: RollingMomentsSnapshot;
  recentDeviations: RollingMomentsSnapshot;
  averages: RollingMomentsSnapshot;
}

/**
 * The baseline metric detector: a windowed Gaussian z-score of each value, log-compressed, averaged over
 * a few rows and turned into an anomaly likelihood by the tail of the averages' own recent distribution
 * (the scheme of NAB's "anomaly likelihood", on z-scores instead of HTM prediction errors).
 */
export class GaussianTailDetector implements StreamingDetector {
  private readonly options: Required<GaussianTailOptions>;
  private values: RollingMoments;
  private recentDeviations: RollingMoments;
  private averages: RollingMoments;
  private rows = 0;

  /** Continues from a `snapshot()` (after a JSON round trip). */
  static restore(snapshot: unknown): GaussianTailDetector {
    const state = requireSnapshot(snapshot);
    const detector = new GaussianTailDetector(state.options);
    detector.rows = state.rows;
    detector.values = RollingMoments.restore(state.values);
    detector.recentDeviations = RollingMoments.restore(state.recentDeviations);
    detector.averages = RollingMoments.restore(state.averages);
    return detector;
  }

  constructor(options: GaussianTailOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULTS, ...given };
    for (const [name, value] of Object.entries(this.options)) {
      if (!Number.isInteger(value) || value < 1) throw new HushError('HUSH_ERR_VALIDATION', `GaussianTailDetector option ${name} must be a positive integer, got ${value}`);
    }
    this.values = new RollingMoments(this.options.valueWindow);
    this.recentDeviations = new RollingMoments(this.options.averagingWindow);
    this.averages = new RollingMoments(this.options.likelihoodWindow);
  }

  update(_timestampMs: number, value: number): number {
    this.rows++;
    const z = this.values.count < 2 ? 0 : Math.abs(value - this.values.mean) / spread(this.values);
    // z-scores of spiky series are heavy-tailed; on a log scale a normal fit of their averages is not ruled by the few huge ones.
    const deviation = Math.log1p(z);
    this.values.push(value);
    this.recentDeviations.push(deviation);
    const average = this.recentDeviations.mean;
    const score = this.rows <= this.options.warmupRows || this.averages.count < 2
      ? 0
      : squash(normalSurprise((average - this.averages.mean) / spread(this.averages)));
    this.averages.push(average);
    return score;
  }

  snapshot(): GaussianTailSnapshot {
    return {
      kind: 'gaussian-tail', options: { ...this.options }, rows: this.rows,
      values: this.values.snapshot(), recentDeviations: this.recentDeviations.snapshot(), averages: this.averages.snapshot(),
    };
  }
}

function requireSnapshot(snapshot: unknown): GaussianTailSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null || (snapshot as { kind?: unknown }).kind !== 'gaussian-tail') {
    throw new HushError('HUSH_ERR_VALIDATION', 'not a gaussian-tail detector snapshot');
  }
  return snapshot as GaussianTailSnapshot;
}

/** The standard deviation, kept off zero so a flat line's first change is huge rather than infinite. */
function spread(moments: RollingMoments): number {
  return Math.max(moments.std, 1e-6 * Math.max(1, Math.abs(moments.mean)));
}

/** Maps a surprise in [0, ∞) decimal digits monotonically onto [0, 1), keeping the order of large ones. */
function squash(surprise: number): number {
  const positive = Math.max(surprise, 0);
  return positive / (1 + positive);
}
