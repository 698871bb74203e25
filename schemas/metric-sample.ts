import { shortHash } from './alert-identity.js';
import { checkIdentity, fail, guardParse, mergeLabels, own, requireObject, resolveTenant } from './field-readers.js';
import { type ParseContext, type ParseResult, ROOT_FIELD } from './parse-result.js';
import { describeValue } from './text-checks.js';

/** One observation of a metric series, validated (the metrics queue's unit). */
export interface MetricSample {
  tenant: string;
  /** Metric name (Prometheus `__name__`), e.g. `http_requests_total`. */
  name: string;
  labels: Record<string, string>;
  /** Event time in epoch ms. */
  timestamp: number;
  value: number;
}

/** Prometheus metric-name syntax, bounded in length. */
export const METRIC_NAME_PATTERN = /^[a-zA-Z_:][a-zA-Z0-9_:]{0,199}$/;

// The alert schema's event-time range (years 2000-2100), so an anomaly always becomes a valid alert.
const MIN_TIMESTAMP = Date.UTC(2000, 0, 1);
const MAX_TIMESTAMP = Date.UTC(2100, 0, 1);

/**
 * The identity of a series: 32 hex characters of SHA-256 over the JSON array
 * `[tenant, name, key1, value1, key2, value2, …]` with label keys in code-unit order. The same labels
 * in any order give the same key; it keys partitions, checkpoints and `metric_anomalies` rows.
 */
export function seriesKey(sample: Pick<MetricSample, 'tenant' | 'name' | 'labels'>): string {
  const keys = Object.keys(sample.labels).sort();
  return shortHash([sample.tenant, sample.name, ...keys.flatMap((key) => [key, sample.labels[key] ?? ''])]);
}

/**
 * Validates one metric sample `{ tenant?, name, labels?, timestamp, value }` (timestamp in epoch ms,
 * value finite: Prometheus stale markers are NaN and must be dropped by the sender). Never throws.
 */
export function parseMetricSample(input: unknown, context: ParseContext): ParseResult<MetricSample> {
  return guardParse(() => {
    const wire = requireObject(input, ROOT_FIELD, 'a metric sample');
    const name = checkIdentity(own(wire, 'name'), 'name', { min: 1, max: 200 });
    if (!METRIC_NAME_PATTERN.test(name)) fail('name', `name must match ${METRIC_NAME_PATTERN.source}, got ${describeValue(name)}`);
    return {
      tenant: resolveTenant(wire, context),
      name,
      labels: Object.fromEntries(mergeLabels([{ value: own(wire, 'labels'), field: 'labels' }])),
      timestamp: checkEpochMillis(own(wire, 'timestamp'), 'timestamp'),
      value: checkFinite(own(wire, 'value'), 'value'),
    };
  });
}

function checkEpochMillis(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_TIMESTAMP || value >= MAX_TIMESTAMP) {
    fail(field, `${field} must be an integer number of ms since the epoch in the years 2000-2100, got ${describeValue(value)}`);
  }
  return value;
}

function checkFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `${field} must be a finite number, got ${describeValue(value)}`);
  return value;
}
