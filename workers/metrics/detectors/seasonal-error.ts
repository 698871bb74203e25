const DAY_MS = 86_400_000;

/** The JSON state of a `SeasonalError`. */
export interface SeasonalErrorSnapshot {
  rows: number;
  level: number;
  scale: number;
  /** Per time-of-day slot, its offset from the level; `null` for a slot not yet seen. */
  offsets: (number | null)[];
}

/**
 * Prediction error of an additive daily-seasonal baseline (Holt-Winters without trend, the season
 * keyed by the clock rather than a row count, so irregular sampling does not shift it): the value is
 * predicted as level + the offset of its time-of-day slot, and the absolute error is returned over
 * the running mean absolute error. A value normal for the day but wrong for the hour shows here and
 * nowhere else. O(1) per row.
 */
export class SeasonalError {
  private rows: number;
  private level: number;
  private scale: number;
  private readonly offsets: Float64Array;

  constructor(private readonly slots: number, private readonly levelRate: number, private readonly seasonRate: number, private readonly scaleRate: number, snapshot?: SeasonalErrorSnapshot) {
    this.offsets = new Float64Array(slots).fill(Number.NaN);
    this.rows = snapshot?.rows ?? 0;
    this.level = snapshot?.level ?? 0;
    this.scale = snapshot?.scale ?? 0;
    snapshot?.offsets.forEach((offset, i) => { this.offsets[i] = offset ?? Number.NaN; });
  }

  update(timestampMs: number, value: number): number {
    const slot = Math.floor((((timestampMs % DAY_MS) + DAY_MS) % DAY_MS) / (DAY_MS / this.slots));
    if (this.rows++ === 0) this.level = value;
    const known = this.offsets[slot] as number;
    const offset = Number.isNaN(known) ? 0 : known;
    const error = Math.abs(value - this.level - offset);
    const ratio = Number.isNaN(known) ? 0 : error / (this.scale + 1e-9 * (1 + Math.abs(this.level)));
    if (!Number.isNaN(known)) this.scale += Math.max(this.scaleRate, 1 / this.rows) * (Math.min(error, 6 * this.scale || error) - this.scale);
    this.level += this.levelRate * (value - offset - this.level);
    this.offsets[slot] = Number.isNaN(known) ? value - this.level : offset + this.seasonRate * (value - this.level - offset);
    return ratio;
  }

  snapshot(): SeasonalErrorSnapshot {
    return { rows: this.rows, level: this.level, scale: this.scale, offsets: Array.from(this.offsets, (o) => (Number.isNaN(o) ? null : o)) };
  }
}
