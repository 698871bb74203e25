/**
 * A decision tree as parallel arrays (node 0 is the root), the layout both the ONNX-ML TreeEnsemble
 * exporter and the in-process scorer read. An inner node sends a row `left` when
 * `x[feature] <= threshold` (compared as float32, as onnxruntime's BRANCH_LEQ does), otherwise — also for
 * NaN — `right`. A leaf has `left[i] === -1` and adds `value[i]` to the row's score.
 */
export interface DecisionTree {
  readonly feature: ArrayLike<number>;
  /** float32-representable split values. */
  readonly threshold: ArrayLike<number>;
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  /** float32-representable leaf values (ignored on inner nodes). */
  readonly value: ArrayLike<number>;
}

/** The leaf a row lands in. `features` is row-major; `offset` is the row's first value. */
export function findLeaf(tree: DecisionTree, features: ArrayLike<number>, offset: number): number {
  let node = 0;
  let left = tree.left[0] as number;
  while (left >= 0) {
    // `!(x > t)` would send NaN left; onnxruntime sends NaN right (x <= t is false), and so do we.
    node = (features[offset + (tree.feature[node] as number)] as number) <= (tree.threshold[node] as number) ? left : (tree.right[node] as number);
    left = tree.left[node] as number;
  }
  return node;
}

/**
 * The summed score of a row the way onnxruntime's TreeEnsemble computes it with float attributes: leaf
 * values accumulated in float32, tree by tree in order from 0, then `baseScore` added, in float32.
 */
export function treeEnsembleScore(trees: readonly DecisionTree[], baseScore: number, features: ArrayLike<number>, offset: number): number {
  let sum = 0;
  for (const tree of trees) sum = Math.fround(sum + (tree.value[findLeaf(tree, features, offset)] as number));
  return Math.fround(sum + baseScore);
}

/** Logistic function rounded to float32, as the exported graph's final `Sigmoid` yields it. */
export function sigmoid32(x: number): number {
  return Math.fround(1 / (1 + Math.exp(-x)));
}
