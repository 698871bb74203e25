import { describe, expect, it } from 'vitest';
import { fetcherConcurrencies } from '../../workers/scoring/fetcher-concurrency.js';

describe('fetcherConcurrencies', () => {
  it('splits the concurrency evenly, the remainder one each to the first workers', () => {
    expect(fetcherConcurrencies(256, 4)).toEqual([64, 64, 64, 64]);
    expect(fetcherConcurrencies(10, 4)).toEqual([3, 3, 2, 2]);
    expect(fetcherConcurrencies(7, 1)).toEqual([7]);
  });

  it('never runs more workers than the concurrency allows jobs', () => {
    expect(fetcherConcurrencies(3, 8)).toEqual([1, 1, 1]);
    expect(fetcherConcurrencies(1, 64)).toEqual([1]);
  });

  it('adds up to the concurrency for every pair', () => {
    for (let concurrency = 1; concurrency <= 300; concurrency += 1) {
      for (let fetchers = 1; fetchers <= 64; fetchers += 1) {
        const split = fetcherConcurrencies(concurrency, fetchers);
        expect(split.reduce((a, b) => a + b, 0)).toBe(concurrency);
        expect(split.length).toBe(Math.min(concurrency, fetchers));
        expect(Math.max(...split) - Math.min(...split)).toBeLessThanOrEqual(1);
      }
    }
  });
});
