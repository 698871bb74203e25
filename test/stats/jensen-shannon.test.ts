import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from '../../shared/stats/index.js';
import { expectScipyClose, fixture } from './scipy-fixture.js';

describe('jensenShannonDistance', () => {
  it.each(fixture.jensenShannon.map((c) => [`${c.name}, base ${c.base}`, c] as const))(
    'matches scipy.spatial.distance.jensenshannon: %s',
    (_, c) => {
      expectScipyClose(jensenShannonDistance(c.p, c.q, { base: c.base }), c.distance, 'distance');
    },
  );

  it('defaults to base 2, so disjoint distributions are at distance 1', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBe(1);
  });
});
