import {
  attribute,
  ELEM_FLOAT,
  ELEM_INT64,
  encodeModel,
  ONNX_ML_OPSET,
  ONNX_OPSET,
  tensorInfo,
  type AttributeProto,
} from './onnx-graph.js';
import type { DecisionTree } from './tree-ensemble.js';

/** What to export: trees whose leaf values sum (plus `baseScore`) to the logit of P(actionable). */
export interface TreeEnsembleSpec {
  readonly trees: readonly DecisionTree[];
  readonly nFeatures: number;
  /** Added to every row's summed leaf values. @defaultValue 0 */
  readonly baseScore?: number;
  /** Recorded as the model's producer. @defaultValue `'hush'` */
  readonly producerName?: string;
}

/**
 * The product form: ONNX-ML `TreeEnsembleRegressor` (SUM, ai.onnx.ml 3) followed by `Sigmoid`. Input
 * `features` float [N, F]; output `probability` float [N, 1] = sigmoid(baseScore + Σ leaf values), which is
 * what {@link treeEnsembleScore} and {@link sigmoid32} compute in process.
 */
export function buildTreeEnsembleProbabilityModel(spec: TreeEnsembleSpec): Uint8Array {
  const { nodes, leaves } = nodeAttributes(spec.trees);
  return encodeModel(
    {
      name: 'tree_ensemble',
      node: [
        {
          opType: 'TreeEnsembleRegressor',
          domain: ONNX_ML_OPSET.domain,
          name: 'trees',
          input: ['features'],
          output: ['logit'],
          attribute: [
            ...nodes,
            attribute.ints('target_treeids', leaves.treeIds),
            attribute.ints('target_nodeids', leaves.nodeIds),
            attribute.ints('target_ids', leaves.treeIds.map(() => 0)),
            attribute.floats('target_weights', leaves.weights),
            attribute.int('n_targets', 1),
            attribute.floats('base_values', [spec.baseScore ?? 0]),
            attribute.string('aggregate_function', 'SUM'),
            attribute.string('post_transform', 'NONE'),
          ],
        },
        { opType: 'Sigmoid', input: ['logit'], output: ['probability'], name: 'sigmoid' },
      ],
      input: [tensorInfo('features', ELEM_FLOAT, ['N', spec.nFeatures])],
      output: [tensorInfo('probability', ELEM_FLOAT, ['N', 1])],
    },
    [ONNX_OPSET, ONNX_ML_OPSET],
    spec.producerName,
  );
}

/**
 * The sklearn-onnx form: a binary `TreeEnsembleClassifier` (post_transform LOGISTIC, no ZipMap) with
 * outputs `label` int64 [N] and `probabilities` float [N, 2]; column 1 is P(actionable).
 */
export function buildTreeEnsembleClassifierModel(spec: TreeEnsembleSpec): Uint8Array {
  const { nodes, leaves } = nodeAttributes(spec.trees);
  return encodeModel(
    {
      name: 'tree_ensemble_classifier',
      node: [
        {
          opType: 'TreeEnsembleClassifier',
          domain: ONNX_ML_OPSET.domain,
          name: 'trees',
          input: ['features'],
          output: ['label', 'probabilities'],
          attribute: [
            ...nodes,
            attribute.ints('class_treeids', leaves.treeIds),
            attribute.ints('class_nodeids', leaves.nodeIds),
            // One score (class id 0) plus one base value: onnxruntime then reports [1 − p, p], p = sigmoid(score).
            attribute.ints('class_ids', leaves.treeIds.map(() => 0)),
            attribute.floats('class_weights', leaves.weights),
            attribute.ints('classlabels_int64s', [0, 1]),
            attribute.floats('base_values', [spec.baseScore ?? 0]),
            attribute.string('post_transform', 'LOGISTIC'),
          ],
        },
      ],
      input: [tensorInfo('features', ELEM_FLOAT, ['N', spec.nFeatures])],
      output: [tensorInfo('label', ELEM_INT64, ['N']), tensorInfo('probabilities', ELEM_FLOAT, ['N', 2])],
    },
    [ONNX_OPSET, ONNX_ML_OPSET],
    spec.producerName,
  );
}

/** The `nodes_*` attributes shared by both operators, and the leaf tuples each names its own way. */
function nodeAttributes(trees: readonly DecisionTree[]): {
  nodes: AttributeProto[];
  leaves: { treeIds: number[]; nodeIds: number[]; weights: number[] };
} {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], weights: [] as number[] };

  trees.forEach((tree, treeId) => {
    for (let node = 0; node < tree.left.length; node += 1) {
      const left = tree.left[node] as number;
      const isLeaf = left < 0;
      treeIds.push(treeId);
      nodeIds.push(node);
      featureIds.push(isLeaf ? 0 : (tree.feature[node] as number));
      modes.push(isLeaf ? 'LEAF' : 'BRANCH_LEQ');
      values.push(isLeaf ? 0 : (tree.threshold[node] as number));
      trueIds.push(isLeaf ? 0 : left);
      falseIds.push(isLeaf ? 0 : (tree.right[node] as number));
      if (isLeaf) {
        leaves.treeIds.push(treeId);
        leaves.nodeIds.push(node);
        leaves.weights.push(tree.value[node] as number);
      }
    }
  });

  return {
    nodes: [
      attribute.ints('nodes_treeids', treeIds),
      attribute.ints('nodes_nodeids', nodeIds),
      attribute.ints('nodes_featureids', featureIds),
      attribute.strings('nodes_modes', modes),
      attribute.floats('nodes_values', values),
      attribute.ints('nodes_truenodeids', trueIds),
      attribute.ints('nodes_falsenodeids', falseIds),
    ],
    leaves,
  };
}
