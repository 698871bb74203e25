/** The JSON state of a `RangeNovelty`. */
export interface RangeNoveltySnapshot {
  rows: number;
  min: number;
  max: number;
}

/**
 * How far a value lies outside everything seen before, as a fraction of that range (0 inside it): the
 * "spatial anomaly" of NAB's HTM detector, which catches a first-ever level whatever the sequence
 * models make of it. The first change after a flat start is `Number.MAX_VALUE` away. O(1) per row.
 */
export class RangeNovelty {
  private rows: number;
  private min: number;
  private max: number;

  constructor(snapshot?: RangeNoveltySnapshot) {
    this.rows = snapshot?.rows ?? 0;
    this.min = snapshot?.min ?? 0;
    this.max = snapshot?.max ?? 0;
  }

  update(value: number): number {
    if (this.rows++ === 0) {
      this.min = value;
      this.max = value;
      return 0;
    }
    const span = this.max - this.min;
    const outside = Math.max(0, value - this.max, this.min - value);
    if (value > this.max) this.max = value;
    if (value < this.min) this.min = value;
    if (outside === 0) return 0;
    return span > 0 ? outside / span : Number.MAX_VALUE;
  }

  snapshot(): RangeNoveltySnapshot {
    return { rows: this.rows, min: this.min, max: this.max };
  }
}
