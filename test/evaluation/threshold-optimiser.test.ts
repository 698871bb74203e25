import { describe, expect, it } from 'vitest';
import {
  clopperPearsonUpper,
  correctedFnr,
  isSuppressed,
  mostMissesWithinTarget,
  optimiseTenantThresholds,
  optimiseThreshold,
} from '../../shared/evaluation/index.js';
import { labelledAlerts, seededRandom } from './labelled-alerts.js';

/** 1,200 actionable alerts scored mostly high with a tail reaching low, 8,800 noise alerts scored mostly low. */
function overlapping(seed: number): { scores: Float64Array; labels: Uint8Array } {
  const random = seededRandom(seed);
  return labelledAlerts(1_200, 8_800, () => random() ** 0.3, () => random() ** 3);
}

/** Misses and the FNR upper bound at `threshold`, recounted independently of the optimiser. */
function recount(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): { missed: number; actionable: number; suppressed: number } {
  let missed = 0;
  let actionable = 0;
  let suppressed = 0;
  for (let i = 0; i < scores.length; i++) {
    const hidden = isSuppressed(scores[i] as number, threshold);
    if (hidden) suppressed++;
    if (labels[i] === 1) {
      actionable++;
      if (hidden) missed++;
    }
  }
  return { missed, actionable, suppressed };
}

describe('optimiseThreshold', () => {
  it('respects the FNR bound on the data it chose from, and no larger candidate does', () => {
    for (const seed of [1, 2, 3]) {
      const { scores, labels } = overlapping(seed);
      const decision = optimiseThreshold({ scores, labels });
      expect(decision.reason).toBe('optimised');
      const at = recount(scores, labels, decision.threshold);
      expect(clopperPearsonUpper(at.missed, at.actionable)).toBeLessThanOrEqual(0.01);
      expect(decision.evidence).toMatchObject({ missed: at.missed, suppressed: at.suppressed, actionable: 1_200 });
      expect(at.suppressed).toBeGreaterThan(5_000);
      // The next distinct score would suppress one more actionable alert than the bound allows.
      const next = Math.min(...Array.from(scores).filter((s) => s > decision.threshold));
      const beyond = recount(scores, labels, next);
      expect(clopperPearsonUpper(beyond.missed, beyond.actionable)).toBeGreaterThan(0.01);
    }
  });

  it('chooses a threshold that is one of the scores, and notifies the alert scored exactly at it', () => {
    const { scores, labels } = overlapping(4);
    const decision = optimiseThreshold({ scores, labels });
    const index = Array.from(scores).indexOf(decision.threshold);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(labels[index]).toBe(1);
    expect(isSuppressed(scores[index] as number, decision.threshold)).toBe(false);
  });

  it('suppresses more as the target loosens, never less', () => {
    const { scores, labels } = overlapping(5);
    let previous = -Infinity;
    let previousSuppressed = -1;
    for (const fnrTarget of [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]) {
      const decision = optimiseThreshold({ scores, labels }, { fnrTarget });
      expect(decision.reason).toBe('optimised');
      expect(decision.threshold).toBeGreaterThanOrEqual(previous);
      expect(decision.evidence!.suppressed).toBeGreaterThanOrEqual(previousSuppressed);
      expect(decision.evidence!.fnrUpper).toBeLessThanOrEqual(fnrTarget);
      previous = decision.threshold;
      previousSuppressed = decision.evidence!.suppressed;
    }
  });

  it('holds its threshold well above a single actionable label on a score-0.001 alert', () => {
    // 2,000 alerts: 1,500 noise below 0.55, 499 actionable above 0.6 and one "actionable" at 0.001 (a flipped label).
    const random = seededRandom(6);
    const { scores, labels } = labelledAlerts(500, 1_500, (i) => (i === 0 ? 0.001 : 0.6 + 0.4 * random()), () => 0.55 * random());
    const decision = optimiseThreshold({ scores, labels });
    expect(decision.reason).toBe('optimised');
    expect(decision.evidence!.allowedMisses).toBe(1);
    expect(decision.threshold).toBeGreaterThan(0.6);
    expect(decision.evidence).toMatchObject({ missed: 1, suppressed: 1_501 });
  });

  it('needs room for one miss: with a bound that allows none, one flipped label would drag the threshold to 0.001', () => {
    // 400 actionable: the 95% bound allows 0 misses (1 needs 473), so the lowest actionable score would rule.
    const random = seededRandom(7);
    const { scores, labels } = labelledAlerts(400, 1_600, (i) => (i === 0 ? 0.001 : 0.6 + 0.4 * random()), () => 0.55 * random());
    expect(mostMissesWithinTarget(400, 0.01)).toBe(0);
    const bareBound = optimiseThreshold({ scores, labels }, { mislabelTolerance: 0 });
    expect(bareBound).toMatchObject({ reason: 'optimised', threshold: 0.001 });
    const guarded = optimiseThreshold({ scores, labels, fallback: 0.3 });
    expect(guarded).toMatchObject({ reason: 'too-few-actionable', threshold: 0.3 });
    expect(guarded.evidence!.minActionable).toBe(473);
  });

  it('falls back with too few labels: to the given fallback, else to notifying everything', () => {
    const random = seededRandom(8);
    const { scores, labels } = labelledAlerts(20, 130, () => 0.6 + 0.4 * random(), () => 0.5 * random());
    const none = optimiseThreshold({ scores, labels });
    expect(none).toMatchObject({ reason: 'too-few-labels', threshold: 0 });
    expect(none.evidence!.suppressed).toBe(0);
    expect(optimiseThreshold({ scores, labels, fallback: 0.2 })).toMatchObject({ reason: 'too-few-labels', threshold: 0.2 });
    expect(optimiseThreshold({ scores: [], labels: [] })).toMatchObject({ reason: 'too-few-labels', threshold: 0 });
  });

  it('falls back with enough labels but too few actionable ones', () => {
    const random = seededRandom(9);
    const { scores, labels } = labelledAlerts(100, 5_000, () => 0.6 + 0.4 * random(), () => 0.5 * random());
    const decision = optimiseThreshold({ scores, labels, fallback: 0.1 });
    expect(decision).toMatchObject({ reason: 'too-few-actionable', threshold: 0.1 });
    expect(decision.detail).toMatch(/only 100 labelled actionable alerts/);
  });

  it('under label noise, stops at the first candidate whose bound exceeds the target, though a later one is within it', () => {
    // 10,000 alerts scored i/n; 2,000 actionable labels at the top and a burst of 40 among ranks 100–199.
    const n = 10_000;
    const scores = Float64Array.from({ length: n }, (_, i) => i / n);
    const labels = Uint8Array.from({ length: n }, (_, i) => (i >= n - 2_000 || (i >= 100 && i < 200 && i % 5 < 2) ? 1 : 0));
    const labelNoise = { rate: 0.03, lower: 0.03, upper: 0.03, anchors: 0, anchorsActionable: 0, maxRate: 0.05, confidence: 0.95 };
    const decision = optimiseThreshold({ scores, labels }, { labelNoise });
    const bound = (suppressed: number) => correctedFnr({ alerts: n, suppressed, actionable: 2_040, missed: Math.min(Math.max(suppressed - 100, 0), 100) * 0.4 }, labelNoise).upper;
    expect(bound(200)).toBeGreaterThan(0.01);
    expect(bound(3_000)).toBeLessThanOrEqual(0.01);
    // Choosing the largest candidate within target would take 3,000 or more; the fixed sequence stopped at 2%.
    expect(decision.threshold).toBe(scores[100]);
  });

  it('returns a pinned threshold unchanged and untouched by the labels', () => {
    const { scores, labels } = overlapping(10);
    expect(optimiseThreshold({ scores, labels, pinned: 0.37 })).toEqual({ threshold: 0.37, reason: 'pinned', detail: 'pinned manually at 0.37' });
    expect(optimiseThreshold({ scores: [], labels: [], pinned: 0.9 })).toMatchObject({ threshold: 0.9, reason: 'pinned' });
  });

  it.each([
    ['mismatched lengths', { scores: [0.1, 0.2], labels: [0] }, {}],
    ['a NaN score', { scores: [0.1, Number.NaN], labels: [0, 1] }, {}],
    ['a label that is neither 0 nor 1', { scores: [0.1, 0.2], labels: [0, 3] }, {}],
    ['a NaN pinned threshold', { scores: [], labels: [], pinned: Number.NaN }, {}],
    ['target 0', { scores: [0.1], labels: [0] }, { fnrTarget: 0 }],
    ['target 1', { scores: [0.1], labels: [0] }, { fnrTarget: 1 }],
    ['target 1.2', { scores: [0.1], labels: [0] }, { fnrTarget: 1.2 }],
    ['a fractional minLabels', { scores: [0.1], labels: [0] }, { minLabels: 1.5 }],
    ['sequenceStep 0', { scores: [0.1], labels: [0] }, { sequenceStep: 0 }],
  ])('rejects %s with HUSH_ERR_VALIDATION', (_name, input, options) => {
    expect(() => optimiseThreshold(input, options)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});

describe('mostMissesWithinTarget', () => {
  it('is the largest miss count whose bound stays within target', () => {
    for (const n of [299, 473, 1_000, 20_000]) {
      const k = mostMissesWithinTarget(n, 0.01);
      expect(clopperPearsonUpper(k, n)).toBeLessThanOrEqual(0.01);
      expect(clopperPearsonUpper(k + 1, n)).toBeGreaterThan(0.01);
    }
    expect(mostMissesWithinTarget(298, 0.01)).toBe(-1);
    expect(mostMissesWithinTarget(0, 0.01)).toBe(-1);
  });
});

describe('optimiseTenantThresholds', () => {
  it('optimises services with enough labels, falls back to the tenant-wide optimum for the rest, keeps pinned ones', () => {
    const random = seededRandom(11);
    const big = labelledAlerts(800, 4_000, () => 0.5 + 0.5 * random(), () => 0.6 * random());
    const small = labelledAlerts(10, 90, () => 0.5 + 0.5 * random(), () => 0.6 * random());
    const pinned = labelledAlerts(300, 300, () => 0.5 + 0.5 * random(), () => 0.6 * random());
    const result = optimiseTenantThresholds({ api: big, batch: small, db: { ...pinned, pinned: 0.05 } });
    expect(result.tenant.reason).toBe('optimised');
    expect(result.tenant.evidence!.labels).toBe(5_500);
    expect(result.services.api!.reason).toBe('optimised');
    expect(result.services.batch).toMatchObject({ reason: 'too-few-labels', threshold: result.tenant.threshold });
    expect(result.services.db).toMatchObject({ reason: 'pinned', threshold: 0.05 });
  });
});
