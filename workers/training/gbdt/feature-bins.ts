/**
 * Quantile bins of every feature. Feature `f` has `edges[f].length + 1` value bins — bin `b` holds the
 * values `x <= edges[f][b]` above the previous edge — and one more bin for NaN. Edges are float32 values,
 * so `bin(x) <= b` exactly when `x <= edges[f][b]` in float32: a split on bins is a split on thresholds
 * that onnxruntime evaluates the same way.
 */
export class FeatureBins {
  /** First histogram slot of each feature; a feature takes `edges.length + 2` slots. */
  readonly offsets: Int32Array;
  /** Histogram slots over all features. */
  readonly totalSlots: number;

  constructor(readonly edges: readonly Float32Array[]) {
    this.offsets = new Int32Array(edges.length);
    let slot = 0;
    edges.forEach((featureEdges, f) => {
      this.offsets[f] = slot;
      slot += featureEdges.length + 2;
    });
    this.totalSlots = slot;
  }

  get nFeatures(): number {
    return this.edges.length;
  }

  /** The NaN bin of feature `f` (one past its last value bin); no split ever sends it left. */
  nanBin(f: number): number {
    return (this.edges[f] as Float32Array).length + 1;
  }

  /** The bin of value `x` of feature `f`: the first edge `x` does not exceed. */
  binOf(f: number, x: number): number {
    const featureEdges = this.edges[f] as Float32Array;
    if (Number.isNaN(x)) return featureEdges.length + 1;
    let lo = 0;
    let hi = featureEdges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= (featureEdges[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Bins of a row-major matrix, row-major too: one byte per value. */
  binRows(features: Float32Array, nRows: number): Uint8Array {
    const nFeatures = this.nFeatures;
    const bins = new Uint8Array(nRows * nFeatures);
    for (let r = 0; r < nRows; r += 1) {
      const base = r * nFeatures;
      for (let f = 0; f < nFeatures; f += 1) bins[base + f] = this.binOf(f, features[base + f] as number);
    }
    return bins;
  }

  /**
   * Fits edges on the given rows of a row-major matrix: every distinct value gets its own bin when a
   * feature has at most `maxBin` of them, otherwise cuts fall at quantiles (a value too frequent for one
   * bin keeps a bin to itself and the rest are shared evenly among the remaining rows).
   */
  static fit(features: Float32Array, nFeatures: number, rows: ArrayLike<number>, maxBin: number): FeatureBins {
    const column = new Float32Array(rows.length);
    const edges: Float32Array[] = [];
    for (let f = 0; f < nFeatures; f += 1) {
      let n = 0;
      for (let i = 0; i < rows.length; i += 1) {
        const x = features[(rows[i] as number) * nFeatures + f] as number;
        if (!Number.isNaN(x)) column[n++] = x;
      }
      edges.push(quantileEdges(column.subarray(0, n).sort(), maxBin));
    }
    return new FeatureBins(edges);
  }
}

/** Cut points of sorted values into at most `maxBin` bins, each strictly between two distinct values. */
function quantileEdges(sorted: Float32Array, maxBin: number): Float32Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const x of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === x) counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    else {
      distinct.push(x);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  let binsLeft = maxBin;
  let rowsLeft = sorted.length;
  let inBin = 0;
  for (let i = 0; i < distinct.length - 1 && binsLeft > 1; i += 1) {
    inBin += counts[i] as number;
    if (distinct.length <= maxBin || inBin >= rowsLeft / binsLeft) {
      cuts.push(midpoint(distinct[i] as number, distinct[i + 1] as number));
      rowsLeft -= inBin;
      binsLeft -= 1;
      inBin = 0;
    }
  }
  return Float32Array.from(cuts);
}

/** A float32 value in [a, b) as close to halfway as float32 allows; `x <= it` then splits a from b. */
function midpoint(a: number, b: number): number {
  const mid = Math.fround(a + (b - a) / 2);
  return mid >= b || Number.isNaN(mid) ? a : mid;
}
