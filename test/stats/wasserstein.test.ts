import { describe, it } from 'vitest';
import { normalizedWassersteinDistance, wassersteinDistance } from '../../shared/stats/index.js';
import { expand, expectScipyClose, fixture } from './scipy-fixture.js';

describe('wassersteinDistance', () => {
  it.each(fixture.wasserstein.map((c) => [c.name, c] as const))('matches scipy wasserstein_distance: %s', (_, c) => {
    const reference = expand(c.reference);
    const current = expand(c.current);
    expectScipyClose(wassersteinDistance(reference, current), c.distance, 'distance');
    expectScipyClose(normalizedWassersteinDistance(reference, current), c.normalized, 'normalized by std (ddof=0)');
  });
});
