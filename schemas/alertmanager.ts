import { ALERT_STATUSES, type Alert } from './alert.js';
import {
  type JsonObject,
  checkEnum,
  checkIdentity,
  checkTimestamp,
  fail,
  guardParse,
  mergeLabels,
  optionalIdentity,
  optionalObject,
  own,
  requireObject,
  resolveTenant,
} from './field-readers.js';
import { finishAlert } from './normalise-alert.js';
import { ID_RULES, NAME_RULES } from './parse-alert.js';
import { type ParseContext, type ParseResult, ROOT_FIELD } from './parse-result.js';
import { SEVERITY_WORDS, mapSeverity } from './severity-mapping.js';
import { describeValue } from './text-checks.js';

/** Alertmanager's Go zero time: what it sends as `endsAt` while an alert is firing. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Labels that name the owning service, in order of preference: an explicit `service` label,
 * then the scrape `job` (usually one per service), then the Kubernetes `namespace`.
 */
export const SERVICE_LABELS = ['service', 'job', 'namespace'] as const;

/**
 * Maps an Alertmanager webhook payload (version "4") onto native alerts: one result per entry of
 * `alerts[]`, so one bad alert does not reject its group. Error fields name the field inside that
 * alert (`labels.severity`); the caller adds the index. Never throws.
 */
export function parseAlertmanagerWebhook(input: unknown, context: ParseContext): ParseResult<ParseResult<Alert>[]> {
  return guardParse(() => {
    const payload = requireObject(input, ROOT_FIELD, 'an Alertmanager webhook payload');
    const tenant = resolveTenant(payload, context);
    const version = own(payload, 'version');
    if (version !== '4') fail('version', `version must be "4" (the Alertmanager webhook format), got ${describeValue(version)}`);
    const alerts = own(payload, 'alerts');
    if (!Array.isArray(alerts)) fail('alerts', `alerts must be an array, got ${describeValue(alerts)}`);
    // Validated once here so a malformed commonLabels is reported against the payload, not each alert.
    const commonLabels = optionalObject(own(payload, 'commonLabels'), 'commonLabels');
    mergeLabels([{ value: commonLabels, field: 'commonLabels' }]);
    return alerts.map((alert: unknown) => guardParse(() => mapAlert(alert, commonLabels, tenant)));
  });
}

function mapAlert(input: unknown, commonLabels: JsonObject | undefined, tenant: string): Alert {
  const alert = requireObject(input, ROOT_FIELD, 'each entry of alerts');
  const labels = mergeLabels([
    { value: commonLabels, field: 'commonLabels' },
    { value: own(alert, 'labels'), field: 'labels' },
  ]);
  const name = checkIdentity(labels.get('alertname'), 'labels.alertname', NAME_RULES);
  const serviceLabel = SERVICE_LABELS.find((key) => labels.has(key));
  if (serviceLabel === undefined) {
    fail('labels.service', `one of the labels ${SERVICE_LABELS.join(', ')} must name the owning service (tried in that order)`);
  }
  const service = checkIdentity(labels.get(serviceLabel), `labels.${serviceLabel}`, NAME_RULES);
  const severityWord = labels.get('severity');
  const severity = severityWord === undefined ? undefined : mapSeverity(severityWord);
  if (severity === undefined) {
    fail('labels.severity', `labels.severity must be one of ${SEVERITY_WORDS.join(', ')}, got ${describeValue(severityWord ?? null)}`);
  }
  const status = checkEnum(own(alert, 'status'), 'status', ALERT_STATUSES);
  const startsAt = checkTimestamp(own(alert, 'startsAt'), 'startsAt');
  const annotations = optionalObject(own(alert, 'annotations'), 'annotations');
  const fingerprint = optionalIdentity(own(alert, 'fingerprint'), 'fingerprint', ID_RULES);
  return finishAlert({
    // id = hash(fingerprint, startsAt): Alertmanager repeats the same alert on every group_interval and
    // sends the resolved copy with the original startsAt, so all of them collapse onto one id.
    fingerprint,
    tenant,
    source: 'alertmanager',
    name,
    service,
    severity,
    status,
    startsAt,
    endsAt: mapEndsAt(own(alert, 'endsAt'), status, startsAt),
    summary: annotationText(annotations, 'summary') ?? annotationText(annotations, 'description'),
    labels,
    value: null,
  });
}

/**
 * A firing alert's endsAt is either Go's zero time or Alertmanager's resolve-timeout estimate, not an
 * end, so only a resolved alert keeps it.
 */
function mapEndsAt(value: unknown, status: 'firing' | 'resolved', startsAt: number): number | null {
  if (value === undefined || value === null || value === GO_ZERO_TIME) return null;
  const endsAt = checkTimestamp(value, 'endsAt');
  if (status === 'firing') return null;
  if (endsAt < startsAt) fail('endsAt', 'endsAt must not be earlier than startsAt');
  return endsAt;
}

function annotationText(annotations: JsonObject | undefined, key: string): string | undefined {
  if (annotations === undefined) return undefined;
  const value = own(annotations, key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(`annotations.${key}`, `annotations.${key} must be a string, got ${describeValue(value)}`);
  return value;
}
