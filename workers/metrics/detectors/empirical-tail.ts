/** The JSON state of an `EmpiricalTail`. */
export interface EmpiricalTailSnapshot {
  rows: number;
  /** The bins of the last `min(rows, historyRows)` scores, oldest first. */
  bins: number[];
}

/**
 * A conformal p-value: the share of the last `historyRows` scores (each in [0, 1], kept in `bins`
 * bins) that were at least as high as the current one, as a surprise in decimal digits. Makes no
 * assumption about the shape of the distribution, so heavy-tailed and light-tailed series are judged
 * alike; a record high among n scores is worth log10(2(n + 1)) digits (a tie counts half). A Fenwick tree over the bins makes
 * every update O(log bins).
 */
export class EmpiricalTail {
  private rows: number;
  private readonly ring: Int32Array;
  private readonly tree: Float64Array;

  constructor(private readonly historyRows: number, private readonly bins: number, snapshot?: EmpiricalTailSnapshot) {
    this.ring = new Int32Array(historyRows);
    this.tree = new Float64Array(bins + 1);
    this.rows = 0;
    if (snapshot) {
      const first = snapshot.rows - snapshot.bins.length;
      snapshot.bins.forEach((bin, i) => {
        this.ring[(first + i) % historyRows] = bin;
        this.add(bin, 1);
      });
      this.rows = snapshot.rows;
    }
  }

  get count(): number {
    return Math.min(this.rows, this.historyRows);
  }

  /** The surprise of `score` (clamped to [0, 1]) against the stored history, then `score` joins the history. */
  update(score: number): number {
    const bin = Math.min(this.bins - 1, Math.max(0, Math.floor(score * this.bins)));
    const n = this.count;
    let surprise = 0;
    if (n > 0) {
      const below = this.prefix(bin);
      const same = this.prefix(bin + 1) - below;
      surprise = -Math.log10((n - below - 0.5 * same + 0.5) / (n + 1));
    }
    this.insert(bin);
    return Math.max(0, surprise);
  }

  snapshot(): EmpiricalTailSnapshot {
    const bins: number[] = [];
    for (let row = this.rows - this.count; row < this.rows; row++) bins.push(this.ring[row % this.historyRows] as number);
    return { rows: this.rows, bins };
  }

  private insert(bin: number): void {
    const slot = this.rows % this.historyRows;
    if (this.rows >= this.historyRows) this.add(this.ring[slot] as number, -1);
    this.ring[slot] = bin;
    this.add(bin, 1);
    this.rows++;
  }

  private add(bin: number, by: number): void {
    for (let i = bin + 1; i <= this.bins; i += i & -i) this.tree[i] = (this.tree[i] as number) + by;
  }

  /** How many stored scores fall in bins below `bin`. */
  private prefix(bin: number): number {
    let sum = 0;
    for (let i = bin; i > 0; i -= i & -i) sum += this.tree[i] as number;
    return sum;
  }
}
