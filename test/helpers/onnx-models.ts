import { ELEM_FLOAT, encodeModel, floatTensor, ONNX_OPSET, tensorInfo } from '../../shared/onnx/onnx-graph.js';
import { buildTreeEnsembleClassifierModel } from '../../shared/onnx/tree-ensemble-export.js';
import type { DecisionTree } from '../../shared/onnx/tree-ensemble.js';

/** A decision tree for {@link buildTreeEnsembleModel}: go `left` when `x[feature] <= threshold`. */
export type TreeNode =
  | { feature: number; threshold: number; left: TreeNode; right: TreeNode }
  | { leaf: number };

/**
 * Logistic regression as ONNX (Gemm + Sigmoid): input `features` float [N, F], output `probability`
 * float [N, 1] = sigmoid(x·weights + bias).
 */
export function buildLogisticModel(weights: readonly number[], bias: number): Uint8Array {
  const nFeatures = weights.length;
  return encodeModel(
    {
      name: 'logistic',
      node: [
        { opType: 'Gemm', input: ['features', 'W', 'B'], output: ['logit'], name: 'gemm' },
        { opType: 'Sigmoid', input: ['logit'], output: ['probability'], name: 'sigmoid' },
      ],
      initializer: [floatTensor('W', [nFeatures, 1], weights), floatTensor('B', [1], [bias])],
      input: [tensorInfo('features', ELEM_FLOAT, ['N', nFeatures])],
      output: [tensorInfo('probability', ELEM_FLOAT, ['N', 1])],
    },
    [ONNX_OPSET],
    'hush-test',
  );
}

/**
 * A binary ONNX-ML TreeEnsembleClassifier (opset ai.onnx.ml 3, post_transform LOGISTIC, no ZipMap):
 * input `features` float [N, F]; outputs `label` int64 [N] and `probabilities` float [N, 2]. Leaf values
 * are summed over trees (plus `baseScore`) and squashed: P(class 1) = sigmoid(sum).
 */
export function buildTreeEnsembleModel(trees: readonly TreeNode[], nFeatures: number, baseScore = 0): Uint8Array {
  return buildTreeEnsembleClassifierModel({ trees: trees.map(flatten), nFeatures, baseScore, producerName: 'hush-test' });
}

/** The parallel-array form of a nested tree, numbering nodes depth-first from the root. */
function flatten(root: TreeNode): DecisionTree {
  const tree = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
  const visit = (node: TreeNode): number => {
    const id = tree.left.length;
    const isLeaf = 'leaf' in node;
    tree.feature.push(isLeaf ? 0 : node.feature);
    tree.threshold.push(isLeaf ? 0 : node.threshold);
    tree.value.push(isLeaf ? node.leaf : 0);
    tree.left.push(-1);
    tree.right.push(-1);
    if (!isLeaf) {
      tree.left[id] = visit(node.left);
      tree.right[id] = visit(node.right);
    }
    return id;
  };
  visit(root);
  return tree;
}

/** What {@link buildTreeEnsembleModel} computes, in plain TypeScript, for checking scores. */
export function evaluateTrees(trees: readonly TreeNode[], row: ArrayLike<number>, baseScore = 0): number {
  let sum = baseScore;
  for (const tree of trees) {
    let node = tree;
    while (!('leaf' in node)) node = (row[node.feature] ?? 0) <= node.threshold ? node.left : node.right;
    sum += node.leaf;
  }
  return 1 / (1 + Math.exp(-sum));
}
