import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const AttrType = onnx.AttributeProto.AttributeType;

/** A decision tree for {@link buildTreeEnsembleModel}: go `left` when `x[feature] <= threshold`. */
export type TreeNode =
  | { feature: number; threshold: number; left: TreeNode; right: TreeNode }
  | { leaf: number };

function tensorInfo(name: string, elemType: number, dims: (number | string)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function encodeModel(graph: onnxProto.onnx.IGraphProto, opsets: { domain: string; version: number }[]): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'hush-test',
    opsetImport: opsets,
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

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
      initializer: [
        { name: 'W', dataType: FLOAT, dims: [nFeatures, 1], floatData: [...weights] },
        { name: 'B', dataType: FLOAT, dims: [1], floatData: [bias] },
      ],
      input: [tensorInfo('features', FLOAT, ['N', nFeatures])],
      output: [tensorInfo('probability', FLOAT, ['N', 1])],
    },
    [{ domain: '', version: 13 }],
  );
}

/**
 * A binary ONNX-ML TreeEnsembleClassifier (opset ai.onnx.ml 3, post_transform LOGISTIC, no ZipMap):
 * input `features` float [N, F]; outputs `label` int64 [N] and `probabilities` float [N, 2]. Leaf values
 * are summed over trees (plus `baseScore`) and squashed: P(class 1) = sigmoid(sum).
 */
export function buildTreeEnsembleModel(trees: readonly TreeNode[], nFeatures: number, baseScore = 0): Uint8Array {
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
  };
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], weights: [] as number[] };

  trees.forEach((tree, treeId) => {
    let nextId = 0;
    const visit = (node: TreeNode): number => {
      const id = nextId;
      nextId += 1;
      const slot = nodes.treeIds.length;
      nodes.treeIds.push(treeId);
      nodes.nodeIds.push(id);
      if ('leaf' in node) {
        nodes.featureIds.push(0);
        nodes.modes.push('LEAF');
        nodes.values.push(0);
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        leaves.treeIds.push(treeId);
        leaves.nodeIds.push(id);
        leaves.weights.push(node.leaf);
        return id;
      }
      nodes.featureIds.push(node.feature);
      nodes.modes.push('BRANCH_LEQ');
      nodes.values.push(node.threshold);
      nodes.trueIds.push(0);
      nodes.falseIds.push(0);
      nodes.trueIds[slot] = visit(node.left);
      nodes.falseIds[slot] = visit(node.right);
      return id;
    };
    visit(tree);
  });

  const ints = (name: string, values: number[]): IAttributeProto => ({ name, type: AttrType.INTS, ints: values });
  const floats = (name: string, values: number[]): IAttributeProto => ({ name, type: AttrType.FLOATS, floats: values });
  const strings = (name: string, values: string[]): IAttributeProto => ({
    name,
    type: AttrType.STRINGS,
    strings: values.map((value) => new TextEncoder().encode(value)),
  });

  return encodeModel(
    {
      name: 'trees',
      node: [
        {
          opType: 'TreeEnsembleClassifier',
          domain: 'ai.onnx.ml',
          name: 'trees',
          input: ['features'],
          output: ['label', 'probabilities'],
          attribute: [
            ints('nodes_treeids', nodes.treeIds),
            ints('nodes_nodeids', nodes.nodeIds),
            ints('nodes_featureids', nodes.featureIds),
            strings('nodes_modes', nodes.modes),
            floats('nodes_values', nodes.values),
            ints('nodes_truenodeids', nodes.trueIds),
            ints('nodes_falsenodeids', nodes.falseIds),
            ints('class_treeids', leaves.treeIds),
            ints('class_nodeids', leaves.nodeIds),
            // The binary convention of sklearn-onnx: one score (class id 0) plus one base value; onnxruntime
            // then reports [1 − sigmoid(score), sigmoid(score)].
            ints('class_ids', leaves.treeIds.map(() => 0)),
            floats('class_weights', leaves.weights),
            ints('classlabels_int64s', [0, 1]),
            floats('base_values', [baseScore]),
            { name: 'post_transform', type: AttrType.STRING, s: new TextEncoder().encode('LOGISTIC') },
          ],
        },
      ],
      input: [tensorInfo('features', FLOAT, ['N', nFeatures])],
      output: [tensorInfo('label', INT64, ['N']), tensorInfo('probabilities', FLOAT, ['N', 2])],
    },
    [
      { domain: '', version: 13 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
  );
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
