import { HushError } from '../../shared/errors/index.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { resolveMetricsPartitions } from '../../queues/metrics-partitions.js';

/** The metrics role's configuration, resolved explicit value → environment variable → default, validated once. */
export interface MetricsConfig {
  /** `HUSH_METRICS_PARTITIONS`: partitions of the metrics stream; producers must use the same. @defaultValue `16` */
  partitions: number;
  /** `HUSH_METRICS_ALERT_THRESHOLD`: anomaly score at or above which an alert is raised. @defaultValue `0.75` */
  alertThreshold: number;
  /** `HUSH_METRICS_TENANT_THRESHOLDS`: per-tenant overrides, `tenant=0.9,other=0.6`. @defaultValue none */
  tenantThresholds: Readonly<Record<string, number>>;
  /** `HUSH_METRICS_RECORD_MIN_SCORE`: scores at or above this are written to `metric_anomalies`. @defaultValue `0.5` */
  recordMinScore: number;
  /** `HUSH_METRICS_LEASE_MS`: partition lease time; a dead replica's partitions move after about this long. @defaultValue `15000` */
  leaseMs: number;
}

/** The detector every series is scored with (NAB's rule: the same parameters for every series). */
export const METRICS_DETECTOR = 'hush-ensemble';

function fraction(raw: string, variable: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new HushError('HUSH_ERR_CONFIG', `${variable} must be a number in [0, 1], got "${raw}"`);
  return value;
}

function tenantThresholds(raw: string): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const parts = pair.split('=');
    const [tenant = '', value = ''] = parts;
    if (parts.length !== 2 || !TENANT_PATTERN.test(tenant)) throw new HushError('HUSH_ERR_CONFIG', `HUSH_METRICS_TENANT_THRESHOLDS entries must be tenant=score with a valid tenant, got "${pair.slice(0, 80)}"`);
    if (Object.hasOwn(thresholds, tenant)) throw new HushError('HUSH_ERR_CONFIG', `HUSH_METRICS_TENANT_THRESHOLDS names tenant "${tenant}" twice`);
    thresholds[tenant] = fraction(value, `HUSH_METRICS_TENANT_THRESHOLDS entry of "${tenant}"`);
  }
  return thresholds;
}

function leaseMs(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1000 || value > 600_000) throw new HushError('HUSH_ERR_CONFIG', `HUSH_METRICS_LEASE_MS must be an integer in [1000, 600000], got "${raw}"`);
  return value;
}

/** Resolves and validates the metrics role's configuration; throws `HUSH_ERR_CONFIG` naming the variable. */
export function loadMetricsConfig(explicit: Partial<MetricsConfig> = {}, env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  return {
    partitions: resolveMetricsPartitions(explicit.partitions, env),
    alertThreshold: explicit.alertThreshold ?? fraction(env.HUSH_METRICS_ALERT_THRESHOLD ?? '0.75', 'HUSH_METRICS_ALERT_THRESHOLD'),
    tenantThresholds: explicit.tenantThresholds ?? tenantThresholds(env.HUSH_METRICS_TENANT_THRESHOLDS ?? ''),
    recordMinScore: explicit.recordMinScore ?? fraction(env.HUSH_METRICS_RECORD_MIN_SCORE ?? '0.5', 'HUSH_METRICS_RECORD_MIN_SCORE'),
    leaseMs: explicit.leaseMs ?? leaseMs(env.HUSH_METRICS_LEASE_MS ?? '15000'),
  };
}

/** The alert threshold in force for `tenant`. */
export function alertThresholdOf(config: Pick<MetricsConfig, 'alertThreshold' | 'tenantThresholds'>, tenant: string): number {
  return Object.hasOwn(config.tenantThresholds, tenant) ? (config.tenantThresholds[tenant] ?? config.alertThreshold) : config.alertThreshold;
}
