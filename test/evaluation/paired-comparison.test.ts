import { describe, expect, it } from 'vitest';
import { clopperPearsonUpper, comparePaired, isSuppressed, modelFigures, normalQuantile } from '../../shared/evaluation/index.js';

// Ten labelled alerts; thresholds 0.5 for both models.
//            a    a    a    a    n    n    n    n    n    n
const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const champion = [0.9, 0.4, 0.6, 0.8, 0.2, 0.7, 0.6, 0.3, 0.9, 0.1];
const challenger = [0.9, 0.6, 0.3, 0.2, 0.1, 0.2, 0.4, 0.3, 0.8, 0.6];
// actionable: champion misses #1; challenger misses #2 and #3      → championOnly 1, challengerOnly 2
// noise: champion suppresses #4 #7 #9; challenger #4 #5 #6 #7      → championOnly 1 (#9), challengerOnly 2 (#5, #6)

describe('paired comparison of champion and challenger', () => {
  it('counts discordant pairs for actionable and noise alerts separately', () => {
    const c = comparePaired({ labels, championScores: champion, challengerScores: challenger, championThreshold: 0.5, challengerThreshold: 0.5 });
    expect(c).toMatchObject({ alerts: 10, actionable: 4, noise: 6, confidence: 0.95 });
    expect(c.actionableSuppressed).toMatchObject({ championOnly: 1, challengerOnly: 2, discordant: 3 });
    expect(c.noiseSuppressed).toMatchObject({ championOnly: 1, challengerOnly: 2, discordant: 3 });
  });

  it("reports each model's noise reduction, FNR with its Clopper–Pearson upper bound and notify precision", () => {
    const c = comparePaired({ labels, championScores: champion, challengerScores: challenger, championThreshold: 0.5, challengerThreshold: 0.5 });
    expect(c.champion).toMatchObject({ suppressed: 4, noiseReduction: 0.4, missed: 1, fnr: 0.25, notified: 6, notifiedActionable: 3, notifyPrecision: 0.5 });
    expect(c.challenger).toMatchObject({ suppressed: 6, noiseReduction: 0.6, missed: 2, fnr: 0.5, notified: 4, notifiedActionable: 2, notifyPrecision: 0.5 });
    expect(c.champion.fnrUpper).toBe(clopperPearsonUpper(1, 4));
    expect(c.challenger.fnrUpper).toBe(clopperPearsonUpper(2, 4));
    expect(c.champion).toEqual(modelFigures(champion, labels, 0.5));
  });

  it("suppresses exactly when the scoring worker would not notify (score < threshold)", () => {
    expect(isSuppressed(0.5, 0.5)).toBe(false);
    expect(isSuppressed(0.4999, 0.5)).toBe(true);
    const figures = modelFigures([0.5, 0.5], [0, 0], 0.5);
    expect(figures.suppressed).toBe(0);
    expect(figures.notifyPrecision).toBe(0);
  });

  it('takes a threshold per alert (per-service thresholds)', () => {
    const perRow = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.95, 0.5];
    const c = comparePaired({ labels, championScores: champion, challengerScores: challenger, championThreshold: 0.5, challengerThreshold: perRow });
    expect(c.challenger.suppressed).toBe(7);
    expect(c.noiseSuppressed).toMatchObject({ championOnly: 1, challengerOnly: 3 });
  });

  it('detects a consistent gain on the same alerts that two independent proportions would miss', () => {
    // 5,000 noise alerts: both models suppress the same 2,500, the challenger 60 more and never fewer.
    const n = 5_000;
    const labels0 = new Uint8Array(n);
    const championScores = Float64Array.from({ length: n }, (_, i) => (i < 2_500 ? 0.1 : 0.9));
    const challengerScores = Float64Array.from({ length: n }, (_, i) => (i < 2_560 ? 0.1 : 0.9));
    const c = comparePaired({ labels: labels0, championScores, challengerScores, championThreshold: 0.5, challengerThreshold: 0.5 });
    expect(c.noiseSuppressed.pChallengerMore).toBeCloseTo(2 ** -60, 25);
    // The pooled two-proportion z-test on 2,500/5,000 vs 2,560/5,000 sees z ≈ 1.2: nowhere near 5%.
    const p1 = 2_500 / n;
    const p2 = 2_560 / n;
    const pooled = (p1 + p2) / 2;
    const z = (p2 - p1) / Math.sqrt((pooled * (1 - pooled) * 2) / n);
    expect(z).toBeLessThan(normalQuantile(0.95));
  });

  it('reports no FNR and a vacuous bound without actionable alerts, no precision when nothing is notified', () => {
    const figures = modelFigures([0.1, 0.2], [0, 0], 0.5);
    expect(figures.fnr).toBeNull();
    expect(figures.fnrUpper).toBe(1);
    expect(figures.notifyPrecision).toBeNull();
  });

  it.each([
    ['mismatched lengths', { championScores: champion.slice(1) }],
    ['a NaN score', { challengerScores: [Number.NaN, ...challenger.slice(1)] }],
    ['a label that is neither 0 nor 1', { labels: [2, ...labels.slice(1)] }],
    ['a NaN threshold', { championThreshold: Number.NaN }],
    ['per-alert thresholds of the wrong length', { challengerThreshold: [0.5] }],
  ])('rejects %s with HUSH_ERR_VALIDATION', (_name, override) => {
    const input = { labels, championScores: champion, challengerScores: challenger, championThreshold: 0.5, challengerThreshold: 0.5, ...override };
    expect(() => comparePaired(input)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });

  it('rejects a confidence outside (0, 1)', () => {
    const input = { labels, championScores: champion, challengerScores: challenger, championThreshold: 0.5, challengerThreshold: 0.5 };
    expect(() => comparePaired(input, { confidence: 1 })).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});
