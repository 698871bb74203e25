import { describe, expect, it } from 'vitest';
import { certificationCeiling, type JudgedLabel } from '../../bench/noise/certification-ceiling.js';

/** `noise` truly-noise alerts, `flips` of them labelled actionable, and `actionable` truly actionable ones, labelled so. */
function labels(noise: number, flips: number, actionable: number): JudgedLabel[] {
  return [
    ...Array.from({ length: noise }, (_, i) => ({ actionable: false, labelledActionable: i < flips })),
    ...Array.from({ length: actionable }, () => ({ actionable: true, labelledActionable: true })),
  ];
}

describe('certification ceiling', () => {
  it('certifies all the noise of a perfect ranking when no label is wrong and actionable labels are plenty', () => {
    const ceiling = certificationCeiling(labels(9000, 0, 1000));
    expect(ceiling).toMatchObject({ alerts: 10_000, actionable: 1000, labelled_actionable: 1000, flip_rate: 0 });
    expect(ceiling?.perfect_ranking).toBeGreaterThanOrEqual(0.9);
    expect(ceiling?.known_flip_rates).toBeGreaterThanOrEqual(0.9);
    // Past the noise it may suppress actionable alerts only within the 1% target: at most 10 of 1,000.
    expect(ceiling?.known_flip_rates).toBeLessThanOrEqual(0.901);
  });

  it('certifies next to nothing with fewer actionable labels than a 1% bound clears (the rule of three: about 300)', () => {
    const few = certificationCeiling(labels(9000, 0, 250));
    expect(few?.perfect_ranking).toBeLessThan(0.002);
    expect(few?.known_flip_rates).toBeLessThan(0.002);
    expect(certificationCeiling(labels(9000, 0, 400))?.known_flip_rates).toBeGreaterThan(0.9);
  });

  it('shrinks with flipped labels, even when the certificate knows how often they flip', () => {
    const clean = certificationCeiling(labels(9000, 0, 1000));
    const noisy = certificationCeiling(labels(9000, 270, 1000));
    expect(noisy?.flip_rate).toBeCloseTo(0.03, 10);
    expect(noisy?.known_flip_rates).toBeLessThan(0.5 * (clean?.known_flip_rates ?? 0));
    // Estimating the flip rate from the lowest-scored alerts costs more than knowing it.
    expect(noisy?.perfect_ranking).toBeLessThan(noisy?.known_flip_rates ?? 0);
  });

  it('grows with the number of labels at the same flip rate', () => {
    const small = certificationCeiling(labels(9000, 270, 1000));
    const large = certificationCeiling(labels(36_000, 1080, 4000));
    expect(large?.known_flip_rates).toBeGreaterThan(small?.known_flip_rates ?? 1);
  });

  it('depends on the counts of wrong labels, not on where they fall', () => {
    const shuffled = labels(5000, 150, 800).reverse();
    expect(certificationCeiling(shuffled)).toEqual(certificationCeiling(labels(5000, 150, 800)));
  });

  it('is null without an actionable alert', () => {
    expect(certificationCeiling(labels(100, 3, 0))).toBeNull();
  });
});
