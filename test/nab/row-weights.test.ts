import { describe, expect, it } from 'vitest';
import { IN_PROBATION, OUTSIDE_WINDOWS, nabProbationRows, nabRowWeights, scaledSigmoid } from '../../shared/nab/index.js';

const STANDARD = { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
/** NAB's curve written independently: 2/(1+e^{5x}) − 1 = −tanh(5x/2). */
const curve = (x: number): number => -Math.tanh(2.5 * x);

describe('NAB scaled sigmoid', () => {
  it('is about +0.987 at a window start, 0 at its right edge, and −1 from three widths past it', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661429815143, 12);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828363995751, 12);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661429815143, 12);
    expect(scaledSigmoid(2.999)).toBeGreaterThan(-1);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(scaledSigmoid(50)).toBe(-1);
  });
});

describe('NAB probation', () => {
  it('is 15 % of the rows, rounded down, and never more than 750', () => {
    expect(nabProbationRows(20)).toBe(3);
    expect(nabProbationRows(4032)).toBe(604);
    expect(nabProbationRows(5000)).toBe(750);
    expect(nabProbationRows(22695)).toBe(750);
  });
});

describe('NAB row weights', () => {
  // 20 rows: rows 0-2 are probation; one window on rows 10-13 (4 rows wide).
  const weights = nabRowWeights(20, [{ start: 10, end: 13 }], STANDARD);

  it('gives a full true positive at the window start and less towards its end, both edges inside', () => {
    expect(weights.weight[10]).toBeCloseTo(1, 12);
    for (const i of [11, 12, 13]) expect(weights.weight[i]).toBeCloseTo(curve(-(13 - i + 1) / 4) / curve(-1), 12);
    expect(weights.weight[13]).toBeCloseTo(0.5621, 4);
    expect(Array.from(weights.window.slice(10, 14))).toEqual([0, 0, 0, 0]);
  });

  it('costs a full −fp before the first window and a milder, growing cost after it', () => {
    for (let i = 3; i < 10; i++) expect(weights.weight[i]).toBeCloseTo(-0.11, 12);
    for (let i = 14; i < 20; i++) expect(weights.weight[i]).toBeCloseTo(0.11 * curve((i - 13) / 3), 12);
    expect(weights.weight[14]).toBeGreaterThan(weights.weight[19] as number);
    expect(weights.window[9]).toBe(OUTSIDE_WINDOWS);
    expect(weights.window[14]).toBe(OUTSIDE_WINDOWS);
  });

  it('marks the probation rows so they are never scored', () => {
    expect(Array.from(weights.window.slice(0, 3))).toEqual([IN_PROBATION, IN_PROBATION, IN_PROBATION]);
    expect(weights.window[3]).toBe(OUTSIDE_WINDOWS);
    expect(weights.scoredWindows).toEqual([0]);
  });

  it('drops a window that lies wholly in probation, but keeps one that reaches past it', () => {
    expect(nabRowWeights(100, [{ start: 2, end: 14 }], STANDARD).scoredWindows).toEqual([]);
    expect(nabRowWeights(100, [{ start: 2, end: 15 }], STANDARD).scoredWindows).toEqual([0]);
  });

  it('scales the true-positive and false-positive weights by the profile', () => {
    const lowFp = nabRowWeights(20, [{ start: 10, end: 13 }], { name: 'p', tpWeight: 2, fpWeight: 0.22, fnWeight: 1 });
    expect(lowFp.weight[10]).toBeCloseTo(2, 12);
    expect(lowFp.weight[5]).toBeCloseTo(-0.22, 12);
  });

  it('charges a full −fp after a one-row window instead of dividing by zero', () => {
    const single = nabRowWeights(20, [{ start: 10, end: 10 }], STANDARD);
    expect(single.weight[10]).toBeCloseTo(curve(-1) / curve(-1), 12);
    expect(single.weight[11]).toBe(-0.11);
  });
});
