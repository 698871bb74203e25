import { describe, expect, it } from 'vitest';
import { remoteWriteSamples } from '../../schemas/remote-write-samples.js';
import type { RemoteWriteSeries } from '../../shared/remote-write/write-request.js';

const T0 = Date.UTC(2024, 4, 1);
const series = (labels: [string, string][], values: number[], extra: Partial<RemoteWriteSeries> = {}): RemoteWriteSeries => ({
  labels: labels.map(([name, value]) => ({ name, value })),
  samples: values.map((value, i) => ({ value, timestamp: T0 + i * 1000, stale: false })),
  histograms: 0,
  ...extra,
});

describe('remoteWriteSamples', () => {
  it('turns __name__ into the name and keeps the other labels, for the caller tenant', () => {
    const { results } = remoteWriteSamples([series([['__name__', 'up'], ['job', 'api']], [1, 0])], { tenant: 'acme' });
    expect(results).toEqual([
      { ok: true, value: { tenant: 'acme', name: 'up', labels: { job: 'api' }, timestamp: T0, value: 1 } },
      { ok: true, value: { tenant: 'acme', name: 'up', labels: { job: 'api' }, timestamp: T0 + 1000, value: 0 } },
    ]);
  });

  it('counts staleness markers, other non-finite values and histograms apart from the samples', () => {
    const stale = { value: Number.NaN, timestamp: T0, stale: true };
    const out = remoteWriteSamples([series([['__name__', 'x']], [Number.NaN, Infinity, -Infinity, 2], { histograms: 3 }), { ...series([['__name__', 'y']], []), samples: [stale] }], { tenant: 'acme' });
    expect({ stale: out.stale, nonFinite: out.nonFinite, histograms: out.histograms, samples: out.results.length }).toEqual({ stale: 1, nonFinite: 3, histograms: 3, samples: 1 });
  });

  it('hands hostile or missing labels to validation, which refuses them', () => {
    const { results } = remoteWriteSamples([series([['__name__', 'x'], ['__proto__', 'polluted']], [1]), series([['job', 'api']], [1])], { tenant: 'acme' });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.field))).toEqual(['labels', 'name']);
  });
});
