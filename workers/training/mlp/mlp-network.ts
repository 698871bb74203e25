import * as tf from '@tensorflow/tfjs';

/** One fully connected layer as plain numbers: `y = x · kernel + bias`, `kernel` row-major [inputs, units]. */
export interface DenseWeights {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** Per-feature standardisation applied before the first layer: `(x − mean) / std`. */
export interface Standardisation {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** A trained network, detached from any tfjs backend: standardisation, then ReLU layers, then one sigmoid unit. */
export interface MlpWeights {
  readonly standardisation: Standardisation;
  /** Hidden layers (ReLU) followed by the output layer (one unit, sigmoid). */
  readonly layers: readonly DenseWeights[];
}

interface DenseVariables {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

/** The trainable tfjs variables of the network; callers must `dispose()` them. */
export class MlpVariables {
  private constructor(private readonly layers: readonly DenseVariables[]) {}

  /**
   * He-normal kernels for the ReLU layers and Glorot-normal for the sigmoid output, zero biases; one seed
   * per layer so the same seed gives the same start on the same backend.
   */
  static create(sizes: readonly number[], seed: number): MlpVariables {
    const layers = sizes.slice(1).map((units, i) => {
      const inputs = sizes[i] as number;
      const isOutput = i === sizes.length - 2;
      const stddev = Math.sqrt(isOutput ? 2 / (inputs + units) : 2 / inputs);
      return {
        kernel: variableFrom(tf.truncatedNormal([inputs, units], 0, stddev, 'float32', seed + i)),
        bias: variableFrom(tf.zeros([units])),
      };
    });
    return new MlpVariables(layers);
  }

  /** Everything Adam updates. */
  get trainable(): tf.Variable[] {
    return this.layers.flatMap((layer) => [layer.kernel, layer.bias]);
  }

  /** Σ kernel², the L2 penalty before scaling (biases are not penalised). */
  kernelSquares(): tf.Scalar {
    return tf.addN(this.layers.map((layer) => tf.sum(tf.square(layer.kernel)))) as tf.Scalar;
  }

  /** Logits [rows, 1] of standardised rows. Call inside `tf.tidy`. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return denseStack(x, this.layers);
  }

  /** Copies the current values out of the backend (a copy: the cpu backend hands out its own buffers). */
  read(): DenseWeights[] {
    return this.layers.map(({ kernel, bias }) => {
      const [inputs, units] = kernel.shape as [number, number];
      return { inputs, units, kernel: Float32Array.from(kernel.dataSync()), bias: Float32Array.from(bias.dataSync()) };
    });
  }

  dispose(): void {
    for (const layer of this.layers) {
      layer.kernel.dispose();
      layer.bias.dispose();
    }
  }
}

/** A variable holding `initial`'s values; `initial` itself is disposed (tf.variable keeps it alive otherwise). */
function variableFrom(initial: tf.Tensor): tf.Variable {
  try {
    return tf.variable(initial);
  } finally {
    initial.dispose();
  }
}

function denseStack(x: tf.Tensor2D, layers: readonly { kernel: tf.Tensor; bias: tf.Tensor }[]): tf.Tensor2D {
  return layers.reduce((h, layer, i) => {
    const z = tf.add(tf.matMul(h, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
    return i === layers.length - 1 ? z : tf.relu(z);
  }, x);
}

// Large enough to amortise kernel launches, small enough to keep a scoring batch's tensors modest.
const PREDICT_CHUNK_ROWS = 16_384;

/** P(actionable) for `nRows` raw (unstandardised) feature rows, computed with tfjs on the current backend. */
export function predictMlp(weights: MlpWeights, features: Float32Array, nRows: number): Float32Array {
  const nFeatures = weights.standardisation.mean.length;
  const out = new Float32Array(nRows);
  for (let start = 0; start < nRows; start += PREDICT_CHUNK_ROWS) {
    const rows = Math.min(PREDICT_CHUNK_ROWS, nRows - start);
    const chunk = tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(start * nFeatures, (start + rows) * nFeatures), [rows, nFeatures]);
      const { mean, std } = weights.standardisation;
      const standardised = tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor2D;
      const layers = weights.layers.map((layer) => ({
        kernel: tf.tensor2d(layer.kernel, [layer.inputs, layer.units]),
        bias: tf.tensor1d(layer.bias),
      }));
      return tf.sigmoid(denseStack(standardised, layers));
    });
    try {
      out.set(chunk.dataSync() as Float32Array, start);
    } finally {
      chunk.dispose();
    }
  }
  return out;
}
