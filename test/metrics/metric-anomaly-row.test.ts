import { describe, expect, it } from 'vitest';
import { metricAnomalyRow } from '../../workers/metrics/metric-anomaly-row.js';
import { anomalyAlert } from '../../workers/metrics/anomaly-alerts.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import { parseAlert } from '../../schemas/parse-alert.js';

const scored = {
  sample: { tenant: 'acme', name: 'login_failures', labels: { user: 'alice@example.com', job: 'auth' }, timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 678), value: 42 },
  seriesKey: 'f'.repeat(32),
  score: 0.91,
};

describe('metric anomaly row', () => {
  it('keeps label pairs sorted by key, splits the millisecond part and strips PII from label values', () => {
    const row = metricAnomalyRow(scored, 'hush-ensemble', Date.UTC(2024, 0, 3));
    expect(row).toMatchObject({
      tenant: 'acme',
      series_key: scored.seriesKey,
      name: 'login_failures',
      label_keys: ['job', 'user'],
      timestamp: '2024-01-02 03:04:05',
      timestamp_ms: 678,
      value: 42,
      anomaly_score: 0.91,
      detector: 'hush-ensemble',
      scored_at: '2024-01-03 00:00:00',
    });
    expect(row.label_values[0]).toBe('auth');
    expect(row.label_values[1]).not.toContain('alice@example.com');
  });
});

describe('anomaly alert', () => {
  it('is a valid firing hush-anomaly alert whose id is derived from series key and timestamp', () => {
    const wire = anomalyAlert(scored, 0.75);
    const parsed = parseAlert(wire, { tenant: 'acme' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      id: computeAlertId(scored.seriesKey, scored.sample.timestamp),
      source: 'hush-anomaly',
      name: 'login_failures',
      service: 'auth',
      status: 'firing',
      startsAt: scored.sample.timestamp,
      fingerprint: scored.seriesKey,
      value: 42,
    });
  });
});
