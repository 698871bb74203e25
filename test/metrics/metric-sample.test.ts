import { describe, expect, it } from 'vitest';
import { parseMetricSample, seriesKey } from '../../schemas/metric-sample.js';

const valid = { name: 'http_requests_total', labels: { job: 'api', code: '200' }, timestamp: Date.UTC(2024, 0, 1), value: 12.5 };

describe('metric sample validation', () => {
  it('accepts a well-formed sample and fills in the caller tenant', () => {
    expect(parseMetricSample(valid, { tenant: 'acme' })).toEqual({ ok: true, value: { tenant: 'acme', ...valid } });
  });

  it.each([
    ['name', { ...valid, name: '1bad name' }, 'name'],
    ['a label key', { ...valid, labels: { 'bad-key': 'x' } }, 'labels'],
    ['a reserved label key', { ...valid, labels: { __name__: 'x' } }, 'labels'],
    ['a non-string label', { ...valid, labels: { job: 3 } }, 'labels.job'],
    ['a seconds timestamp', { ...valid, timestamp: 1_700_000_000 }, 'timestamp'],
    ['a fractional timestamp', { ...valid, timestamp: Date.UTC(2024, 0, 1) + 0.5 }, 'timestamp'],
    ['an RFC 3339 timestamp', { ...valid, timestamp: '2024-01-01T00:00:00Z' }, 'timestamp'],
    ['a NaN value (stale marker)', { ...valid, value: Number.NaN }, 'value'],
    ['a string value', { ...valid, value: '1' }, 'value'],
  ])('rejects %s with a validation error naming the field', (_, input, field) => {
    const result = parseMetricSample(input, { tenant: 'acme' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'HUSH_ERR_VALIDATION', field });
  });

  it("refuses another tenant's sample with HUSH_ERR_FORBIDDEN_TENANT", () => {
    const result = parseMetricSample({ ...valid, tenant: 'other' }, { tenant: 'acme' });
    expect(result).toMatchObject({ ok: false, error: { code: 'HUSH_ERR_FORBIDDEN_TENANT', field: 'tenant' } });
  });
});

describe('series key', () => {
  it('is the same for the same labels in any order', () => {
    expect(seriesKey({ tenant: 't', name: 'm', labels: { a: '1', b: '2' } })).toBe(seriesKey({ tenant: 't', name: 'm', labels: { b: '2', a: '1' } }));
  });

  it('separates tenants, names, label values and label framing', () => {
    const keys = [
      seriesKey({ tenant: 't', name: 'm', labels: { a: '1' } }),
      seriesKey({ tenant: 'u', name: 'm', labels: { a: '1' } }),
      seriesKey({ tenant: 't', name: 'n', labels: { a: '1' } }),
      seriesKey({ tenant: 't', name: 'm', labels: { a: '2' } }),
      seriesKey({ tenant: 't', name: 'm', labels: { a: '1', b: '' } }),
      seriesKey({ tenant: 't', name: 'm', labels: {} }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is sha256 of the JSON [tenant, name, sorted label pairs], stable across releases', () => {
    expect(seriesKey({ tenant: 'acme', name: 'up', labels: { job: 'api', instance: 'a:9090' } })).toBe('b5fc958f2456c2e40baffaf36807e501');
  });
});
