import { describe, expect, it } from 'vitest';
import { comparePaired, decidePromotion, decideRollback, type PairedComparison } from '../../shared/evaluation/index.js';
import { seededRandom } from './labelled-alerts.js';

interface World {
  actionable?: number;
  noise?: number;
  /** The challenger's noise score from the champion's (the same alert, so the errors correlate). */
  challengerNoise?: (championScore: number, i: number) => number;
  /** Share of actionable alerts the challenger scores 0.1 (misses at threshold 0.5). */
  challengerMissShare?: number;
}

/** Both models on the same labelled alerts at threshold 0.5; the champion suppresses about half the noise and no actionable alert. */
function compare(seed: number, world: World = {}): PairedComparison {
  const { actionable = 600, noise = 5_400, challengerNoise = (u: number) => u, challengerMissShare = 0 } = world;
  const random = seededRandom(seed);
  const n = actionable + noise;
  const labels = new Uint8Array(n);
  const championScores = new Float64Array(n);
  const challengerScores = new Float64Array(n);
  for (let i = 0; i < actionable; i++) {
    labels[i] = 1;
    championScores[i] = 0.6 + 0.4 * random();
    challengerScores[i] = i < Math.round(challengerMissShare * actionable) ? 0.1 : 0.6 + 0.4 * random();
  }
  for (let j = 0; j < noise; j++) {
    const u = random();
    championScores[actionable + j] = u;
    challengerScores[actionable + j] = challengerNoise(u, j);
  }
  return comparePaired({ labels, championScores, challengerScores, championThreshold: 0.5, challengerThreshold: 0.5 });
}

describe('decidePromotion', () => {
  it('promotes a challenger that suppresses more noise with its FNR bound within target', () => {
    const decision = decidePromotion(compare(1, { challengerNoise: (u) => u * u }));
    expect(decision.rule).toBe('promote');
    expect(decision.promote).toBe(true);
    expect(decision.evidence.challenger.fnrUpper).toBeLessThanOrEqual(0.01);
    expect(decision.evidence.noiseReductionGain).toBeGreaterThan(0.15);
    expect(decision.evidence.noiseMcNemar.p).toBeLessThan(1e-10);
    expect(decision.reason).toMatch(/more alerts/);
  });

  it('never promotes a challenger that hides actionable alerts, however much noise it removes', () => {
    const decision = decidePromotion(compare(2, { challengerNoise: () => 0, challengerMissShare: 0.02 }));
    expect(decision).toMatchObject({ promote: false, rule: 'fnr-bound-above-target' });
    expect(decision.evidence.challenger.missed).toBe(12);
    expect(decision.evidence.challenger.noiseReduction).toBeGreaterThan(0.9);
  });

  it('never promotes a worse challenger, on any seed', () => {
    for (let seed = 10; seed < 30; seed++) {
      const fewerSuppressed = decidePromotion(compare(seed, { challengerNoise: (u) => Math.sqrt(u) }));
      expect(fewerSuppressed).toMatchObject({ promote: false, rule: 'no-noise-gain' });
      const moreMisses = decidePromotion(compare(seed, { challengerNoise: (u) => u * u, challengerMissShare: 0.015 }));
      expect(moreMisses).toMatchObject({ promote: false, rule: 'fnr-bound-above-target' });
    }
  });

  it('never promotes with fewer than 300 labelled actionable alerts', () => {
    const decision = decidePromotion(compare(3, { actionable: 250, challengerNoise: (u) => u * u }));
    expect(decision).toMatchObject({ promote: false, rule: 'too-few-actionable' });
    expect(decision.evidence.minActionable).toBe(300);
    expect(decidePromotion(compare(3, { actionable: 250, challengerNoise: (u) => u * u }), { minActionable: 200, fnrTarget: 0.02 }).promote).toBe(true);
  });

  it('does not promote a gain below the minimum, nor a gain the sample can explain', () => {
    // The challenger suppresses three more noise alerts than the champion: a 0.05% gain, McNemar p = 1/8.
    let flipped = 0;
    const tiny = compare(4, { challengerNoise: (u) => (u >= 0.5 && flipped < 3 ? (flipped++, 0) : u) });
    expect(tiny.noiseSuppressed).toMatchObject({ championOnly: 0, challengerOnly: 3 });
    expect(tiny.noiseSuppressed.pChallengerMore).toBe(1 / 8);
    expect(decidePromotion(tiny)).toMatchObject({ promote: false, rule: 'gain-below-minimum' });
    const noMinimum = decidePromotion(tiny, { minGain: 0 });
    expect(noMinimum).toMatchObject({ promote: false, rule: 'gain-not-significant' });
    expect(noMinimum.evidence.noiseMcNemar.p).toBeGreaterThanOrEqual(0.05);
  });

  it('records its evidence as plain JSON', () => {
    const decision = decidePromotion(compare(5, { challengerNoise: (u) => u * u }));
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
    expect(decision.evidence).toMatchObject({ alerts: 6_000, actionable: 600, fnrTarget: 0.01, confidence: 0.95, alpha: 0.05, minGain: 0.01 });
  });

  it.each([
    ['fnrTarget 0', { fnrTarget: 0 }],
    ['fnrTarget 1.5', { fnrTarget: 1.5 }],
    ['alpha 1', { alpha: 1 }],
    ['minGain −0.1', { minGain: -0.1 }],
    ['minActionable 2.5', { minActionable: 2.5 }],
  ])('rejects %s with HUSH_ERR_VALIDATION', (_name, policy) => {
    expect(() => decidePromotion(compare(6), policy)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});

describe('decideRollback', () => {
  const reference = { noiseReduction: 0.7, fnr: 0.004 };

  it('rolls back a champion whose noise reduction dropped well over 10%', () => {
    const decision = decideRollback({ alerts: 10_000, suppressed: 5_800, actionable: 400, missed: 1 }, reference);
    expect(decision).toMatchObject({ rollback: true, rule: 'noise-reduction-degraded' });
    expect(decision.evidence.relativeDrop).toBeCloseTo(0.1714, 3);
    expect(decision.evidence.live.noiseReductionUpper).toBeLessThanOrEqual(0.63);
  });

  it('rolls back a champion whose live FNR is above target with confidence', () => {
    const decision = decideRollback({ alerts: 10_000, suppressed: 7_000, actionable: 300, missed: 12 }, reference);
    expect(decision).toMatchObject({ rollback: true, rule: 'live-fnr-above-target' });
    expect(decision.evidence.live.fnrLower).toBeGreaterThan(0.01);
  });

  it('checks the FNR even on a window too small for the noise-reduction rule', () => {
    expect(decideRollback({ alerts: 150, suppressed: 100, actionable: 20, missed: 8 }, reference).rule).toBe('live-fnr-above-target');
    expect(decideRollback({ alerts: 150, suppressed: 30, actionable: 20, missed: 0 }, reference)).toMatchObject({
      rollback: false,
      rule: 'too-few-live-alerts',
    });
  });

  it('keeps a noisy but fine champion: FNR point estimate above target, small dip in noise reduction', () => {
    const decision = decideRollback({ alerts: 10_000, suppressed: 6_700, actionable: 200, missed: 3 }, reference);
    expect(decision.evidence.live.fnr).toBeGreaterThan(0.01);
    expect(decision).toMatchObject({ rollback: false, rule: 'healthy' });
  });

  it('keeps a champion whose one miss among few labels may be a mislabel', () => {
    expect(decideRollback({ alerts: 2_000, suppressed: 1_400, actionable: 40, missed: 1 }, reference).rollback).toBe(false);
  });

  it('keeps a champion whose 11% dip the window cannot distinguish from 10%', () => {
    const decision = decideRollback({ alerts: 300, suppressed: 186, actionable: 30, missed: 0 }, reference);
    expect(decision.evidence.relativeDrop).toBeGreaterThan(0.1);
    expect(decision).toMatchObject({ rollback: false, rule: 'healthy' });
  });

  it("judges one day's drop against the reference's day-to-day spread, a sustained one by the sampling error", () => {
    // 58% live on one day against 70%, daily spread 6 points over 12 days: 58% + t(0.95, 11) × 6% ×
    // √(1 + 1/12) ≈ 69.2% is above the 63% floor; 57.5% over seven days, + 1.796 × 6% × √(1/7 + 1/12)
    // ≈ 62.6%, is below it.
    const spread = { ...reference, dailySpread: { days: 12, sd: 0.06 } };
    const oneDay = decideRollback({ alerts: 10_000, suppressed: 5_800, actionable: 400, missed: 1, days: 1 }, spread);
    expect(oneDay).toMatchObject({ rollback: false, rule: 'healthy' });
    expect(oneDay.evidence.live.noiseReductionUpper).toBeCloseTo(0.58 + 1.7958848 * 0.06 * Math.sqrt(1 + 1 / 12), 6);
    expect(oneDay.reason).toContain('daily spread 6.00% over 1 live day(s)');
    // Not saying how many days the decisions span counts them as one: the widest bound.
    expect(decideRollback({ alerts: 10_000, suppressed: 5_800, actionable: 400, missed: 1 }, spread).rollback).toBe(false);
    const week = decideRollback({ alerts: 70_000, suppressed: 40_250, actionable: 2_800, missed: 7, days: 7 }, spread);
    expect(week).toMatchObject({ rollback: true, rule: 'noise-reduction-degraded' });
    expect(week.evidence.reference.dailySpread).toEqual({ days: 12, sd: 0.06 });
  });

  it('never rolls back on noise reduction against a reference of 0', () => {
    expect(decideRollback({ alerts: 1_000, suppressed: 0, actionable: 100, missed: 0 }, { noiseReduction: 0 }).rollback).toBe(false);
  });

  it.each([
    ['suppressed above alerts', { alerts: 10, suppressed: 11, actionable: 1, missed: 0 }, reference],
    ['missed above actionable', { alerts: 10, suppressed: 5, actionable: 1, missed: 2 }, reference],
    ['actionable above alerts', { alerts: 10, suppressed: 5, actionable: 11, missed: 0 }, reference],
    ['a NaN count', { alerts: Number.NaN, suppressed: 5, actionable: 1, missed: 0 }, reference],
    ['a reference above 1', { alerts: 10, suppressed: 5, actionable: 1, missed: 0 }, { noiseReduction: 1.2 }],
  ])('rejects %s with HUSH_ERR_VALIDATION', (_name, live, ref) => {
    expect(() => decideRollback(live, ref)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });

  it('rejects a target outside (0, 1)', () => {
    expect(() => decideRollback({ alerts: 10, suppressed: 5, actionable: 1, missed: 0 }, reference, { fnrTarget: 1 })).toThrow(
      expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }),
    );
  });
});
