import { describe, expect, it } from 'vitest';
import type { LabelledSet } from '../../workers/training/dataset.js';
import { CROSS_FIT_FOLDS, crossFittedLabelNoise, labelNoiseToCorrect } from '../../workers/training/cross-fitted-label-noise.js';
import type { Trainer } from '../../workers/training/trainer.js';
import { GbdtTrainer } from '../../workers/training/gbdt/gbdt-trainer.js';
import { prng } from '../helpers/prng.js';

const FAST = { n_estimators: 40, learning_rate: 0.2 };

/**
 * x0 uniform, truly actionable when x0 > 0.8; each label flipped with probability `flip` (both ways); x1 is
 * noise. With `signal` false the labels ignore the features: 30% actionable at random.
 */
function flippedSet(nRows: number, flip: number, signal = true): LabelledSet & { flipped: number; noise: number } {
  const random = prng(11);
  const features = new Float32Array(nRows * 2);
  const labels = new Uint8Array(nRows);
  let flipped = 0;
  let noise = 0;
  for (let r = 0; r < nRows; r++) {
    features[r * 2] = random();
    features[r * 2 + 1] = random();
    const actionable = signal ? (features[r * 2] as number) > 0.8 : random() < 0.3;
    const flip1 = random() < flip;
    if (!actionable) noise += 1;
    if (!actionable && flip1) flipped += 1;
    labels[r] = actionable !== flip1 ? 1 : 0;
  }
  const alertIds = Array.from({ length: nRows }, (_, r) => `a-${r}`);
  return { features, labels, nRows, nFeatures: 2, alertIds, services: alertIds.map(() => 'api'), eventTimes: Float64Array.from({ length: nRows }, (_, r) => r), flipped, noise };
}

describe('crossFittedLabelNoise', () => {
  it('reads the flip rate of noise alerts from out-of-fold scores, with progress per fold', async () => {
    const set = flippedSet(6000, 0.03);
    const stages: string[] = [];
    const estimate = await crossFittedLabelNoise(new GbdtTrainer(), set, FAST, (p) => stages.push(p.stage));
    const truth = set.flipped / set.noise;
    expect(truth).toBeGreaterThan(0.02);
    // 1,200 anchors with ~36 flipped labels: the binomial spread is about 0.005.
    expect(Math.abs(estimate.rate - truth)).toBeLessThan(0.015);
    expect(estimate).toMatchObject({ measured: estimate.rate, anchors: 1200, folds: CROSS_FIT_FOLDS });
    expect(estimate.anchorsActionable).toBe(Math.round(estimate.rate * 1200));
    expect(stages.some((s) => s.startsWith(`estimating label noise, fold ${CROSS_FIT_FOLDS}/${CROSS_FIT_FOLDS}`))).toBe(true);
  });

  it('corrects for nothing when the anchors hold more actionable labels than label noise explains', async () => {
    const estimate = await crossFittedLabelNoise(new GbdtTrainer(), flippedSet(3000, 0, false), FAST);
    expect(estimate.measured).toBe(0.05);
    expect(estimate.rate).toBe(0);
  });
});

describe('labelNoiseToCorrect', () => {
  it("takes the job's or the latest evaluation's rate without training, and cross-fits only when none is recorded", async () => {
    const set = flippedSet(3000, 0.03);
    let trainings = 0;
    const gbdt = new GbdtTrainer();
    const counting: Trainer = { family: 'gbdt', train: (...args) => ((trainings += 1), gbdt.train(...args)) };
    const promoted = { at: '2026-01-02T00:00:00.000Z', action: 'promote' as const, modelId: 'm1', previousModelId: '', reason: 'r', evidence: { labelNoise: { rate: 0.031, maxRate: 0.05 } } };
    expect(await labelNoiseToCorrect(counting, set, { ...FAST, label_noise: 0.02 }, [promoted])).toEqual({ rate: 0.02, source: 'params' });
    expect(await labelNoiseToCorrect(counting, set, FAST, [promoted])).toMatchObject({ rate: 0.031, source: 'evaluation' });
    expect(trainings).toBe(0);
    const measured = await labelNoiseToCorrect(counting, set, FAST, []);
    expect(measured).toMatchObject({ source: 'cross-fit', crossFit: { folds: CROSS_FIT_FOLDS } });
    expect(measured.rate).toBe(measured.crossFit?.rate);
    expect(trainings).toBe(CROSS_FIT_FOLDS);
  });
});
