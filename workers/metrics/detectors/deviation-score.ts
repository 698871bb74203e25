import { RollingMoments, type RollingMomentsSnapshot } from './rolling-moments.js';

/**
 * How far a value lies from the mean of the last `window` values, in their standard deviations,
 * log-compressed (`log1p(z)`) because the z-scores of spiky series are heavy-tailed. O(1) per row.
 */
export class DeviationScore {
  private readonly moments: RollingMoments;

  constructor(window: number, snapshot?: RollingMomentsSnapshot) {
    this.moments = snapshot ? RollingMoments.restore(snapshot) : new RollingMoments(window);
  }

  update(value: number): number {
    const m = this.moments;
    // The spread is kept off zero so a flat line's first change is huge rather than infinite.
    const z = m.count < 2 ? 0 : Math.abs(value - m.mean) / Math.max(m.std, 1e-6 * Math.max(1, Math.abs(m.mean)));
    m.push(value);
    return Math.log1p(z);
  }

  snapshot(): RollingMomentsSnapshot {
    return this.moments.snapshot();
  }
}
