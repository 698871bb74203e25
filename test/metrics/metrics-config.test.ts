import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { alertThresholdOf, loadMetricsConfig } from '../../workers/metrics/metrics-config.js';
import { guardMetricsJob } from '../../workers/metrics/metrics-job-guard.js';

describe('metrics role configuration', () => {
  it('has documented defaults with no environment', () => {
    expect(loadMetricsConfig({}, {})).toEqual({ partitions: 16, alertThreshold: 0.75, tenantThresholds: {}, recordMinScore: 0.5, leaseMs: 15_000 });
  });

  it('reads every variable, and per-tenant thresholds override the default for their tenant only', () => {
    const config = loadMetricsConfig({}, {
      HUSH_METRICS_PARTITIONS: '8',
      HUSH_METRICS_ALERT_THRESHOLD: '0.9',
      HUSH_METRICS_TENANT_THRESHOLDS: 'acme=0.6, globex=1',
      HUSH_METRICS_RECORD_MIN_SCORE: '0',
      HUSH_METRICS_LEASE_MS: '5000',
    });
    expect(config).toEqual({ partitions: 8, alertThreshold: 0.9, tenantThresholds: { acme: 0.6, globex: 1 }, recordMinScore: 0, leaseMs: 5000 });
    expect(alertThresholdOf(config, 'acme')).toBe(0.6);
    expect(alertThresholdOf(config, 'initech')).toBe(0.9);
    expect(alertThresholdOf(config, 'constructor')).toBe(0.9);
  });

  it.each([
    [{ HUSH_METRICS_ALERT_THRESHOLD: '1.5' }, /HUSH_METRICS_ALERT_THRESHOLD must be a number in \[0, 1\]/],
    [{ HUSH_METRICS_RECORD_MIN_SCORE: '' }, /HUSH_METRICS_RECORD_MIN_SCORE/],
    [{ HUSH_METRICS_TENANT_THRESHOLDS: 'Bad Tenant=0.5' }, /HUSH_METRICS_TENANT_THRESHOLDS entries must be tenant=score/],
    [{ HUSH_METRICS_TENANT_THRESHOLDS: 'acme=high' }, /entry of "acme" must be a number/],
    [{ HUSH_METRICS_TENANT_THRESHOLDS: 'acme=0.5=x' }, /entries must be tenant=score/],
    [{ HUSH_METRICS_TENANT_THRESHOLDS: 'acme=0.5,acme=0.6' }, /names tenant "acme" twice/],
    [{ HUSH_METRICS_LEASE_MS: '10' }, /HUSH_METRICS_LEASE_MS must be an integer in \[1000, 600000\]/],
    [{ HUSH_METRICS_PARTITIONS: '0' }, /HUSH_METRICS_PARTITIONS="0"/],
  ])('fails fast with HUSH_ERR_CONFIG naming the variable: %o', (env, message) => {
    expect(() => loadMetricsConfig({}, env)).toThrow(message);
    expect(() => loadMetricsConfig({}, env)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_CONFIG' }));
  });
});

describe('metrics job guard', () => {
  const sample = { tenant: 'acme', name: 'up', labels: { job: 'api' }, timestamp: Date.UTC(2024, 0, 1), value: 1 };

  it('passes a well-formed job through', () => {
    expect(guardMetricsJob({ samples: [sample], enqueuedAt: 5 })).toEqual({ samples: [sample], enqueuedAt: 5 });
  });

  it.each([
    [null, /non-empty "samples" array/],
    [{ samples: [] }, /non-empty "samples" array/],
    [{ samples: [sample, { ...sample, value: 'x' }] }, /samples\[1\]: value must be a finite number/],
    [{ samples: [{ ...sample, tenant: 'Not A Tenant' }] }, /samples\[0\]: .*tenant/],
  ])('fails a malformed job permanently with the reason: %o', (data, message) => {
    expect(() => guardMetricsJob(data)).toThrow(UnrecoverableError);
    expect(() => guardMetricsJob(data)).toThrow(message);
  });
});
