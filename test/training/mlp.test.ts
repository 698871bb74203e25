import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { MLP_DEFAULT_PARAMS, MlpTrainer, selectTfBackend } from '../../workers/training/mlp/index.js';
import type { TrainingProgress } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';
import { describeModelFamilyContract } from './model-family-contract.js';
import { wideSet } from './mlp-wide-set.js';
import { auc, sliceSet, syntheticSet } from './synthetic-set.js';

const trainer = new MlpTrainer();

describeModelFamilyContract(trainer);

describe('mlp family', () => {
  const set = syntheticSet(3000, { seed: 21 });
  // Few epochs keep these tests quick; they check behaviour, not accuracy.
  const quick = { epochs: 3, validation_fraction: 0 };

  it('trains on the wasm backend when native TensorFlow is not installed', async () => {
    expect(await selectTfBackend()).toBe('wasm');
    const model = await trainer.train(set, quick);
    expect(model.summary.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('trains on the cpu backend when asked, and names a backend that cannot start', async () => {
    try {
      const model = await new MlpTrainer({ backend: 'cpu' }).train(set, quick);
      expect(model.summary.backend).toBe('cpu');
      const error = await new MlpTrainer({ backend: 'tensorflow' }).train(set, quick).catch((e: unknown) => e);
      expect((error as HushError).code).toBe('HUSH_ERR_INTERNAL');
      expect((error as HushError).message).toContain('tensorflow: not available');
    } finally {
      expect(await selectTfBackend()).toBe('wasm');
    }
  });

  it('refuses an unknown backend option, naming it', () => {
    expect(() => new MlpTrainer({ backend: 'webgl' as 'cpu' })).toThrow(/backend: must be one of auto, tensorflow, wasm, cpu, got webgl/);
  });

  it('leaves a crash to Node: an uncaught error still exits with code 1 once wasm is loaded', async () => {
    // The emscripten runtime installs rethrowing process handlers (exit code 7); selectTfBackend removes them.
    const entry = fileURLToPath(new URL('../../workers/training/mlp/index.ts', import.meta.url));
    const script = `const { selectTfBackend } = await import(${JSON.stringify(entry)});
      if (await selectTfBackend() !== 'wasm') process.exit(3);
      setTimeout(() => { throw new Error('crash after wasm') }, 1);`;
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('crash after wasm');
  });

  it('exports Sub → Gemm → Relu → Gemm → Relu → Gemm → Sigmoid from features to probability', async () => {
    const model = await trainer.train(set, { ...quick, hidden1: 16, hidden2: 8 });
    const graph = onnxProto.onnx.ModelProto.decode(model.onnx).graph;
    expect(graph?.node?.map((node) => node.opType)).toEqual(['Sub', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Sigmoid']);
    expect(graph?.input?.map((input) => input.name)).toEqual(['features']);
    expect(graph?.output?.map((output) => output.name)).toEqual(['probability']);
    const kernels = graph?.initializer?.filter((t) => t.name?.endsWith('_kernel')).map((t) => t.dims?.map(Number));
    expect(kernels).toEqual([[set.nFeatures, 16], [16, 8], [8, 1]]);
    expect(() => model.predict(new Float32Array(3), 1)).toThrow(/takes 8 features per row: 3 values for 1 rows/);
  });

  it('scores features far from zero the same in onnxruntime as in predict', async () => {
    // Centring by a large mean in the graph (not folded into the bias) keeps float32 cancellation out.
    const random = prng(5);
    const shifted = { ...set, features: set.features.map((x, i) => (i % set.nFeatures === 0 ? 50_000 + 100 * x : x * (1 + random()))) };
    const model = await trainer.train(shifted, quick);
    const scorer = await OnnxModel.load(model.onnx, { id: 'mlp-shifted', version: 1, featureSchemaVersion: 1, nFeatures: set.nFeatures });
    try {
      const rows = Array.from({ length: 500 }, (_, r) => shifted.features.subarray(r * set.nFeatures, (r + 1) * set.nFeatures));
      const scored = await scorer.score(rows);
      const expected = model.predict(shifted.features.subarray(0, 500 * set.nFeatures), 500);
      const error = Math.max(...scored.map((p, i) => Math.abs(p - (expected[i] as number))));
      console.log(`mlp: onnxruntime vs predict, max |Δp| = ${error.toExponential(2)} over 500 rows with a feature near 50 000`);
      expect(error).toBeLessThan(1e-5);
    } finally {
      await scorer.release();
    }
  });

  it('merges the caller’s params over the defaults', async () => {
    const model = await trainer.train(set, { ...quick, hidden1: 8 });
    expect(model.params).toEqual({ ...MLP_DEFAULT_PARAMS, ...quick, hidden1: 8 });
  });

  it.each([
    ['epochs', 0],
    ['batch_size', 2.5],
    ['learning_rate', 0],
    ['validation_fraction', 0.9],
    ['patience', -1],
    ['pos_weight', Number.POSITIVE_INFINITY],
  ])('refuses params.%s = %s with HUSH_ERR_VALIDATION naming the key', async (key, value) => {
    const error = await trainer.train(set, { [key]: value }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HushError);
    expect((error as HushError).code).toBe('HUSH_ERR_VALIDATION');
    expect((error as HushError).message).toContain(`params.${key}`);
  });

  it('refuses a feature that is NaN or infinite, naming its row and column', async () => {
    const features = set.features.slice();
    features[2 * set.nFeatures + 5] = Number.NaN;
    const error = await trainer.train({ ...set, features }, quick).catch((e: unknown) => e);
    expect((error as HushError).code).toBe('HUSH_ERR_VALIDATION');
    expect((error as HushError).message).toMatch(/row 2, feature 5/);
  });

  it('reports progress once per epoch', async () => {
    const progress: TrainingProgress[] = [];
    await trainer.train(set, { ...quick, epochs: 4 }, (p) => progress.push(p));
    expect(progress.map((p) => p.stage)).toEqual(['epoch 1/4', 'epoch 2/4', 'epoch 3/4', 'epoch 4/4']);
    expect(progress.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('stops when the validation loss no longer improves and keeps the best epoch', async () => {
    // Labels that are pure noise: whatever the network learns after the first epochs is overfitting.
    const random = prng(9);
    const noise = { ...set, nRows: 1000, features: set.features.slice(0, 1000 * set.nFeatures), labels: Uint8Array.from({ length: 1000 }, () => (random() < 0.5 ? 1 : 0)) };
    const model = await trainer.train(noise, { epochs: 200, batch_size: 32, learning_rate: 0.01, patience: 2, validation_fraction: 0.3 });
    expect(model.summary.epochsRun).toBeLessThan(200);
    expect(model.summary.bestEpoch).toBe(model.summary.epochsRun - 2);
    expect(model.summary.validationLoss).toBeGreaterThan(0);
  });

  it('weights the rare class: balanced by default, as given by pos_weight', async () => {
    const rare = sliceSet(syntheticSet(6000, { seed: 22, prevalence: 0.05 }), 0, 6000);
    const mean = (scores: Float32Array): number => scores.reduce((sum, p) => sum + p, 0) / scores.length;
    const balanced = await trainer.train(rare, { epochs: 5 });
    const unweighted = await trainer.train(rare, { epochs: 5, pos_weight: 1 });
    // Balanced classes pull the mean score towards 1/2; without weights it stays near the 5 % base rate.
    expect(mean(balanced.predict(rare.features, rare.nRows))).toBeGreaterThan(0.3);
    expect(mean(unweighted.predict(rare.features, rare.nRows))).toBeLessThan(0.15);
    expect(auc(balanced.predict(rare.features, rare.nRows), rare.labels)).toBeGreaterThan(0.8);
  });

  it('leaves no tensors behind across many trainings and predictions', async () => {
    await selectTfBackend();
    const before = tf.memory().numTensors;
    for (let seed = 0; seed < 8; seed += 1) {
      const model = await trainer.train(set, { epochs: 2, seed, validation_fraction: 0.2 });
      model.predict(set.features, set.nRows);
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('trains 100 000 rows × 24 features in a few epochs (time printed, not asserted)', async () => {
    const wide = wideSet(100_000, 24, 31);
    const epochTimes: number[] = [];
    // The first figure also holds data preparation (split, standardisation) and the network's set-up.
    let last = performance.now();
    const model = await trainer.train(wide, { epochs: 3, patience: 0 }, () => {
      const now = performance.now();
      epochTimes.push(now - last);
      last = now;
    });
    console.log(`mlp: 100 000 × 24 on ${model.summary.backend}, default params, epoch times (first with set-up) ${epochTimes.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);
    expect(epochTimes).toHaveLength(3);
    expect(auc(model.predict(wide.features, wide.nRows), wide.labels)).toBeGreaterThan(0.7);
  }, 300_000);
});
