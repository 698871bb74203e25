import { describe, expect, it } from 'vitest';
import { populationStabilityIndex } from '../../shared/stats/index.js';
import { expectScipyClose, fixture } from './scipy-fixture.js';

describe('populationStabilityIndex', () => {
  it.each(fixture.psi.map((c) => [c.name, c] as const))('matches the numpy reference: %s', (_, c) => {
    const result = populationStabilityIndex(c.reference, c.current, { bins: c.bins, epsilon: c.epsilon });
    expect(result.edges).toEqual(c.edges);
    expect(result.referenceShares).toEqual(c.referenceShares);
    expect(result.currentShares).toEqual(c.currentShares);
    expectScipyClose(result.psi, c.psi, 'psi');
  });

  it('is zero for identical samples and finite when a current bin is empty', () => {
    const reference = Array.from({ length: 100 }, (_, i) => i);
    expect(populationStabilityIndex(reference, reference).psi).toBe(0);
    const result = populationStabilityIndex(reference, [1, 2, 3]);
    expect(result.currentShares.filter((s) => s === 0).length).toBeGreaterThan(0);
    expect(Number.isFinite(result.psi)).toBe(true);
  });
});
