import { describe, expect, it } from 'vitest';
import { truthThreshold } from '../../shared/baselines/truth-threshold.js';

/** Decisions and truth from [id score, actionable] pairs. */
function world(rows: [number | null, boolean][]): [Map<string, { score: number | null }>, Map<string, boolean>] {
  return [new Map(rows.map(([score], i) => [`a${i}`, { score }])), new Map(rows.map(([, actionable], i) => [`a${i}`, actionable]))];
}

describe('truthThreshold', () => {
  it('suppresses below the lowest-scored actionable alert the target does not allow to miss', () => {
    // 100 actionable alerts scored 0.5–0.99, one of them at 0.05; 100 noise alerts at 0.01–0.1.
    const rows: [number | null, boolean][] = [];
    for (let i = 0; i < 100; i++) rows.push([0.01 + i * 0.0009, false]);
    for (let i = 0; i < 99; i++) rows.push([0.5 + i * 0.005, true]);
    rows.push([0.05, true]);
    const [decisions, truth] = world(rows);
    // 1% of 100 actionable: one miss allowed, so the 0.05 alert may be suppressed; the next one may not.
    expect(truthThreshold(decisions, truth, 0.01)).toEqual({ threshold: 0.5, noise_reduction: 101 / 200, fnr: 0.01 });
    // No miss allowed: stop below 0.05.
    const strict = truthThreshold(decisions, truth, 0);
    expect(strict?.threshold).toBe(0.05);
    expect(strict?.fnr).toBe(0);
    expect(strict?.noise_reduction).toBeCloseTo(45 / 200, 10);
  });

  it('keeps tied scores together and counts unscored alerts as notified', () => {
    const [decisions, truth] = world([[0.1, false], [0.1, true], [0.2, false], [null, false], [0.9, true]]);
    // The tie at 0.1 holds an actionable alert: with no miss allowed nothing below 0.2 can go.
    expect(truthThreshold(decisions, truth, 0)).toEqual({ threshold: 0.1, noise_reduction: 0, fnr: 0 });
    expect(truthThreshold(decisions, truth, 0.5)).toEqual({ threshold: 0.9, noise_reduction: 3 / 5, fnr: 0.5 });
  });

  it('has nothing to say without an actionable alert, and refuses a target outside [0, 1)', () => {
    const [decisions, truth] = world([[0.1, false]]);
    expect(truthThreshold(decisions, truth, 0.01)).toBeNull();
    expect(() => truthThreshold(decisions, truth, 1)).toThrow(RangeError);
  });
});
