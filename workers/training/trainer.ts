/**
 * The contract every model family implements (DESIGN §6): train on a dense feature matrix, export ONNX,
 * and score exactly as the exported artifact does in onnxruntime-node.
 */

/** A dense, row-major training matrix with one binary label (1 = actionable) per row. */
export interface TrainingSet {
  /** Row-major, `nRows × nFeatures`. */
  readonly features: Float32Array;
  /** 1 = actionable, 0 = noise. */
  readonly labels: Uint8Array;
  readonly nRows: number;
  readonly nFeatures: number;
  /** Optional per-row sample weights (e.g. for class imbalance); 1 when absent. */
  readonly weights?: Float32Array;
}

/** Progress of a training run, reported on the job and shown by the CLI. */
export interface TrainingProgress {
  /** 0–1. */
  readonly fraction: number;
  /** Human-readable stage, e.g. `tree 120/300` or `epoch 4/20`. */
  readonly stage: string;
}

/** A trained model: its ONNX artifact and the in-process scorer it must agree with (to 1e-5). */
export interface TrainedModel {
  readonly family: ModelFamily;
  /** ONNX model: input `features` float [N, F], output `probability` float [N, 1] (P(actionable)). */
  readonly onnx: Uint8Array;
  /** Hyper-parameters actually used (defaults merged with the caller's). */
  readonly params: Readonly<Record<string, number>>;
  /** Scores `nRows` rows in training code; the ONNX artifact must give the same values. */
  predict(features: Float32Array, nRows: number): Float32Array;
}

export type ModelFamily = 'gbdt' | 'mlp';

/** One model family. `params` come from the retrain job (`{"n_estimators": 300, …}`); unknown keys fail. */
export interface Trainer {
  readonly family: ModelFamily;
  train(
    set: TrainingSet,
    params: Readonly<Record<string, number>>,
    onProgress?: (progress: TrainingProgress) => void,
  ): Promise<TrainedModel>;
}
