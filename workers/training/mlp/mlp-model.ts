import { HushError } from '../../../shared/errors/index.js';
import type { TrainedModel } from '../trainer.js';
import { predictMlp, type MlpWeights } from './mlp-network.js';
import { buildMlpOnnx } from './mlp-onnx.js';

/** How a training run went, for the job log and the evaluation report. */
export interface MlpTrainingSummary {
  /** The tfjs backend that trained (`tensorflow`, `wasm` or `cpu`). */
  readonly backend: string;
  readonly epochsRun: number;
  /** The epoch whose weights were kept (1-based): the best validation loss, or the last epoch without one. */
  readonly bestEpoch: number;
  /** Weighted cross-entropy on the held-out rows at `bestEpoch`; null without held-out rows. */
  readonly validationLoss: number | null;
}

/** A trained MLP: `predict` runs the network in tfjs, `onnx` the same weights in onnxruntime. */
export class MlpModel implements TrainedModel {
  readonly family = 'mlp' as const;
  readonly onnx: Uint8Array;

  constructor(
    readonly weights: MlpWeights,
    readonly params: Readonly<Record<string, number>>,
    readonly summary: MlpTrainingSummary,
  ) {
    this.onnx = buildMlpOnnx(weights);
  }

  predict(features: Float32Array, nRows: number): Float32Array {
    const nFeatures = this.weights.standardisation.mean.length;
    if (!Number.isInteger(nRows) || nRows < 0 || features.length !== nRows * nFeatures) {
      throw new HushError('HUSH_ERR_INTERNAL', `mlp predict takes ${nFeatures} features per row: ${features.length} values for ${nRows} rows`);
    }
    return predictMlp(this.weights, features, nRows);
  }
}
