import {
  ELEM_FLOAT,
  encodeModel,
  floatTensor,
  ONNX_OPSET,
  tensorInfo,
  type NodeProto,
  type TensorProto,
} from '../../../shared/onnx/onnx-graph.js';
import { HushError } from '../../../shared/errors/index.js';
import type { DenseWeights, MlpWeights } from './mlp-network.js';

/**
 * The network as ONNX: input `features` float [N, F] → Sub(mean) → Gemm → Relu → Gemm → Relu → Gemm →
 * Sigmoid → output `probability` float [N, 1]. The division by std is folded into the first Gemm's kernel.
 * The mean is not: folded into the bias it cancels against x·W in float32 for features far from zero (an
 * offset of 1000 already cost 1e-5 in probability), while one Sub per row costs next to nothing.
 */
export function buildMlpOnnx(weights: MlpWeights): Uint8Array {
  const [first, ...rest] = weights.layers;
  if (first === undefined) throw new HushError('HUSH_ERR_INTERNAL', 'an mlp to export has no layers');
  const layers = [scaleByStd(first, weights.standardisation.std), ...rest];
  const nodes: NodeProto[] = [{ opType: 'Sub', name: 'centre', input: ['features', 'feature_mean'], output: ['centred'] }];
  const initializers: TensorProto[] = [floatTensor('feature_mean', [first.inputs], weights.standardisation.mean)];
  let input = 'centred';
  layers.forEach((layer, i) => {
    const isOutput = i === layers.length - 1;
    const kernel = `dense${i}_kernel`;
    const bias = `dense${i}_bias`;
    const linear = isOutput ? 'logit' : `dense${i}_linear`;
    const output = isOutput ? 'probability' : `dense${i}_relu`;
    initializers.push(floatTensor(kernel, [layer.inputs, layer.units], layer.kernel), floatTensor(bias, [layer.units], layer.bias));
    nodes.push(
      { opType: 'Gemm', name: `dense${i}`, input: [input, kernel, bias], output: [linear] },
      { opType: isOutput ? 'Sigmoid' : 'Relu', name: isOutput ? 'sigmoid' : `relu${i}`, input: [linear], output: [output] },
    );
    input = output;
  });
  return encodeModel(
    {
      name: 'mlp',
      node: nodes,
      initializer: initializers,
      input: [tensorInfo('features', ELEM_FLOAT, ['N', first.inputs])],
      output: [tensorInfo('probability', ELEM_FLOAT, ['N', 1])],
    },
    [ONNX_OPSET],
    'hush-mlp',
  );
}

/** (c / s) · W = c · (W / s): each kernel row divided by its feature's std, computed in float64, rounded once. */
export function scaleByStd(layer: DenseWeights, std: Float32Array): DenseWeights {
  const kernel = Float32Array.from(layer.kernel, (w, i) => w / (std[Math.floor(i / layer.units)] as number));
  return { inputs: layer.inputs, units: layer.units, kernel, bias: layer.bias };
}
