import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import type { Trainer, TrainedModel, TrainingProgress } from '../../workers/training/trainer.js';
import { auc, sliceSet, syntheticSet, type SyntheticSet } from './synthetic-set.js';

/** How a family is driven through the contract; every field has a default that suits both families. */
export interface ModelFamilyContractOptions {
  /** Merged into every training call, e.g. to keep a slow family quick. @defaultValue `{}` */
  readonly params?: Readonly<Record<string, number>>;
  /** The parameter that seeds training. @defaultValue `'seed'` */
  readonly seedKey?: string;
  /** A parameter set out of its range, which training must refuse. @defaultValue `{ key: 'learning_rate', value: -1 }` */
  readonly outOfRange?: { readonly key: string; readonly value: number };
  /** Per-test timeout in ms (each test trains at least once). @defaultValue 120000 */
  readonly timeoutMs?: number;
}

const TRAIN_ROWS = 4000;
const HOLDOUT_ROWS = 2000;
const RARE_TRAIN_ROWS = 20_000;
const RARE_HOLDOUT_ROWS = 10_000;
const RARE_PREVALENCE = 0.01;

/**
 * The behaviour every model family (DESIGN §6) must show, run by each family's test file: its ONNX
 * artifact scores exactly like `predict`, it learns a known signal, copes with 1 % positives, is
 * reproducible from its seed, refuses bad hyper-parameters and reports progress up to 1.
 */
export function describeModelFamilyContract(trainer: Trainer, options: ModelFamilyContractOptions = {}): void {
  const baseParams = options.params ?? {};
  const seedKey = options.seedKey ?? 'seed';
  const outOfRange = options.outOfRange ?? { key: 'learning_rate', value: -1 };
  const timeout = options.timeoutMs ?? 120_000;

  describe(`model family ${trainer.family}: contract`, () => {
    const all = syntheticSet(TRAIN_ROWS + HOLDOUT_ROWS, { seed: 11 });
    const train = sliceSet(all, 0, TRAIN_ROWS);
    const holdout = sliceSet(all, TRAIN_ROWS, TRAIN_ROWS + HOLDOUT_ROWS);
    const progress: TrainingProgress[] = [];
    let model: TrainedModel;
    let scorer: OnnxModel;

    beforeAll(async () => {
      model = await trainer.train(train, { ...baseParams, [seedKey]: 7 }, (p) => progress.push(p));
      scorer = await OnnxModel.load(model.onnx, { id: `${trainer.family}-contract`, version: 1, featureSchemaVersion: 1, nFeatures: train.nFeatures });
    }, timeout);

    afterAll(async () => {
      await scorer?.release();
    });

    it('exports an ONNX model that onnxruntime scores like predict, to 1e-5', async () => {
      expect(model.family).toBe(trainer.family);
      const rows = [...rowsOf(holdout), new Float32Array(train.nFeatures), new Float32Array(train.nFeatures).fill(1e6), new Float32Array(train.nFeatures).fill(-1e6)];
      const flat = new Float32Array(rows.length * train.nFeatures);
      rows.forEach((row, i) => flat.set(row, i * train.nFeatures));
      const expected = model.predict(flat, rows.length);
      const scored = await scorer.score(rows);
      expect(scored).toHaveLength(rows.length);
      expect(maxAbsDifference(scored, expected)).toBeLessThan(1e-5);
      for (const p of expected) expect(p >= 0 && p <= 1).toBe(true);
      expect(model.predict(new Float32Array(0), 0)).toHaveLength(0);
    });

    it('reports the hyper-parameters it used: the caller’s merged over the defaults', () => {
      expect(model.params[seedKey]).toBe(7);
      for (const [key, value] of Object.entries(baseParams)) expect(model.params[key]).toBe(value);
      expect(Object.keys(model.params).length).toBeGreaterThan(Object.keys(baseParams).length + 1);
    });

    it('learns the signal: beats the best single feature on a holdout and comes near the true probabilities', () => {
      const scores = model.predict(holdout.features, holdout.nRows);
      const modelAuc = auc(scores, holdout.labels);
      const bestSingle = Math.max(...Array.from({ length: holdout.nFeatures }, (_, f) => {
        const column = Float64Array.from({ length: holdout.nRows }, (_, r) => holdout.features[r * holdout.nFeatures + f] as number);
        const a = auc(column, holdout.labels);
        return Math.max(a, 1 - a);
      }));
      const oracle = auc(holdout.truth, holdout.labels);
      expect(modelAuc).toBeGreaterThan(bestSingle + 0.05);
      expect(modelAuc).toBeGreaterThan(oracle - 0.05);
    });

    it('reports progress in [0, 1], never going back, ending at 1', () => {
      expect(progress.length).toBeGreaterThan(1);
      progress.forEach((p, i) => {
        expect(p.fraction).toBeGreaterThanOrEqual(i === 0 ? 0 : (progress[i - 1] as TrainingProgress).fraction);
        expect(p.fraction).toBeLessThanOrEqual(1);
        expect(p.stage).not.toBe('');
      });
      expect(progress.at(-1)?.fraction).toBe(1);
    });

    it('gives the same model for the same seed, and another for another seed', async () => {
      const again = await trainer.train(train, { ...baseParams, [seedKey]: 7 });
      expect(again.predict(holdout.features, holdout.nRows)).toEqual(model.predict(holdout.features, holdout.nRows));
      expect(Buffer.from(again.onnx).equals(Buffer.from(model.onnx))).toBe(true);
      const other = await trainer.train(train, { ...baseParams, [seedKey]: 8 });
      expect(other.predict(holdout.features, holdout.nRows)).not.toEqual(model.predict(holdout.features, holdout.nRows));
    }, timeout);

    it('ranks the rare class with 1 % actionable rows instead of scoring everything as noise', async () => {
      const rare = syntheticSet(RARE_TRAIN_ROWS + RARE_HOLDOUT_ROWS, { seed: 12, prevalence: RARE_PREVALENCE });
      const rareTrain = sliceSet(rare, 0, RARE_TRAIN_ROWS);
      const rareHoldout = sliceSet(rare, RARE_TRAIN_ROWS, RARE_TRAIN_ROWS + RARE_HOLDOUT_ROWS);
      const rareModel = await trainer.train(rareTrain, baseParams);
      const scores = rareModel.predict(rareHoldout.features, rareHoldout.nRows);
      expect(auc(scores, rareHoldout.labels)).toBeGreaterThan(0.8);
      // The top 1 % of scores must hold actionable rows several times as often as the base rate.
      const top = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, rareHoldout.nRows / 100);
      const topRate = top.reduce((sum, r) => sum + (rareHoldout.labels[r] as number), 0) / top.length;
      expect(topRate).toBeGreaterThan(5 * RARE_PREVALENCE);
      expect(Math.max(...scores)).toBeGreaterThan(5 * RARE_PREVALENCE);
    }, timeout);

    it.each([
      ['an unknown parameter', 'no_such_param', 1],
      ['a value out of range', outOfRange.key, outOfRange.value],
      ['a value that is not a finite number', outOfRange.key, Number.NaN],
    ])('refuses %s with HUSH_ERR_VALIDATION naming it', async (_case, key, value) => {
      const error = await trainer.train(train, { ...baseParams, [key]: value }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HushError);
      expect((error as HushError).code).toBe('HUSH_ERR_VALIDATION');
      expect((error as HushError).message).toContain(key);
    });
  });
}

function rowsOf(set: SyntheticSet): Float32Array[] {
  return Array.from({ length: set.nRows }, (_, r) => set.features.subarray(r * set.nFeatures, (r + 1) * set.nFeatures));
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
