import { describe, expect, it } from 'vitest';
import { normaliseNabScore, scoreNabDetector, type NabFileResult } from '../../shared/nab/index.js';

const PROFILES = [
  { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  { name: 'reward_low_FN_rate', tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
];
const WINDOWS = [{ start: 40, end: 49 }, { start: 70, end: 79 }];

function result(score: (row: number) => number): NabFileResult {
  return { path: 'synthetic/a.csv', windows: WINDOWS, scores: Array.from({ length: 100 }, (_, i) => score(i)) };
}

describe('NAB detector score', () => {
  it('gives 100 to a detector that fires exactly at each window start', () => {
    const scores = scoreNabDetector([result((i) => (i === 40 || i === 70 ? 1 : 0))], PROFILES);
    for (const s of scores) expect(s.normalised).toBeCloseTo(100, 10);
    expect(scores[0]).toMatchObject({ threshold: 1, score: 2, nullScore: -2, perfectScore: 2, windowsDetected: 2, falsePositives: 0 });
    expect(scores[1]?.nullScore).toBe(-4);
  });

  it('gives 0 to a detector that never changes its score, like NAB\'s null detector', () => {
    for (const s of scoreNabDetector([result(() => 0.5)], PROFILES)) expect(s.normalised).toBe(0);
  });

  it('rewards a late detection less than an early one', () => {
    const [early] = scoreNabDetector([result((i) => (i === 41 ? 1 : 0))], PROFILES);
    const [late] = scoreNabDetector([result((i) => (i === 48 ? 1 : 0))], PROFILES);
    expect(early!.normalised).toBeGreaterThan(late!.normalised);
    expect(late!.normalised).toBeGreaterThan(0);
  });

  it('normalises between the null and the perfect score', () => {
    expect(normaliseNabScore(-55, -55, 55)).toBe(0);
    expect(normaliseNabScore(55, -55, 55)).toBe(100);
    expect(normaliseNabScore(0, -110, 55)).toBeCloseTo(66.667, 3);
  });

  it('refuses a corpus without windows, whose score cannot be normalised', () => {
    expect(() => scoreNabDetector([{ path: 'x/y.csv', windows: [], scores: [0, 1] }], PROFILES)).toThrow(/no labelled windows/);
  });
});
