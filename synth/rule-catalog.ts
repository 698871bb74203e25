import type { Severity } from '../schemas/alert.js';

/** The role a service plays; it decides which rules it has and where it sits in the dependency graph. */
export type ServiceKind = 'edge' | 'api' | 'worker' | 'datastore';

/** What kind of trouble a rule reports; incidents pick the symptoms a degrading service would show. */
export type Symptom = 'errors' | 'latency' | 'saturation' | 'availability' | 'capacity' | 'expiry' | 'backlog' | 'security';

/**
 * One alert rule as an operator would write it. The observed value sits at `base` normally; the rule
 * fires when it crosses `threshold` (upwards if `threshold > base`, downwards otherwise).
 */
export interface RuleTemplate {
  name: string;
  kinds: readonly ServiceKind[];
  severity: Severity;
  symptom: Symptom;
  base: number;
  threshold: number;
  /** Bounds of the observed value (ratios stay in [0, 1]). */
  min: number;
  max: number;
  /** Whole numbers only (counts). */
  integer: boolean;
  /** Annotation template; see `summaries.ts` for the placeholders. */
  summary: string;
  /** Always present on a service of a matching kind (otherwise present with some probability). */
  core: boolean;
}

const ANY: readonly ServiceKind[] = ['edge', 'api', 'worker', 'datastore'];
const INF = Number.POSITIVE_INFINITY;

function rule(t: Partial<RuleTemplate> & Pick<RuleTemplate, 'name' | 'kinds' | 'severity' | 'symptom' | 'base' | 'threshold' | 'summary'>): RuleTemplate {
  return { min: 0, max: INF, integer: false, core: false, ...t };
}

/** Every rule the synthetic organisation runs. */
export const RULE_CATALOG: readonly RuleTemplate[] = [
  rule({ name: 'HighErrorRate', kinds: ['edge', 'api'], severity: 'error', symptom: 'errors', base: 0.004, threshold: 0.05, max: 1, core: true,
    summary: '{service}: {valuePct} of requests are failing on {instance} (threshold {thresholdPct}).' }),
  rule({ name: 'HighRequestLatency', kinds: ['edge', 'api'], severity: 'warning', symptom: 'latency', base: 0.25, threshold: 1.5, core: true,
    summary: 'p99 latency of {service} is {value}s on {instance} (threshold {threshold}s).' }),
  rule({ name: 'InstanceDown', kinds: ANY, severity: 'critical', symptom: 'availability', base: 1, threshold: 0.5, max: 1, integer: true, core: true,
    summary: '{instance} of job {job} has been down for more than 1 minute.' }),
  rule({ name: 'HighCPUUsage', kinds: ANY, severity: 'warning', symptom: 'saturation', base: 0.45, threshold: 0.9, max: 1, core: true,
    summary: 'CPU usage on {instance} is {valuePct} for 5 minutes.' }),
  rule({ name: 'HighMemoryUsage', kinds: ANY, severity: 'warning', symptom: 'capacity', base: 0.55, threshold: 0.9, max: 1, core: true,
    summary: 'Memory usage of {service} on {instance} is {valuePct} of its limit.' }),
  rule({ name: 'PodCrashLooping', kinds: ['edge', 'api', 'worker'], severity: 'warning', symptom: 'availability', base: 0, threshold: 3, integer: true,
    summary: 'Pod {pod} of {service} restarted {value} times in the last 15 minutes.' }),
  rule({ name: 'UpstreamTimeouts', kinds: ['edge', 'api'], severity: 'error', symptom: 'errors', base: 1, threshold: 25, integer: true,
    summary: 'Calls from {service} to {dependency} are timing out ({value}/min).' }),
  rule({ name: 'ConnectionPoolExhausted', kinds: ['api', 'datastore'], severity: 'error', symptom: 'saturation', base: 0.4, threshold: 0.95, max: 1,
    summary: 'Connection pool of {service} is {valuePct} used on {instance}.' }),
  rule({ name: 'DiskSpaceLow', kinds: ['datastore', 'worker'], severity: 'warning', symptom: 'capacity', base: 0.45, threshold: 0.1, max: 1, core: true,
    summary: 'Only {valuePct} disk space left on {instance} ({mount}).' }),
  rule({ name: 'DiskWillFillIn4Hours', kinds: ['datastore'], severity: 'error', symptom: 'capacity', base: 24, threshold: 4,
    summary: 'Disk {mount} on {instance} is predicted to fill within {value} hours.' }),
  rule({ name: 'ReplicationLagHigh', kinds: ['datastore'], severity: 'error', symptom: 'latency', base: 0.5, threshold: 30,
    summary: 'Replication lag on {instance} is {value}s.' }),
  rule({ name: 'SlowQueries', kinds: ['datastore'], severity: 'warning', symptom: 'latency', base: 2, threshold: 50, integer: true,
    summary: '{value} slow queries/min on {instance}; slowest: {query}' }),
  rule({ name: 'CacheHitRateLow', kinds: ['datastore'], severity: 'warning', symptom: 'saturation', base: 0.96, threshold: 0.8, max: 1,
    summary: 'Cache hit rate of {service} dropped to {valuePct}.' }),
  rule({ name: 'BackupFailed', kinds: ['datastore'], severity: 'error', symptom: 'capacity', base: 0, threshold: 1, integer: true,
    summary: 'Nightly backup of {service} failed {value} time(s): {backupError}' }),
  rule({ name: 'CertificateExpiringSoon', kinds: ['edge'], severity: 'warning', symptom: 'expiry', base: 60, threshold: 14, integer: true,
    summary: 'TLS certificate for {host} expires in {value} days.' }),
  rule({ name: 'TLSHandshakeErrors', kinds: ['edge'], severity: 'warning', symptom: 'errors', base: 2, threshold: 40, integer: true,
    summary: '{value} TLS handshake failures/min on {instance}; last client {clientIp}.' }),
  rule({ name: 'ConsumerLagHigh', kinds: ['worker', 'datastore'], severity: 'warning', symptom: 'backlog', base: 200, threshold: 10_000, integer: true,
    summary: 'Consumer group {service} is {value} messages behind on {topic}.' }),
  rule({ name: 'QueueDepthHigh', kinds: ['worker'], severity: 'warning', symptom: 'backlog', base: 50, threshold: 5000, integer: true,
    summary: '{value} jobs waiting in queue {topic} of {service}.' }),
  rule({ name: 'JobFailed', kinds: ['worker'], severity: 'error', symptom: 'errors', base: 0, threshold: 1, integer: true,
    summary: 'Job {job} failed {value} time(s): {jobError}' }),
  rule({ name: 'LoginFailuresHigh', kinds: ['api'], severity: 'warning', symptom: 'security', base: 5, threshold: 50, integer: true,
    summary: '{value} failed logins/min on {service}; top account {email} from {clientIp}.' }),
  rule({ name: 'PaymentDeclinesHigh', kinds: ['api'], severity: 'error', symptom: 'errors', base: 0.02, threshold: 0.15, max: 1,
    summary: 'Card declines at {valuePct} on {service}; last declined customer {email}.' }),
  rule({ name: 'WebhookDeliveryFailing', kinds: ['worker'], severity: 'warning', symptom: 'errors', base: 0.01, threshold: 0.2, max: 1,
    summary: '{valuePct} of webhook deliveries failing; last target https://hooks.example.net/in?token={token}' }),
];
