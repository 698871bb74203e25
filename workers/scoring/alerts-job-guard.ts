import { UnrecoverableError } from 'bullmq';
import { ALERT_STATUSES, SEVERITIES, TENANT_PATTERN, type Alert } from '../../schemas/alert.js';
import { stripPii } from '../../shared/pii/strip-pii.js';

/**
 * Checks an `alerts` job before anything is stored. The SDK and gateway validate already, but any
 * process with Redis access can enqueue: a malformed job fails permanently (failed set, with its
 * reason) instead of being retried, and free text is PII-stripped again so nothing unstripped is stored.
 */
export function guardAlertsJob(data: unknown): Alert[] {
  const alerts = (data as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts) || alerts.length === 0) throw new UnrecoverableError('alerts job must carry a non-empty "alerts" array');
  return alerts.map((alert: unknown, index) => guardAlert(alert, index));
}

function guardAlert(value: unknown, index: number): Alert {
  const fail = (field: string, expected: string): never => {
    throw new UnrecoverableError(`alerts[${index}].${field} must be ${expected}`);
  };
  if (typeof value !== 'object' || value === null) return fail('', 'an object');
  const a = value as Record<string, unknown>;
  for (const field of ['id', 'source', 'name', 'service', 'fingerprint'] as const) {
    if (typeof a[field] !== 'string' || a[field] === '') fail(field, 'a non-empty string');
  }
  if (typeof a.tenant !== 'string' || !TENANT_PATTERN.test(a.tenant)) fail('tenant', `a tenant matching ${TENANT_PATTERN}`);
  if (!SEVERITIES.includes(a.severity as Alert['severity'])) fail('severity', SEVERITIES.join('|'));
  if (!ALERT_STATUSES.includes(a.status as Alert['status'])) fail('status', ALERT_STATUSES.join('|'));
  if (typeof a.startsAt !== 'number' || !Number.isFinite(a.startsAt)) fail('startsAt', 'epoch milliseconds');
  if (a.endsAt !== null && (typeof a.endsAt !== 'number' || !Number.isFinite(a.endsAt))) fail('endsAt', 'epoch milliseconds or null');
  if (a.value !== null && (typeof a.value !== 'number' || !Number.isFinite(a.value))) fail('value', 'a finite number or null');
  if (typeof a.summary !== 'string') fail('summary', 'a string');
  if (typeof a.labels !== 'object' || a.labels === null || Array.isArray(a.labels)) fail('labels', 'an object of strings');
  const labels: Record<string, string> = {};
  for (const [key, labelValue] of Object.entries(a.labels as Record<string, unknown>)) {
    if (typeof labelValue !== 'string') fail(`labels.${key}`, 'a string');
    labels[key] = stripPii(labelValue as string);
  }
  return { ...(a as unknown as Alert), summary: stripPii(a.summary as string), labels };
}
