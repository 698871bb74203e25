import type { DecisionTree } from '../../../shared/onnx/tree-ensemble.js';
import type { FeatureBins } from './feature-bins.js';
import {
  buildHistogram,
  findBestSplit,
  leafWeight,
  SLOT_WIDTH,
  subtractHistogram,
  type Derivatives,
  type SplitCandidate,
  type SplitRules,
} from './histogram.js';

/** How a tree may grow, from the hyper-parameters. */
export interface GrowRules extends SplitRules {
  readonly numLeaves: number;
  readonly maxDepth: number;
  readonly learningRate: number;
}

/** A grown tree; `splitBin` repeats each threshold as a bin index, for walking binned rows. */
export interface GrownTree extends DecisionTree {
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly splitBin: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float32Array;
}

interface Leaf {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly grad: number;
  readonly hess: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

/**
 * Grows one tree best-first (the leaf whose split gains most splits next, LightGBM's leaf-wise growth)
 * on histograms of binned features. Only the smaller child of a split is summed over its rows; the larger
 * one's histogram is the parent's minus the smaller's. Histogram buffers are pooled across trees.
 */
export class TreeGrower {
  private readonly pool: Float64Array[] = [];
  private scratch = new Uint32Array(0);

  constructor(
    private readonly bins: FeatureBins,
    /** Row-major bins of every row of the training set. */
    private readonly binned: Uint8Array,
    private readonly rules: GrowRules,
  ) {}

  /** Grows a tree on `rows[0..count)` (reordered in place) using only `usedFeatures`. */
  grow(rows: Uint32Array, count: number, derivatives: Derivatives, usedFeatures: Int32Array): GrownTree {
    if (this.scratch.length < count) this.scratch = new Uint32Array(count);
    const nodes = { feature: [0], threshold: [0], splitBin: [0], left: [-1], right: [-1] };
    let grad = 0;
    let hess = 0;
    for (let i = 0; i < count; i += 1) {
      grad += derivatives.grad[rows[i] as number] as number;
      hess += derivatives.hess[rows[i] as number] as number;
    }
    const root: Leaf = { node: 0, start: 0, end: count, depth: 0, grad, hess, hist: null, split: null };
    if (this.canSplit(root)) {
      root.hist = this.acquire();
      buildHistogram(root.hist, this.binned, this.bins, usedFeatures, { rows, start: 0, end: count }, derivatives);
      this.chooseSplit(root, usedFeatures);
    }
    const leaves: Leaf[] = [root];

    while (leaves.length < this.rules.numLeaves) {
      let bestIndex = -1;
      leaves.forEach((leaf, i) => {
        if (leaf.split !== null && (bestIndex < 0 || leaf.split.gain > (leaves[bestIndex]?.split?.gain ?? 0))) bestIndex = i;
      });
      const parent = leaves[bestIndex];
      if (parent === undefined || parent.split === null) break;
      const split = parent.split;

      const mid = this.partition(rows, parent, split);
      const leftNode = nodes.left.length;
      const rightNode = leftNode + 1;
      nodes.feature[parent.node] = split.feature;
      nodes.threshold[parent.node] = (this.bins.edges[split.feature] as Float32Array)[split.bin] as number;
      nodes.splitBin[parent.node] = split.bin;
      nodes.left[parent.node] = leftNode;
      nodes.right[parent.node] = rightNode;
      for (let k = 0; k < 2; k += 1) {
        nodes.feature.push(0);
        nodes.threshold.push(0);
        nodes.splitBin.push(0);
        nodes.left.push(-1);
        nodes.right.push(-1);
      }

      const depth = parent.depth + 1;
      const left: Leaf = { node: leftNode, start: parent.start, end: mid, depth, grad: split.leftGrad, hess: split.leftHess, hist: null, split: null };
      const right: Leaf = {
        node: rightNode,
        start: mid,
        end: parent.end,
        depth,
        grad: parent.grad - split.leftGrad,
        hess: parent.hess - split.leftHess,
        hist: null,
        split: null,
      };
      this.childHistograms(parent, left, right, rows, derivatives, usedFeatures);
      this.chooseSplit(left, usedFeatures);
      this.chooseSplit(right, usedFeatures);
      leaves.splice(bestIndex, 1, left, right);
    }

    const value = new Float32Array(nodes.left.length);
    for (const leaf of leaves) {
      value[leaf.node] = Math.fround(this.rules.learningRate * leafWeight(leaf.grad, leaf.hess, this.rules.lambda));
      if (leaf.hist !== null) this.release(leaf.hist);
    }
    return {
      feature: Int32Array.from(nodes.feature),
      threshold: Float32Array.from(nodes.threshold),
      splitBin: Int32Array.from(nodes.splitBin),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      value,
    };
  }

  private canSplit(leaf: Leaf): boolean {
    return leaf.depth < this.rules.maxDepth && leaf.end - leaf.start >= 2 * this.rules.minChildSamples;
  }

  /** Sets `leaf.split`, and frees the leaf's histogram when it will never split. */
  private chooseSplit(leaf: Leaf, usedFeatures: Int32Array): void {
    if (leaf.hist === null) return;
    leaf.split = findBestSplit(leaf.hist, this.bins, usedFeatures, { grad: leaf.grad, hess: leaf.hess, count: leaf.end - leaf.start }, this.rules);
    if (leaf.split === null) {
      this.release(leaf.hist);
      leaf.hist = null;
    }
  }

  /** Gives each child that may split its histogram: the smaller summed, the larger by subtraction. */
  private childHistograms(parent: Leaf, left: Leaf, right: Leaf, rows: Uint32Array, derivatives: Derivatives, usedFeatures: Int32Array): void {
    const parentHist = parent.hist as Float64Array;
    parent.hist = null;
    const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
    const smallSplits = this.canSplit(small);
    const largeSplits = this.canSplit(large);
    if (!smallSplits && !largeSplits) {
      this.release(parentHist);
      return;
    }
    const smallHist = this.acquire();
    buildHistogram(smallHist, this.binned, this.bins, usedFeatures, { rows, start: small.start, end: small.end }, derivatives);
    if (largeSplits) {
      subtractHistogram(parentHist, smallHist);
      large.hist = parentHist;
    } else {
      this.release(parentHist);
    }
    if (smallSplits) small.hist = smallHist;
    else this.release(smallHist);
  }

  /** Stable partition of the leaf's rows: those going left first. Returns where the right ones start. */
  private partition(rows: Uint32Array, leaf: Leaf, split: SplitCandidate): number {
    const nFeatures = this.bins.nFeatures;
    const binned = this.binned;
    const scratch = this.scratch;
    let mid = leaf.start;
    let nRight = 0;
    for (let i = leaf.start; i < leaf.end; i += 1) {
      const row = rows[i] as number;
      if ((binned[row * nFeatures + split.feature] as number) <= split.bin) rows[mid++] = row;
      else scratch[nRight++] = row;
    }
    rows.set(scratch.subarray(0, nRight), mid);
    return mid;
  }

  private acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.bins.totalSlots * SLOT_WIDTH);
  }

  private release(hist: Float64Array): void {
    this.pool.push(hist);
  }
}

/** The leaf a binned row lands in (bins compare as the float thresholds do). */
export function findLeafBinned(tree: GrownTree, binned: Uint8Array, rowBase: number): number {
  let node = 0;
  let left = tree.left[0] as number;
  while (left >= 0) {
    node = (binned[rowBase + (tree.feature[node] as number)] as number) <= (tree.splitBin[node] as number) ? left : (tree.right[node] as number);
    left = tree.left[node] as number;
  }
  return node;
}
