import { describe, expect, it } from 'vitest';
import { bestThreshold, nabRowWeights, NO_DETECTION_THRESHOLD, scoreFileAtThreshold, sweepThresholds, type ScoredRows } from '../../shared/nab/index.js';

const STANDARD = { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const curve = (x: number): number => -Math.tanh(2.5 * x);

/** 20 rows, probation rows 0-2, one window on rows 10-13, the given scores and 0 elsewhere. */
function file(scores: Record<number, number>): ScoredRows {
  const all = new Float64Array(20);
  for (const [row, score] of Object.entries(scores)) all[Number(row)] = score;
  return { ...nabRowWeights(20, [{ start: 10, end: 13 }], STANDARD), scores: all };
}

describe('NAB threshold sweep', () => {
  // Row 1 (probation) 1.0, row 5 (before the window) 0.9, rows 11 and 12 (in it) 0.8, row 16 (after it) 0.5.
  const rows = file({ 1: 1, 5: 0.9, 11: 0.8, 12: 0.8, 16: 0.5 });
  const inWindow = (i: number): number => curve(-(13 - i + 1) / 4) / curve(-1);

  it('scores every distinct anomaly score as a threshold, from detecting nothing down, skipping probation rows', () => {
    const sweep = sweepThresholds([rows], STANDARD);
    expect(sweep.map((s) => s.threshold)).toEqual([NO_DETECTION_THRESHOLD, 0.9, 0.8, 0.5, 0]);
    expect(sweep[0]?.score).toBe(-1);
    expect(sweep[1]?.score).toBeCloseTo(-1.11, 12);
    // Rows 11 and 12 tie at 0.8: the window counts only its best (earliest) detection, row 11.
    expect(sweep[2]?.score).toBeCloseTo(-0.11 + inWindow(11), 12);
    expect(sweep[3]?.score).toBeCloseTo(-0.11 + inWindow(11) + 0.11 * curve(1), 12);
    let everything = 7 * -0.11 + inWindow(10);
    for (let i = 14; i < 20; i++) everything += 0.11 * curve((i - 13) / 3);
    expect(sweep[4]?.score).toBeCloseTo(everything, 12);
  });

  it('picks the threshold with the best corpus score, the higher one on a tie', () => {
    expect(bestThreshold(sweepThresholds([rows], STANDARD)).threshold).toBe(0.8);
    expect(bestThreshold([{ threshold: 1.1, score: -1 }, { threshold: 0.7, score: 0 }, { threshold: 0.5, score: 0 }]).threshold).toBe(0.7);
  });

  it('agrees with scoring the file at each threshold on its own', () => {
    for (const { threshold, score } of sweepThresholds([rows], STANDARD)) {
      expect(scoreFileAtThreshold(rows, threshold, STANDARD.fnWeight).score).toBeCloseTo(score, 12);
    }
  });

  it('counts only the earliest detection in a window, however many follow', () => {
    const late = scoreFileAtThreshold(file({ 13: 1 }), 0.5, 1);
    const both = scoreFileAtThreshold(file({ 11: 1, 13: 1 }), 0.5, 1);
    expect(late.score).toBeCloseTo(inWindow(13), 12);
    expect(both.score).toBeCloseTo(inWindow(11), 12);
    expect(both).toMatchObject({ windowsDetected: 1, windowsMissed: 0, falsePositives: 0 });
  });

  it('sums detections across files, each window counted in its own file', () => {
    const a = file({ 10: 0.9 });
    const b = file({ 12: 0.9, 4: 0.9 });
    const sweep = sweepThresholds([a, b], STANDARD);
    expect(sweep.map((s) => s.threshold)).toEqual([NO_DETECTION_THRESHOLD, 0.9, 0]);
    expect(sweep[1]?.score).toBeCloseTo(1 + inWindow(12) - 0.11, 12);
  });
});
