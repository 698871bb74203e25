import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { OnnxModel, type OnnxModelMeta } from '../../shared/onnx/onnx-model.js';
import { buildLogisticModel, buildTreeEnsembleModel, evaluateTrees, type TreeNode } from '../helpers/onnx-models.js';

const N_FEATURES = 4;
const WEIGHTS = [0.8, -1.5, 0.25, 2];
const BIAS = -0.3;
const TREES: TreeNode[] = [
  { feature: 0, threshold: 0.5, left: { leaf: -1.2 }, right: { feature: 1, threshold: 2, left: { leaf: 0.4 }, right: { leaf: 1.7 } } },
  { feature: 3, threshold: -1, left: { leaf: 0.9 }, right: { feature: 2, threshold: 0, left: { leaf: -0.3 }, right: { leaf: 0.6 } } },
];
const BASE_SCORE = 0.15;

const ROWS = [
  [0, 0, 0, 0],
  [1, 1, 1, 1],
  [1, 3, -2, -5],
  [0.5, 2, 0, -1],
  [-3, 0.1, 7.5, 0.2],
].map((row) => Float32Array.from(row));

function meta(overrides: Partial<OnnxModelMeta> = {}): OnnxModelMeta {
  return { id: 'm-1', version: 1, featureSchemaVersion: 1, nFeatures: N_FEATURES, ...overrides };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

const families = [
  {
    family: 'logistic regression (Gemm + Sigmoid)',
    bytes: () => buildLogisticModel(WEIGHTS, BIAS),
    expected: (row: Float32Array) => sigmoid(row.reduce((sum, x, i) => sum + x * (WEIGHTS[i] as number), BIAS)),
  },
  {
    family: 'gradient-boosted trees (TreeEnsembleClassifier)',
    bytes: () => buildTreeEnsembleModel(TREES, N_FEATURES, BASE_SCORE),
    expected: (row: Float32Array) => evaluateTrees(TREES, row, BASE_SCORE),
  },
];

describe.each(families)('OnnxModel with $family', ({ bytes, expected }) => {
  it('scores a batch with the probability of actionable, to 1e-6', async () => {
    const model = await OnnxModel.load(bytes(), meta(), { featureSchemaVersion: 1, nFeatures: N_FEATURES });
    const scores = await model.score(ROWS);
    expect(scores).toHaveLength(ROWS.length);
    ROWS.forEach((row, i) => expect(Math.abs((scores[i] as number) - expected(row))).toBeLessThan(1e-6));
    await model.release();
  });

  it('scores one row the same as inside a batch', async () => {
    const model = await OnnxModel.load(bytes(), meta());
    const batch = await model.score(ROWS);
    for (const [i, row] of ROWS.entries()) expect((await model.score([row]))[0]).toBe(batch[i]);
    expect(await model.score([])).toHaveLength(0);
    await model.release();
  });

  it('refuses rows of the wrong width and scoring after release', async () => {
    const model = await OnnxModel.load(bytes(), meta());
    await expect(model.score([new Float32Array(N_FEATURES + 1)])).rejects.toThrow(/takes 4 features, row 0 has 5/);
    await model.release();
    await model.release();
    await expect(model.score(ROWS)).rejects.toThrow(/released/);
  });

  it('refuses a model built for another feature schema version', async () => {
    const error = await OnnxModel.load(bytes(), meta({ featureSchemaVersion: 2 }), { featureSchemaVersion: 1, nFeatures: N_FEATURES }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HushError);
    expect((error as HushError).code).toBe('HUSH_ERR_MODEL_LOAD');
    expect((error as HushError).message).toMatch(/feature schema version 2, but this worker computes version 1/);
  });

  it('refuses a model whose feature count differs from the schema or from its own graph', async () => {
    await expect(OnnxModel.load(bytes(), meta({ nFeatures: 5 }), { featureSchemaVersion: 1, nFeatures: N_FEATURES })).rejects.toMatchObject({
      code: 'HUSH_ERR_MODEL_LOAD',
      message: expect.stringMatching(/takes 5 features, but feature schema version 1 has 4/),
    });
    await expect(OnnxModel.load(bytes(), meta({ nFeatures: 5 }))).rejects.toMatchObject({
      code: 'HUSH_ERR_MODEL_LOAD',
      message: expect.stringMatching(/graph takes 4 features, its metadata says 5/),
    });
  });
});

describe('OnnxModel', () => {
  it('rejects bytes that are not an ONNX model with HUSH_ERR_MODEL_LOAD', async () => {
    await expect(OnnxModel.load(new TextEncoder().encode('not a model'), meta())).rejects.toMatchObject({
      code: 'HUSH_ERR_MODEL_LOAD',
      message: expect.stringMatching(/onnxruntime rejected the artifact/),
    });
  });

  it('keeps the probability of a tree model in [0, 1] for extreme inputs', async () => {
    const model = await OnnxModel.load(buildTreeEnsembleModel(TREES, N_FEATURES), meta());
    const scores = await model.score([Float32Array.from([1e30, -1e30, 1e30, -1e30]), Float32Array.from([Number.NaN, 0, 0, 0])]);
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
    await model.release();
  });
});
