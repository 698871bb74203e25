import { stripPii } from '../shared/pii/strip-pii.js';
import type { Alert, AlertStatus, Severity } from './alert.js';
import { shortHash } from './alert-identity.js';
import {
  type JsonObject,
  LABEL_KEY_PATTERN,
  MAX_LABELS,
  MAX_LABEL_VALUE_LENGTH,
  checkIdentity,
  checkTimestamp,
  fail,
  guardParse,
  isObject,
  optionalObject,
  own,
  requireObject,
  resolveTenant,
} from './field-readers.js';
import { finishAlert } from './normalise-alert.js';
import { NAME_RULES } from './parse-alert.js';
import { type ParseContext, type ParseResult, ROOT_FIELD } from './parse-result.js';
import { SEVERITY_WORDS, mapSeverity } from './severity-mapping.js';
import { collapseControlChars, describeValue, truncateUnits } from './text-checks.js';

const DEDUP_KEY_RULES = { min: 1, max: 255 } as const;
const STANDARD_LABELS = ['source', 'component', 'group', 'class'] as const;
/** Stands in for fields a payload-less `resolve` event cannot carry. */
const UNKNOWN = 'unknown';

// How an Events API v2 event maps onto the native alert, and why:
// - name = payload.class ?? payload.summary: class is PagerDuty's "type of event" (the rule); many
//   senders leave it out, and then the summary is the only name there is.
// - service = payload.group ?? payload.component ?? payload.source: the owning service is the
//   routing_key's PagerDuty service, which we must not store (it is a credential); group is the
//   "logical grouping of components of a service", component a part of it, source the host.
// - fingerprint = hash(dedup_key): dedup_key is the sender's identity for the alert series (what
//   Alertmanager's fingerprint is); without one, the native label hash is used (and the gateway answers
//   with the alert id as the dedup_key, as PagerDuty answers with the key it generated).
// - id = hash(fingerprint, startsAt) as everywhere; startsAt = payload.timestamp, else receipt time.
// - resolve: PagerDuty sends only routing_key + dedup_key; it needs a dedup_key, takes payload fields
//   when present, and its startsAt = endsAt = resolve time. Pairing it with its trigger (and a repeated
//   trigger with the first) needs the dedup_key's history, which the gateway keeps (PagerDutyDedup).
// - acknowledge is a human action on PagerDuty's side, not an alert event: it is refused.
// - standard payload fields and scalar custom_details (valid label names only) become labels.

/** The fingerprint of the alerts a PagerDuty dedup_key names. */
export function pagerDutyFingerprint(dedupKey: string): string {
  return shortHash(['pagerduty', dedupKey]);
}

/** A PagerDuty event as a native alert, with the sender's dedup_key (null when a trigger has none). */
export interface PagerDutyAlert {
  alert: Alert;
  dedupKey: string | null;
}

/** Maps a PagerDuty Events API v2 `trigger` or `resolve` event onto a native alert. Never throws. */
export function parsePagerDutyEvent(input: unknown, context: ParseContext): ParseResult<PagerDutyAlert> {
  return guardParse(() => {
    const event = requireObject(input, ROOT_FIELD, 'a PagerDuty Events API v2 event');
    const tenant = resolveTenant(event, context);
    const action = own(event, 'event_action');
    if (action === 'acknowledge') {
      fail('event_action', 'event_action "acknowledge" is not accepted: acknowledgements are feedback, send them as outcomes (POST an outcome with outcome "actionable")');
    }
    if (action !== 'trigger' && action !== 'resolve') {
      fail('event_action', `event_action must be "trigger" or "resolve", got ${describeValue(action)}`);
    }
    const status: AlertStatus = action === 'trigger' ? 'firing' : 'resolved';
    const dedupRaw = own(event, 'dedup_key');
    const dedupKey = dedupRaw === undefined || dedupRaw === null ? undefined : checkIdentity(dedupRaw, 'dedup_key', DEDUP_KEY_RULES);
    if (status === 'resolved' && dedupKey === undefined) fail('dedup_key', 'dedup_key is required to resolve an alert');

    const payload = status === 'firing' ? requireObject(own(event, 'payload'), 'payload', 'payload') : optionalObject(own(event, 'payload'), 'payload');
    const summary = readPayloadText(payload, 'summary', status === 'firing');
    const source = readPayloadText(payload, 'source', status === 'firing');
    const severity = readSeverity(payload, status);
    const timestamp = payload === undefined ? undefined : own(payload, 'timestamp');
    const at =
      timestamp === undefined || timestamp === null
        ? receivedAt(context)
        : checkTimestamp(timestamp, 'payload.timestamp', { lenientOffset: true });

    const labels = new Map<string, string>();
    for (const key of STANDARD_LABELS) {
      const value = key === 'source' ? source : readPayloadText(payload, key, false);
      if (value !== undefined) labels.set(key, value);
    }
    addCustomDetails(labels, payload === undefined ? undefined : own(payload, 'custom_details'));

    const nameText = labels.get('class') ?? summary;
    const name = nameText === undefined ? UNKNOWN : identityFromText(nameText, labels.has('class') ? 'payload.class' : 'payload.summary');
    const serviceKey = (['group', 'component', 'source'] as const).find((key) => labels.has(key));
    const service = serviceKey === undefined ? UNKNOWN : identityFromText(labels.get(serviceKey) ?? UNKNOWN, `payload.${serviceKey}`);

    const alert = finishAlert({
      fingerprint: dedupKey === undefined ? undefined : pagerDutyFingerprint(dedupKey),
      tenant,
      source: 'pagerduty',
      name,
      service,
      severity,
      status,
      startsAt: at,
      endsAt: status === 'resolved' ? at : null,
      summary,
      labels,
      value: null,
    });
    return { alert, dedupKey: dedupKey ?? null };
  });
}

function receivedAt(context: ParseContext): number {
  const given: unknown = isObject(context) ? own(context, 'receivedAt') : undefined;
  return typeof given === 'number' && Number.isFinite(given) ? given : Date.now();
}

function readPayloadText(payload: JsonObject | undefined, key: string, required: boolean): string | undefined {
  const field = `payload.${key}`;
  const value = payload === undefined ? undefined : own(payload, key);
  if (value === undefined || value === null) {
    if (required) fail(field, `${field} is required for a trigger event`);
    return undefined;
  }
  if (typeof value !== 'string') fail(field, `${field} must be a string, got ${describeValue(value)}`);
  if (value.length > MAX_LABEL_VALUE_LENGTH) fail(field, `${field} must be at most ${MAX_LABEL_VALUE_LENGTH} characters, got ${value.length}`);
  return value;
}

function readSeverity(payload: JsonObject | undefined, status: AlertStatus): Severity {
  const word = payload === undefined ? undefined : own(payload, 'severity');
  if ((word === undefined || word === null) && status === 'resolved') return 'info';
  const severity = typeof word === 'string' ? mapSeverity(word) : undefined;
  if (severity === undefined) {
    fail('payload.severity', `payload.severity must be one of critical, error, warning, info (or ${SEVERITY_WORDS.slice(4).join(', ')}), got ${describeValue(word)}`);
  }
  return severity;
}

/**
 * Free text promoted to a name: PII-stripped (a summary or a host may carry addresses), control
 * characters become spaces, cut to 256; then the identity rules apply.
 */
function identityFromText(text: string, field: string): string {
  return checkIdentity(truncateUnits(stripPii(collapseControlChars(text)).trim(), NAME_RULES.max), field, NAME_RULES);
}

function addCustomDetails(labels: Map<string, string>, details: unknown): void {
  // Free-form by design: keep what fits the label rules, skip the rest rather than refuse the event.
  if (!isObject(details)) return;
  for (const key of Object.keys(details)) {
    if (labels.size >= MAX_LABELS) return;
    if (labels.has(key) || !LABEL_KEY_PATTERN.test(key) || key.startsWith('__')) continue;
    const value = details[key];
    if (typeof value === 'string') labels.set(key, truncateUnits(value, MAX_LABEL_VALUE_LENGTH));
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') labels.set(key, String(value));
  }
}
