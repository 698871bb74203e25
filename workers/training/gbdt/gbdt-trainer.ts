import type { DecisionTree } from '../../../shared/onnx/tree-ensemble.js';
import type { Trainer, TrainingProgress, TrainingSet } from '../trainer.js';
import { checkTrainingSet } from '../check-training-set.js';
import { FeatureBins } from './feature-bins.js';
import { foldCalibration, GbdtModel } from './gbdt-model.js';
import { resolveGbdtParams, type GbdtParams } from './gbdt-params.js';
import { binaryLoss, type BinaryLoss } from './log-loss.js';
import { fitPlattScaling, type PlattScaling } from './platt-scaling.js';
import { seededRandom, shuffleInPlace } from '../seeded-random.js';
import { stratifiedSplit } from '../stratified-split.js';
import { findLeafBinned, TreeGrower, type GrownTree } from './tree-grower.js';

/** Bin edges are fitted on at most this many rows; quantiles of a larger sample barely move. */
const BINNING_SAMPLE_ROWS = 200_000;
/** Longest stretch of boosting without yielding, so a worker's lock renewal and health checks still run. */
const YIELD_EVERY_MS = 25;

/**
 * The gradient-boosted trees family: histogram-based boosting of binary log-loss (LightGBM-style
 * quantile bins, leaf-wise growth, histogram subtraction), exported as an ONNX-ML TreeEnsembleRegressor
 * plus Sigmoid; with `label_noise`, log-loss corrected for that rate of flipped labels. With `calibrate`,
 * Platt scaling fitted on the held-out rows is folded into the leaves.
 */
export class GbdtTrainer implements Trainer {
  readonly family = 'gbdt' as const;

  async train(set: TrainingSet, params: Readonly<Record<string, number>>, onProgress?: (progress: TrainingProgress) => void): Promise<GbdtModel> {
    const p = resolveGbdtParams(params);
    checkTrainingSet(set);
    const random = seededRandom(p.seed);
    const { train, validation } = stratifiedSplit(set.labels, p.validation_fraction, random);
    const bins = FeatureBins.fit(set.features, set.nFeatures, sampleSorted(train, BINNING_SAMPLE_ROWS, random), p.max_bin);
    const binned = bins.binRows(set.features, set.nRows);
    const weights = rowWeights(set, p.scale_pos_weight);
    const baseScore = Math.fround(priorLogit(train, set.labels, weights));
    const loss = binaryLoss(p.label_noise);

    const grower = new TreeGrower(bins, binned, {
      numLeaves: p.num_leaves,
      maxDepth: p.max_depth,
      learningRate: p.learning_rate,
      lambda: p.reg_lambda,
      minChildSamples: p.min_child_samples,
      minSumHessian: p.min_sum_hessian,
      minSplitGain: p.min_split_gain,
    });
    const margins = new Float64Array(set.nRows).fill(baseScore);
    const derivatives = { grad: new Float64Array(set.nRows), hess: new Float64Array(set.nRows) };
    const sampleSize = Math.max(1, Math.round(p.subsample * train.length));
    const rows = new Uint32Array(train.length);
    const featureOrder = Uint32Array.from({ length: set.nFeatures }, (_, f) => f);
    const nUsedFeatures = Math.max(1, Math.round(p.colsample_bytree * set.nFeatures));

    const trees: GrownTree[] = [];
    const stopping = new EarlyStopping(validation, p.early_stopping_rounds, loss);
    let lastYield = Date.now();
    for (let t = 0; t < p.n_estimators; t += 1) {
      loss.derivatives(train, set.labels, weights, margins, derivatives);
      rows.set(train);
      if (sampleSize < train.length) shuffleInPlace(rows, random).subarray(0, sampleSize).sort();
      const usedFeatures = Int32Array.from(
        nUsedFeatures < set.nFeatures ? shuffleInPlace(featureOrder, random).slice(0, nUsedFeatures).sort() : featureOrder,
      );
      const tree = grower.grow(rows, sampleSize, derivatives, usedFeatures);
      trees.push(tree);
      for (let r = 0; r < set.nRows; r += 1) margins[r] = (margins[r] as number) + (tree.value[findLeafBinned(tree, binned, r * set.nFeatures)] as number);
      onProgress?.({ fraction: (t + 1) / p.n_estimators, stage: `tree ${t + 1}/${p.n_estimators}` });
      if (stopping.update(trees.length, margins, set.labels, weights)) break;
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
    }

    const kept = trees.slice(0, stopping.bestTrees ?? trees.length);
    const calibration = p.calibrate === 1 ? fitPlattScaling(stopping.bestMargins ?? pick(margins, validation), pick(set.labels, validation)) : null;
    const model = new GbdtModel(
      {
        ...(calibration === null ? { trees: kept as DecisionTree[], baseScore } : foldCalibration(kept, baseScore, calibration)),
        nFeatures: set.nFeatures,
        calibration,
        treesGrown: trees.length,
      },
      { ...p } satisfies GbdtParams,
    );
    onProgress?.({ fraction: 1, stage: describeEnd(kept.length, trees.length, calibration) });
    return model;
  }
}

/** Tracks the held-out loss; says when it has not improved for `patience` trees (0: never). */
class EarlyStopping {
  bestTrees: number | null = null;
  bestMargins: Float64Array | null = null;
  private bestLoss = Number.POSITIVE_INFINITY;

  constructor(
    private readonly rows: Uint32Array,
    private readonly patience: number,
    private readonly loss: BinaryLoss,
  ) {}

  update(nTrees: number, margins: Float64Array, labels: Uint8Array, weights: Float64Array): boolean {
    if (this.rows.length === 0 || this.patience === 0) return false;
    let loss = 0;
    for (const row of this.rows) loss += (weights[row] as number) * this.loss.loss(margins[row] as number, labels[row] as number);
    if (loss < this.bestLoss) {
      this.bestLoss = loss;
      this.bestTrees = nTrees;
      this.bestMargins = pick(margins, this.rows);
      return false;
    }
    return nTrees - (this.bestTrees ?? 0) >= this.patience;
  }
}

/** Per-row loss weight: the set's sample weight, times `scalePosWeight` for actionable rows. */
function rowWeights(set: TrainingSet, scalePosWeight: number): Float64Array {
  const weights = new Float64Array(set.nRows);
  for (let r = 0; r < set.nRows; r += 1) weights[r] = (set.weights?.[r] ?? 1) * (set.labels[r] === 1 ? scalePosWeight : 1);
  return weights;
}

/** The logit of the weighted share of actionable rows: the best constant score, where boosting starts. */
function priorLogit(rows: Uint32Array, labels: Uint8Array, weights: Float64Array): number {
  let positive = 0;
  let total = 0;
  for (const row of rows) {
    total += weights[row] as number;
    if (labels[row] === 1) positive += weights[row] as number;
  }
  const share = Math.min(Math.max(total > 0 ? positive / total : 0.5, 1e-6), 1 - 1e-6);
  return Math.log(share / (1 - share));
}

/** Up to `limit` of `rows`, chosen at random, in ascending order. */
function sampleSorted(rows: Uint32Array, limit: number, random: () => number): Uint32Array {
  if (rows.length <= limit) return rows;
  return shuffleInPlace(rows.slice(), random).slice(0, limit).sort();
}

function pick<T extends Float64Array | Uint8Array>(values: T, rows: Uint32Array): T {
  const out = new (values.constructor as new (length: number) => T)(rows.length);
  rows.forEach((row, i) => {
    out[i] = values[row] as number;
  });
  return out;
}

function describeEnd(kept: number, grown: number, calibration: PlattScaling | null): string {
  const trees = kept < grown ? `${kept} trees (early stopping after ${grown})` : `${kept} trees`;
  return calibration === null ? `done: ${trees}, raw scores` : `done: ${trees}, Platt-calibrated`;
}
