import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, bonferroni } from '../../shared/stats/index.js';
import { expectScipyClose, fixture } from './scipy-fixture.js';

describe('multiple-testing corrections', () => {
  it.each(fixture.multipleTesting.map((c) => [c.name, c] as const))('match statsmodels multipletests: %s', (_, c) => {
    const bonf = bonferroni(c.pvalues);
    const bh = benjaminiHochberg(c.pvalues);
    expect(bonf).toHaveLength(c.pvalues.length);
    c.bonferroni.forEach((expected, i) => expectScipyClose(bonf[i]!, expected, `bonferroni[${i}]`));
    c.benjaminiHochberg.forEach((expected, i) => expectScipyClose(bh[i]!, expected, `fdr_bh[${i}]`));
  });
});
