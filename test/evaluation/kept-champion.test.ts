import { describe, expect, it } from 'vitest';
import { TENANT_WIDE_SERVICE } from '../../shared/models/threshold-store.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';
import { judgeChallenger } from '../../workers/evaluation/judge.js';
import { keptChampionThresholds } from '../../workers/evaluation/kept-champion.js';
import type { LabelledSet } from '../../workers/training/dataset.js';
import { dailySpread } from '../../shared/evaluation/daily-spread.js';
import { seededRandom } from './labelled-alerts.js';

/** `actionable` alerts then `noise` alerts of one service, with a model that ranks them apart (overlap 0.5–0.6) and one that scores at random. */
function evaluationSet(actionable: number, noise: number, spacingMs = 1) {
  const random = seededRandom(7);
  const n = actionable + noise;
  const set: LabelledSet = {
    features: new Float32Array(n), labels: Uint8Array.from({ length: n }, (_, i) => (i < actionable ? 1 : 0)), nRows: n, nFeatures: 1,
    alertIds: Array.from({ length: n }, (_, i) => `a${i}`), services: Array.from({ length: n }, () => 'api'), eventTimes: Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) * spacingMs),
  };
  const ranking = Float32Array.from({ length: n }, (_, i) => (i < actionable ? 0.5 + 0.5 * random() : 0.6 * random()));
  const noiseOnly = Float32Array.from({ length: n }, () => random());
  return { set, ranking, noiseOnly };
}

describe('a kept champion\'s thresholds', () => {
  it('are the ones it was judged with, re-certified on the evaluation alerts, with the figures the comparison measured', () => {
    const { set, ranking, noiseOnly } = evaluationSet(1500, 4500);
    const verdict = judgeChallenger({ tune: ranking, test: ranking }, { tune: noiseOnly, test: noiseOnly }, set, set, DEFAULT_EVALUATION_POLICY);
    expect(verdict.promote).toBe(false);
    expect(verdict.champion?.decision).toMatchObject({ certified: true, rule: 'certified' });
    const kept = keptChampionThresholds(verdict, 'champion-1');
    const tenantWide = kept?.thresholds.get(TENANT_WIDE_SERVICE) as number;
    expect(tenantWide).toBeGreaterThan(0.3);
    expect(kept?.thresholds).toBe(verdict.champion?.thresholds);
    const compared = (verdict.evidence.champion as { noiseReduction: number }).noiseReduction;
    expect(compared).toBeGreaterThan(0.3);
    expect(kept?.evidence.recertified).toMatchObject({ modelId: 'champion-1', noiseReduction: compared, actionable: 1500, alerts: 6000 });
    expect(kept?.evidence.recertified.fnrUpper).toBeLessThanOrEqual(0.01);
  });

  it('carry how their noise reduction varied between the evaluation days, as does a promoted challenger\'s figure', () => {
    // 6,000 alerts over about six days, in shuffled order.
    const { set, ranking, noiseOnly } = evaluationSet(1500, 4500, 86_400_000 / 1000);
    const kept = judgeChallenger({ tune: ranking, test: ranking }, { tune: noiseOnly, test: noiseOnly }, set, set, DEFAULT_EVALUATION_POLICY);
    const served = kept.champion?.thresholds.get(TENANT_WIDE_SERVICE) as number;
    const expected = dailySpread(set.eventTimes, (i) => (ranking[i] as number) < served);
    expect(expected?.days).toBe(6);
    expect(kept.champion?.dailySpread).toEqual(expected);
    expect(keptChampionThresholds(kept, 'champion-1')?.evidence.recertified.dailySpread).toEqual(expected);
    const promoted = judgeChallenger({ tune: noiseOnly, test: noiseOnly }, { tune: ranking, test: ranking }, set, set, DEFAULT_EVALUATION_POLICY);
    expect(promoted.promote).toBe(true);
    expect((promoted.evidence.challenger as { dailySpread: unknown }).dailySpread).toEqual(expected);
  });

  it('stay as they are when the challenger is promoted, when there was no champion, or when the FNR cannot be bounded', () => {
    const { set, ranking, noiseOnly } = evaluationSet(1500, 4500);
    const promoted = judgeChallenger({ tune: noiseOnly, test: noiseOnly }, { tune: ranking, test: ranking }, set, set, DEFAULT_EVALUATION_POLICY);
    expect(promoted.promote).toBe(true);
    expect(keptChampionThresholds(promoted, 'champion-1')).toBeNull();
    const coldStart = judgeChallenger({ tune: null, test: null }, { tune: noiseOnly, test: noiseOnly }, set, set, DEFAULT_EVALUATION_POLICY);
    expect(coldStart).toMatchObject({ promote: false, champion: null });
    const few = evaluationSet(200, 4500);
    const uncertified = judgeChallenger({ tune: few.ranking, test: few.ranking }, { tune: few.noiseOnly, test: few.noiseOnly }, few.set, few.set, DEFAULT_EVALUATION_POLICY);
    expect(uncertified.champion?.decision).toMatchObject({ certified: false, rule: 'too-few-actionable' });
    expect(keptChampionThresholds(uncertified, 'champion-1')).toBeNull();
  });
});
