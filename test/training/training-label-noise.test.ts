import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { trainingLabelNoise } from '../../workers/training/training-label-noise.js';

const noise = (rate: number, maxRate = 0.05): Record<string, unknown> => ({ rate, lower: rate / 2, upper: maxRate, anchors: 800, anchorsActionable: Math.round(800 * rate), maxRate, confidence: 0.95 });
let clock = Date.UTC(2026, 10, 1);
const event = (action: ModelEvent['action'], modelId: string, evidence: Record<string, unknown>): ModelEvent => {
  clock += 3_600_000;
  return { at: new Date(clock).toISOString(), action, modelId, previousModelId: '', reason: 'test', evidence };
};

describe('label noise of a training', () => {
  it('is 0 at cold start, and while no evaluation has recorded an estimate', () => {
    expect(trainingLabelNoise({}, [])).toEqual({ rate: 0, source: 'none' });
    const history = [event('register', 'noise-v1-gbdt', {}), event('reject', 'noise-v1-gbdt', { rule: 'artifact' }), event('recertify', 'noise-v1-gbdt', { recertification: { certified: false, alerts: 12 } })];
    expect(trainingLabelNoise({ n_estimators: 50 }, history)).toEqual({ rate: 0, source: 'none' });
  });

  it("is the newest evaluation's point estimate, from a promotion, a rejection or a re-certification", () => {
    const promote = event('promote', 'noise-v1-gbdt', { labelNoise: noise(0.031) });
    expect(trainingLabelNoise({}, [promote])).toEqual({ rate: 0.031, source: 'evaluation', event: { action: 'promote', at: promote.at, modelId: 'noise-v1-gbdt' } });
    const reject = event('reject', 'noise-v2-gbdt', { labelNoise: noise(0.042), recertified: { modelId: 'noise-v1-gbdt', labelNoise: noise(0.02) } });
    expect(trainingLabelNoise({}, [promote, reject, event('register', 'noise-v3-gbdt', {})])).toMatchObject({ rate: 0.042, event: { action: 'reject' } });
    const recertified = event('recertify', 'noise-v1-gbdt', { recertified: { modelId: 'noise-v1-gbdt', labelNoise: noise(0.036) } });
    expect(trainingLabelNoise({}, [promote, reject, recertified])).toMatchObject({ rate: 0.036, event: { action: 'recertify', at: recertified.at } });
    const notCertified = event('recertify', 'noise-v1-gbdt', { recertification: { certified: false, labelNoise: noise(0.038) } });
    expect(trainingLabelNoise({}, [promote, reject, recertified, notCertified])).toMatchObject({ rate: 0.038, source: 'evaluation' });
  });

  it('leaves a job that sets label_noise alone, 0 included', () => {
    const history = [event('promote', 'noise-v1-gbdt', { labelNoise: noise(0.04) })];
    expect(trainingLabelNoise({ label_noise: 0.01 }, history)).toEqual({ rate: 0.01, source: 'params' });
    expect(trainingLabelNoise({ label_noise: 0 }, history)).toEqual({ rate: 0, source: 'params' });
  });

  it('passes over an estimate cut to its cap: model error as much as label noise, not a point estimate', () => {
    // The first evaluation scores only a challenger trained on a few days: its anchors hold its ranking errors.
    const capped = event('promote', 'noise-v1-gbdt', { labelNoise: noise(0.05) });
    expect(trainingLabelNoise({}, [capped])).toEqual({ rate: 0, source: 'none' });
    const measured = event('reject', 'noise-v2-gbdt', { labelNoise: noise(0.033) });
    expect(trainingLabelNoise({}, [measured, capped, event('recertify', 'noise-v1-gbdt', { recertified: { modelId: 'noise-v1-gbdt', labelNoise: noise(0.05) } })])).toMatchObject({ rate: 0.033, event: { action: 'reject' } });
  });

  it('cuts an estimate above what the trees accept to 0.2, and skips one that is not a rate', () => {
    const history = [event('promote', 'noise-v1-gbdt', { labelNoise: noise(0.3, 0.5) })];
    expect(trainingLabelNoise({}, history)).toMatchObject({ rate: 0.2, source: 'evaluation' });
    history.push(event('reject', 'noise-v2-gbdt', { labelNoise: { rate: 'high' } }), event('rollback', 'noise-v1-gbdt', { labelNoise: { rate: -1 } }));
    expect(trainingLabelNoise({}, history)).toMatchObject({ rate: 0.2, event: { action: 'promote' } });
  });
});
