import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity, chiSquareSf } from '../../shared/stats/index.js';
import { expectScipyClose, fixture } from './scipy-fixture.js';

describe('chiSquareHomogeneity', () => {
  const tables = fixture.chiSquare.flatMap((c) => ('reference' in c ? [[c.name, c] as const] : []));
  it.each(tables)('matches scipy chi2_contingency(correction=False) after merging: %s', (_, c) => {
    const result = chiSquareHomogeneity(c.reference, c.current);
    expect(result.dof).toBe(c.dof);
    expect(result.categories).toBe(c.mergedCategories);
    expectScipyClose(result.statistic, c.statistic, 'statistic');
    expectScipyClose(result.pValue, c.pvalue, 'p-value');
  });
});

describe('chiSquareSf', () => {
  const points = fixture.chiSquare.flatMap((c) => ('x' in c ? [[c.name, c] as const] : []));
  it.each(points)('matches %s', (_, c) => {
    expectScipyClose(chiSquareSf(c.x, c.dof), c.pvalue, c.name);
  });
});
