import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { findLeaf } from '../../shared/onnx/tree-ensemble.js';
import { GbdtTrainer } from '../../workers/training/gbdt/gbdt-trainer.js';
import type { GbdtModel } from '../../workers/training/gbdt/gbdt-model.js';
import type { TrainingSet } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';
import { describeModelFamilyContract } from './model-family-contract.js';
import { auc, sliceSet, syntheticSet } from './synthetic-set.js';

const trainer = new GbdtTrainer();

describeModelFamilyContract(trainer);

/** One split of one tree, no shrinkage, no held-out rows: the root split is the model. */
const STUMP = { n_estimators: 1, num_leaves: 2, learning_rate: 1, validation_fraction: 0, calibrate: 0, min_child_samples: 1 };

/** x0 on a grid of 100 values (each gets its own bin), labelled by `x0 > step`; x1 is noise. */
function stepSet(nRows: number, step: number): TrainingSet {
  const random = prng(3);
  const features = new Float32Array(nRows * 2);
  const labels = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r += 1) {
    features[r * 2] = Math.floor(random() * 100) / 100;
    features[r * 2 + 1] = random();
    labels[r] = (features[r * 2] as number) > step ? 1 : 0;
  }
  return { features, labels, nRows, nFeatures: 2 };
}

async function onnxScores(model: GbdtModel, features: Float32Array, nRows: number): Promise<Float32Array> {
  const nFeatures = model.ensemble.nFeatures;
  const scorer = await OnnxModel.load(model.onnx, { id: 'gbdt', version: 1, featureSchemaVersion: 1, nFeatures });
  try {
    return await scorer.score(Array.from({ length: nRows }, (_, r) => features.subarray(r * nFeatures, (r + 1) * nFeatures)));
  } finally {
    await scorer.release();
  }
}

function depthOf(left: ArrayLike<number>, right: ArrayLike<number>, node = 0): number {
  const l = left[node] as number;
  return l < 0 ? 0 : 1 + Math.max(depthOf(left, right, l), depthOf(left, right, right[node] as number));
}

describe('gradient-boosted trees', () => {
  it('finds the step of a step function with a single split', async () => {
    const set = stepSet(2000, 0.375);
    const model = await trainer.train(set, STUMP);
    const [tree] = model.ensemble.trees;
    expect(model.ensemble.trees).toHaveLength(1);
    expect(tree?.feature[0]).toBe(0);
    // The threshold lies between the largest noise value and the smallest actionable value.
    let below = -Infinity;
    let above = Infinity;
    for (let r = 0; r < set.nRows; r += 1) {
      const x = set.features[r * 2] as number;
      if (set.labels[r] === 1) above = Math.min(above, x);
      else below = Math.max(below, x);
    }
    const threshold = tree?.threshold[0] as number;
    expect(threshold).toBeGreaterThanOrEqual(below);
    expect(threshold).toBeLessThan(above);
    expect(Math.fround(threshold)).toBe(threshold);
    const scores = model.predict(set.features, set.nRows);
    for (let r = 0; r < set.nRows; r += 1) expect((scores[r] as number) > 0.5).toBe(set.labels[r] === 1);
  });

  it('compares float32 thresholds as onnxruntime does: values on a threshold, one float above, and NaN', async () => {
    const set = syntheticSet(3000, { seed: 21 });
    const model = await trainer.train(set, { n_estimators: 40, learning_rate: 0.3, validation_fraction: 0, calibrate: 0 });
    // For every split, a row sitting exactly on its threshold, one just above it, and one with NaN there.
    const rows: number[] = [];
    const base = Array.from(set.features.subarray(0, set.nFeatures));
    for (const tree of model.ensemble.trees) {
      for (let node = 0; node < tree.left.length; node += 1) {
        if ((tree.left[node] as number) < 0) continue;
        const f = tree.feature[node] as number;
        const t = tree.threshold[node] as number;
        const bits = new Float32Array([t]);
        const next = new Int32Array(bits.buffer);
        next[0] = (next[0] as number) + (t >= 0 ? 1 : -1);
        for (const value of [t, bits[0] as number, Number.NaN]) rows.push(...base.map((x, i) => (i === f ? value : x)));
      }
    }
    const features = Float32Array.from(rows);
    const nRows = rows.length / set.nFeatures;
    const expected = model.predict(features, nRows);
    const scored = await onnxScores(model, features, nRows);
    for (let r = 0; r < nRows; r += 1) expect(Math.abs((scored[r] as number) - (expected[r] as number))).toBeLessThan(1e-5);
  });

  it('keeps to num_leaves, max_depth and min_child_samples', async () => {
    const set = syntheticSet(3000, { seed: 22 });
    const model = await trainer.train(set, { n_estimators: 20, num_leaves: 7, max_depth: 3, min_child_samples: 50, validation_fraction: 0, calibrate: 0 });
    for (const tree of model.ensemble.trees) {
      const leaves = Array.from(tree.left).filter((l) => l < 0).length;
      expect(leaves).toBeLessThanOrEqual(7);
      expect(depthOf(tree.left, tree.right)).toBeLessThanOrEqual(3);
      const counts = new Map<number, number>();
      for (let r = 0; r < set.nRows; r += 1) {
        const leaf = findLeaf(tree, set.features, r * set.nFeatures);
        counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
      }
      for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(50);
    }
  });

  it('stops early once the held-out loss stops improving, keeping the best trees', async () => {
    const set = syntheticSet(2000, { seed: 23 });
    const model = await trainer.train(set, { n_estimators: 500, learning_rate: 0.5, early_stopping_rounds: 10, calibrate: 0 });
    expect(model.ensemble.treesGrown).toBeLessThan(500);
    expect(model.ensemble.trees.length).toBe(model.ensemble.treesGrown - 10);
    const all = await trainer.train(set, { n_estimators: 60, learning_rate: 0.5, early_stopping_rounds: 0, calibrate: 0 });
    expect(all.ensemble.trees).toHaveLength(60);
  });

  it('calibrates on the held-out rows: up-weighted positives no longer inflate the probabilities', async () => {
    const all = syntheticSet(24_000, { seed: 24, prevalence: 0.05 });
    const train = sliceSet(all, 0, 16_000);
    const holdout = sliceSet(all, 16_000, 24_000);
    const mean = (scores: Float32Array): number => scores.reduce((sum, p) => sum + p, 0) / scores.length;
    const prevalence = holdout.labels.reduce((sum, y) => sum + y, 0) / holdout.nRows;
    const params = { scale_pos_weight: 10, n_estimators: 150, learning_rate: 0.1 };
    const raw = await trainer.train(train, { ...params, calibrate: 0 });
    const calibrated = await trainer.train(train, params);
    expect(raw.ensemble.calibration).toBeNull();
    expect(calibrated.ensemble.calibration?.a).toBeGreaterThan(0);
    expect(mean(raw.predict(holdout.features, holdout.nRows))).toBeGreaterThan(2 * prevalence);
    expect(Math.abs(mean(calibrated.predict(holdout.features, holdout.nRows)) - prevalence)).toBeLessThan(0.25 * prevalence);
    const scored = await onnxScores(calibrated, holdout.features, holdout.nRows);
    const expected = calibrated.predict(holdout.features, holdout.nRows);
    for (let r = 0; r < holdout.nRows; r += 1) expect(Math.abs((scored[r] as number) - (expected[r] as number))).toBeLessThan(1e-5);
  }, 60_000);

  it('is reproducible with row and feature subsampling, and sample weights count', async () => {
    const set = syntheticSet(3000, { seed: 25 });
    const params = { subsample: 0.5, colsample_bytree: 0.5, n_estimators: 30, seed: 5 };
    const a = await trainer.train(set, params);
    const b = await trainer.train(set, params);
    expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true);
    const weighted = await trainer.train({ ...set, weights: Float32Array.from(set.labels, (y) => (y === 1 ? 3 : 1)) }, { ...params, calibrate: 0 });
    const scaled = await trainer.train(set, { ...params, calibrate: 0, scale_pos_weight: 3 });
    expect(weighted.predict(set.features, set.nRows)).toEqual(scaled.predict(set.features, set.nRows));
  });

  it('ranks unseen alerts better when the loss corrects for the rate of flipped training labels', async () => {
    const all = syntheticSet(16_000, { seed: 63, prevalence: 0.1 });
    const train = sliceSet(all, 0, 8000);
    const holdout = sliceSet(all, 8000, 16_000);
    const random = prng(1063);
    const flipped = { ...train, labels: Uint8Array.from(train.labels, (y) => (random() < 0.05 ? 1 - y : y)) };
    const params = { n_estimators: 300, learning_rate: 0.05 };
    // The holdout keeps its clean labels: the ranking is judged against the truth, not the flips.
    const plain = await trainer.train(flipped, params);
    const corrected = await trainer.train(flipped, { ...params, label_noise: 0.05 });
    const aucOf = (model: GbdtModel): number => auc(model.predict(holdout.features, holdout.nRows), holdout.labels);
    expect(aucOf(corrected)).toBeGreaterThan(aucOf(plain) + 0.002);
  }, 60_000);

  it('trains the same model as before label_noise existed when it is 0', async () => {
    const set = syntheticSet(4000, { seed: 41, prevalence: 0.15 });
    const params = { n_estimators: 80, learning_rate: 0.1, subsample: 0.8, colsample_bytree: 0.75 };
    for (const model of [await trainer.train(set, params), await trainer.train(set, { ...params, label_noise: 0 })]) {
      const p = model.predict(set.features, set.nRows);
      // Predictions of the trainer before label_noise was added (early stopping kept 64 trees).
      expect(model.ensemble.trees).toHaveLength(64);
      expect(createHash('sha256').update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)).digest('hex')).toBe('93668654008cc9397739e1c93372aeaf7ec83f1737f8ab8da13c7d17467c3d36');
    }
  });

  it.each([
    ['label noise above 0.2', { label_noise: 0.3 }, 'label_noise'],
    ['calibration without held-out rows', { calibrate: 1, validation_fraction: 0 }, 'calibrate'],
    ['a fractional tree count', { n_estimators: 2.5 }, 'n_estimators'],
    ['more bins than a byte holds', { max_bin: 256 }, 'max_bin'],
    ['a zero learning rate', { learning_rate: 0 }, 'learning_rate'],
  ])('refuses %s, naming the key', async (_case, params, key) => {
    await expect(trainer.train(stepSet(100, 0.5), params)).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(key) });
  });

  it.each([
    ['features of the wrong length', (set: TrainingSet) => ({ ...set, features: set.features.subarray(1) }), 'features'],
    ['labels of the wrong length', (set: TrainingSet) => ({ ...set, labels: set.labels.subarray(1) }), 'labels'],
    ['a label other than 0 or 1', (set: TrainingSet) => ({ ...set, labels: Uint8Array.from(set.labels, (y, i) => (i === 3 ? 2 : y)) }), 'labels[3]'],
    ['a single class', (set: TrainingSet) => ({ ...set, labels: new Uint8Array(set.nRows) }), 'both classes'],
    ['a negative weight', (set: TrainingSet) => ({ ...set, weights: new Float32Array(set.nRows).fill(-1) }), 'weights[0]'],
    ['weights of the wrong length', (set: TrainingSet) => ({ ...set, weights: new Float32Array(1) }), 'weights'],
    ['no features', (set: TrainingSet) => ({ ...set, nFeatures: 0, features: new Float32Array(0) }), 'nFeatures'],
    ['a single row', (set: TrainingSet) => ({ ...set, nRows: 1 }), 'nRows'],
  ])('refuses a training set with %s', async (_case, spoil, field) => {
    const error = await trainer.train(spoil(stepSet(100, 0.5)), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(field) });
  });

  it('refuses to predict from a matrix of the wrong width', async () => {
    const model = await trainer.train(stepSet(200, 0.5), STUMP);
    expect(() => model.predict(new Float32Array(3), 1)).toThrow(/2 features per row/);
  });
});
