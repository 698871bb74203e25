import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../shared/evaluation/index.js';

describe('exact McNemar test', () => {
  it('works on hand cases', () => {
    // 5 discordant pairs all one way: two-sided p = 2 · (1/2)^5.
    expect(mcnemarExact(5, 0).pTwoSided).toBeCloseTo(2 / 32, 14);
    expect(mcnemarExact(5, 0).pChallengerFewer).toBeCloseTo(1 / 32, 14);
    expect(mcnemarExact(5, 0).pChallengerMore).toBe(1);
    // 10 vs 2: two-sided p = 2 · (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158/4096.
    const r = mcnemarExact(10, 2);
    expect(r).toMatchObject({ championOnly: 10, challengerOnly: 2, discordant: 12 });
    expect(r.pTwoSided).toBeCloseTo(158 / 4096, 14);
    expect(r.pChallengerMore).toBeCloseTo(1 - 13 / 4096, 14);
    // A tie carries no evidence either way.
    expect(mcnemarExact(3, 3).pTwoSided).toBe(1);
  });

  it('matches scipy.stats.binomtest on larger tables', () => {
    // scipy 1.10.1: binomtest(15, 55, 0.5).pvalue and binom.sf(39, 55, 0.5)
    const r = mcnemarExact(15, 40);
    expect(r.pTwoSided).toBeCloseTo(0.0010158471941252854, 14);
    expect(r.pChallengerMore).toBeCloseTo(0.0005079235970626427, 14);
    // binomtest(0, 12, 0.5).pvalue = 0.00048828125 = 2 / 4096
    expect(mcnemarExact(0, 12).pTwoSided).toBeCloseTo(0.00048828125, 14);
  });

  it('gives p = 1 when no pair is discordant', () => {
    expect(mcnemarExact(0, 0)).toEqual({ championOnly: 0, challengerOnly: 0, discordant: 0, pTwoSided: 1, pChallengerMore: 1, pChallengerFewer: 1 });
  });

  it('rejects counts that are not whole numbers', () => {
    expect(() => mcnemarExact(1.5, 0)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
    expect(() => mcnemarExact(0, -1)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});
