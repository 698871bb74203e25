import { buildTreeEnsembleProbabilityModel } from '../../../shared/onnx/tree-ensemble-export.js';
import { sigmoid32, treeEnsembleScore, type DecisionTree } from '../../../shared/onnx/tree-ensemble.js';
import { HushError } from '../../../shared/errors/index.js';
import type { TrainedModel } from '../trainer.js';
import type { PlattScaling } from './platt-scaling.js';

/** What boosting produced, with any calibration already folded into the leaf values and base score. */
export interface GbdtEnsemble {
  readonly trees: readonly DecisionTree[];
  /** float32 logit every row starts from. */
  readonly baseScore: number;
  readonly nFeatures: number;
  /** The Platt scaling folded in, or null when scores are the raw boosted ones. */
  readonly calibration: PlattScaling | null;
  /** Trees grown before early stopping cut the ensemble back to `trees.length`. */
  readonly treesGrown: number;
}

/**
 * A trained gradient-boosted trees model. `predict` walks the trees with float32 comparisons and
 * float32 accumulation, as onnxruntime's TreeEnsembleRegressor does, so it agrees with `onnx`.
 */
export class GbdtModel implements TrainedModel {
  readonly family = 'gbdt' as const;
  readonly onnx: Uint8Array;

  constructor(
    readonly ensemble: GbdtEnsemble,
    readonly params: Readonly<Record<string, number>>,
  ) {
    this.onnx = buildTreeEnsembleProbabilityModel({
      trees: ensemble.trees,
      nFeatures: ensemble.nFeatures,
      baseScore: ensemble.baseScore,
      producerName: 'hush-gbdt',
    });
  }

  predict(features: Float32Array, nRows: number): Float32Array {
    const { trees, baseScore, nFeatures } = this.ensemble;
    if (!Number.isInteger(nRows) || nRows < 0 || features.length !== nRows * nFeatures) {
      throw new HushError('HUSH_ERR_INTERNAL', `gbdt predict takes ${nFeatures} features per row: ${features.length} values for ${nRows} rows`);
    }
    const out = new Float32Array(nRows);
    for (let r = 0; r < nRows; r += 1) out[r] = sigmoid32(treeEnsembleScore(trees, baseScore, features, r * nFeatures));
    return out;
  }
}

/** Folds `sigmoid(a·margin + b)` into the ensemble: every leaf scaled by `a`, the base score to `a·base + b`. */
export function foldCalibration(trees: readonly DecisionTree[], baseScore: number, scaling: PlattScaling): { trees: DecisionTree[]; baseScore: number } {
  return {
    trees: trees.map((tree) => ({ ...tree, value: Float32Array.from(tree.value, (v) => Math.fround(scaling.a * v)) })),
    baseScore: Math.fround(scaling.a * baseScore + scaling.b),
  };
}
