import { describe, expect, it } from 'vitest';
import { RECERTIFIED_EVIDENCE_KEY, servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';

const labelNoise = { rate: 0.03, lower: 0.02, upper: 0.04, anchors: 2000, anchorsActionable: 60, maxRate: 0.05, confidence: 0.95 };
const event = (at: string, action: ModelEvent['action'], modelId: string, evidence: Record<string, unknown> = {}): ModelEvent =>
  ({ at, action, modelId, previousModelId: '', reason: 'test', evidence });
const dailySpread = { days: 9, sd: 0.04 };
const promote = event('2026-01-01T00:00:00.000Z', 'promote', 'm1', { challenger: { noiseReduction: 0.17, fnr: 0.001, dailySpread }, labelNoise });

describe('serving baseline (what the live figures are judged against)', () => {
  it('is the promotion\'s figure at the thresholds the model was promoted with', () => {
    expect(servingBaseline([promote], 'm1')).toEqual({ noiseReduction: 0.17, fnr: 0.001, labelNoise, dailySpread, source: 'promotion', at: promote.at });
  });

  it('is a later re-certification of the model\'s thresholds, when an evaluation kept it', () => {
    const kept = event('2026-01-03T00:00:00.000Z', 'reject', 'm2', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm1', noiseReduction: 0.11, fnr: 0.002, labelNoise: { ...labelNoise, rate: 0.025 }, dailySpread: null } });
    expect(servingBaseline([promote, kept], 'm1')).toEqual({ noiseReduction: 0.11, fnr: 0.002, labelNoise: { ...labelNoise, rate: 0.025 }, dailySpread: null, source: 're-certification', at: kept.at });
  });

  it('is a later scheduled re-certification of the model\'s thresholds', () => {
    const kept = event('2026-01-03T00:00:00.000Z', 'reject', 'm2', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm1', noiseReduction: 0.11, fnr: 0.002 } });
    const recertified = event('2026-01-10T00:00:00.000Z', 'recertify', 'm1', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm1', noiseReduction: 0.14, fnr: 0.001, labelNoise, dailySpread } });
    expect(servingBaseline([promote, kept, recertified], 'm1')).toEqual({ noiseReduction: 0.14, fnr: 0.001, labelNoise, dailySpread, source: 're-certification', at: recertified.at });
    const ofAnother = event('2026-01-11T00:00:00.000Z', 'recertify', 'm0', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm0', noiseReduction: 0.3 } });
    expect(servingBaseline([promote, recertified, ofAnother], 'm1')).toMatchObject({ noiseReduction: 0.14, at: recertified.at });
  });

  it('ignores rejections that did not re-certify the model, and other models\' events', () => {
    const plain = event('2026-01-03T00:00:00.000Z', 'reject', 'm2', { champion: { noiseReduction: 0.11 } });
    const other = event('2026-01-04T00:00:00.000Z', 'reject', 'm3', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm0', noiseReduction: 0.3 } });
    const rollback = event('2026-01-05T00:00:00.000Z', 'rollback', 'm1', { live: { noiseReduction: 0.01 } });
    expect(servingBaseline([promote, plain, other, rollback], 'm1')).toMatchObject({ noiseReduction: 0.17, source: 'promotion' });
  });

  it('is null for a model promoted without evidence, and drops a malformed label-noise estimate or daily spread', () => {
    expect(servingBaseline([event(promote.at, 'promote', 'm1')], 'm1')).toBeNull();
    expect(servingBaseline([], 'm1')).toBeNull();
    expect(servingBaseline([{ ...promote, evidence: { challenger: { noiseReduction: 0.17, dailySpread: { days: 2, sd: 0.1 } }, labelNoise: { rate: 0.03 } } }], 'm1')).toEqual({ noiseReduction: 0.17, fnr: null, labelNoise: null, dailySpread: null, source: 'promotion', at: promote.at });
  });
});
