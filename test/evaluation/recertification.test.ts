import { describe, expect, it } from 'vitest';
import { estimateLabelNoise } from '../../shared/evaluation/label-noise.js';
import { figuresFromCounts } from '../../shared/evaluation/model-figures.js';
import { decideRecertification } from '../../shared/evaluation/recertification.js';
import { labelledAlerts } from './labelled-alerts.js';

const figures = (alerts: number, suppressed: number, actionable: number, missed: number) => figuresFromCounts({ alerts, suppressed, actionable, missed }, 0.95);

describe('re-certifying a kept champion\'s thresholds', () => {
  it('certifies thresholds whose FNR upper bound is within target and records the noise reduction they give', () => {
    const d = decideRecertification(figures(5000, 1000, 1000, 2));
    expect(d).toMatchObject({ certified: true, rule: 'certified', evidence: { alerts: 5000, actionable: 1000, noiseReduction: 0.2, missed: 2, fnr: 0.002, fnrTarget: 0.01, confidence: 0.95 } });
    expect(d.evidence.fnrUpper).toBeGreaterThan(0.002);
    expect(d.evidence.fnrUpper).toBeLessThanOrEqual(0.01);
    expect(d.reason).toContain("champion's thresholds re-certified: noise reduction 20.00%");
  });

  it('needs as many labelled actionable alerts as a promotion', () => {
    expect(decideRecertification(figures(5000, 0, 299, 0))).toMatchObject({ certified: false, rule: 'too-few-actionable' });
    expect(decideRecertification(figures(5000, 0, 299, 0), { minActionable: 200 })).toMatchObject({ certified: true });
  });

  it('refuses thresholds whose FNR upper bound exceeds the target', () => {
    const d = decideRecertification(figures(5000, 1000, 1000, 8));
    expect(d).toMatchObject({ certified: false, rule: 'fnr-bound-above-target' });
    expect(d.reason).toMatch(/FNR upper bound 1\.\d\d% exceeds the 1\.00% target/);
    expect(decideRecertification(figures(5000, 1000, 1000, 8), { fnrTarget: 0.05 })).toMatchObject({ certified: true });
  });

  it('corrects the bound for label noise estimated on the champion\'s own scores', () => {
    // 3,000 actionable alerts scored high; 27,000 noise alerts scored low, 3% of them labelled actionable.
    const { scores, labels } = labelledAlerts(3000, 27_000, () => 0.9, (i) => (i + 1) / 100_000);
    for (let i = 0; i < 27_000; i += 33) labels[3000 + i] = 1;
    const noise = estimateLabelNoise(scores, labels);
    const actionable = labels.reduce((n, l) => n + l, 0);
    // Suppressing the lowest 5,000 alerts "misses" the ~150 flipped labels among them: a labelled FNR of 4%.
    let missed = 0;
    for (let i = 3000; i < 8000; i++) missed += labels[i] as number;
    const counts = figures(30_000, 5000, actionable, missed);
    expect(counts.fnr).toBeGreaterThan(0.035);
    expect(decideRecertification(counts, { fnrTarget: 0.03 })).toMatchObject({ certified: false, rule: 'fnr-bound-above-target' });
    const corrected = decideRecertification(counts, { fnrTarget: 0.03 }, noise);
    expect(corrected).toMatchObject({ certified: true, evidence: { labelNoise: noise } });
    expect(corrected.evidence.fnrUpper).toBeLessThan(0.02);
  });

  it('refuses invalid options with a code', () => {
    expect(() => decideRecertification(figures(10, 0, 1, 0), { fnrTarget: 0 })).toThrow(/fnrTarget/);
    expect(() => decideRecertification(figures(10, 0, 1, 0), { minActionable: -1 })).toThrow(/minActionable/);
  });
});
