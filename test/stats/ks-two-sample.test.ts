import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ksTwoSample } from '../../shared/stats/index.js';
import { expand, expectScipyClose, fixture } from './scipy-fixture.js';

describe('ksTwoSample', () => {
  it.each(fixture.ksTwoSample.map((c) => [c.name, c] as const))('matches scipy ks_2samp(method="auto"): %s', (_, c) => {
    const result = ksTwoSample(expand(c.a), expand(c.b));
    expectScipyClose(result.statistic, c.statistic, 'statistic');
    expectScipyClose(result.pValue, c.pvalue, 'p-value');
  });

  it('switches from the exact to the asymptotic p-value above 10,000 observations', () => {
    const sample = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    expect(ksTwoSample(sample(10_000), sample(10)).method).toBe('exact');
    expect(ksTwoSample(sample(10_001), sample(10)).method).toBe('asymptotic');
  });

  it('accepts typed arrays and leaves the caller’s arrays unsorted', () => {
    const a = new Float64Array([3, 1, 2]);
    ksTwoSample(a, [0.5, 9]);
    expect(Array.from(a)).toEqual([3, 1, 2]);
  });
});

describe('kolmogorovSf', () => {
  it('matches scipy kstwo.sf across every regime of Simard & L’Ecuyer’s method', () => {
    for (const c of fixture.kstwo) expectScipyClose(kolmogorovSf(c.n, c.d), c.sf, `kstwo.sf(${c.d}, ${c.n})`);
  });
});
