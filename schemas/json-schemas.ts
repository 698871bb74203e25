import { Type } from '@sinclair/typebox';
import { ALERT_STATUSES, SEVERITIES, TENANT_PATTERN } from './alert.js';
import { LABEL_KEY_PATTERN, MAX_LABELS, MAX_LABEL_VALUE_LENGTH } from './field-readers.js';
import { METRIC_NAME_PATTERN } from './metric-sample.js';
import { OUTCOME_KINDS, OUTCOME_SOURCES } from './outcome.js';
import { SEVERITY_WORDS } from './severity-mapping.js';

// Documentation of the wire formats for the OpenAPI document. The parse* functions are the one
// validation path (they also check what JSON Schema cannot: surrogates, byte lengths, endsAt ≥
// startsAt, tenant ownership); these schemas must not be attached as Fastify body validators,
// whose Ajv would coerce types before the parser sees them. Unknown fields are allowed and dropped.

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

const Timestamp = (description: string) => Type.String({ format: 'date-time', description: `${description} RFC 3339 with a time zone, years 2000-2100.` });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description: `${description} No control characters.` });
const Tenant = Type.String({ pattern: TENANT_PATTERN.source, description: "Optional; must equal the token's tenant." });
const Labels = (description: string) =>
  Type.Record(Type.String({ pattern: LABEL_KEY_PATTERN.source }), Type.String({ maxLength: MAX_LABEL_VALUE_LENGTH }), {
    maxProperties: MAX_LABELS,
    description: `${description} Names starting with "__" are reserved.`,
  });

/** The native alert (DESIGN §2). */
export const AlertWireSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Idempotency key; generated from fingerprint and startsAt if absent.' })),
    tenant: Type.Optional(Tenant),
    source: Name('Collector or monitoring system, e.g. prometheus.'),
    name: Name('Alert rule name.'),
    service: Name('Owning service.'),
    severity: literals(SEVERITIES),
    status: literals(ALERT_STATUSES),
    startsAt: Timestamp('Event time.'),
    endsAt: Type.Optional(Type.Union([Timestamp('Set on resolved; not before startsAt.'), Type.Null()])),
    summary: Type.Optional(Type.String({ description: 'Free text, at most 2048 bytes of UTF-8; PII is stripped on receipt.' })),
    labels: Type.Optional(Labels('Alertmanager-style labels; values are PII-stripped on receipt.')),
    value: Type.Optional(Type.Number({ description: 'Observed value; finite.' })),
    fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Series identity; hashed from tenant, name, service and labels if absent.' })),
  },
  { additionalProperties: true, description: 'One alert in the native format.' },
);

/** Feedback on an alert (DESIGN §3). */
export const OutcomeWireSchema = Type.Object(
  {
    tenant: Type.Optional(Tenant),
    alertId: Type.String({ minLength: 1, maxLength: 128 }),
    outcome: literals(OUTCOME_KINDS),
    at: Timestamp('When the outcome was decided.'),
    source: literals(OUTCOME_SOURCES),
  },
  { additionalProperties: true },
);

const AlertmanagerAlertSchema = Type.Object(
  {
    status: literals(ALERT_STATUSES),
    labels: Labels('Needs alertname, severity, and one of service, job, namespace (tried in that order).'),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'summary (or else description) becomes the summary.' })),
    startsAt: Timestamp('Event time.'),
    endsAt: Type.Optional(Type.String({ description: 'Kept for resolved alerts; "0001-01-01T00:00:00Z" means unset.' })),
    generatorURL: Type.Optional(Type.String()),
    fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: true },
);

/** Alertmanager webhook_config payload, version 4. */
export const AlertmanagerWebhookSchema = Type.Object(
  {
    version: Type.Literal('4'),
    tenant: Type.Optional(Tenant),
    groupKey: Type.Optional(Type.String()),
    truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
    status: Type.Optional(literals(ALERT_STATUSES)),
    receiver: Type.Optional(Type.String()),
    groupLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
    commonLabels: Type.Optional(Labels('Merged under each alert\'s labels.')),
    commonAnnotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    externalURL: Type.Optional(Type.String()),
    alerts: Type.Array(AlertmanagerAlertSchema),
  },
  { additionalProperties: true, description: 'Each alert is accepted or rejected on its own.' },
);

/** PagerDuty Events API v2 alert event; `acknowledge` is refused. */
export const PagerDutyEventSchema = Type.Object(
  {
    routing_key: Type.Optional(Type.String({ description: 'Ignored and never stored; the bearer token selects the tenant.' })),
    event_action: Type.Union([Type.Literal('trigger'), Type.Literal('resolve')]),
    dedup_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Required for resolve.' })),
    tenant: Type.Optional(Tenant),
    payload: Type.Optional(
      Type.Object(
        {
          summary: Type.String({ maxLength: 1024 }),
          source: Type.String({ maxLength: 1024 }),
          severity: Type.String({ description: `One of ${SEVERITY_WORDS.join(', ')}.` }),
          timestamp: Type.Optional(Type.String({ description: 'RFC 3339 (a +hhmm offset is accepted); receipt time if absent.' })),
          component: Type.Optional(Type.String({ maxLength: 1024 })),
          group: Type.Optional(Type.String({ maxLength: 1024 })),
          class: Type.Optional(Type.String({ maxLength: 1024 })),
          custom_details: Type.Optional(Type.Unknown({ description: 'Scalar entries with valid label names become labels.' })),
        },
        { additionalProperties: true, description: 'Required for trigger.' },
      ),
    ),
  },
  { additionalProperties: true },
);

/** Every API error: a stable code from the registry and a message naming the problem. */
export const ErrorBodySchema = Type.Object(
  {
    code: Type.String({ pattern: '^HUSH_ERR_[A-Z_]+$', description: 'Stable error code (docs/errors.md).' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);

/** One metric sample of `POST /api/v1/metrics` (validated by `parseMetricSample`). */
export const MetricSampleWireSchema = Type.Object(
  {
    tenant: Type.Optional(Tenant),
    name: Type.String({ pattern: METRIC_NAME_PATTERN.source, description: 'Metric name in Prometheus syntax, e.g. `http_requests_total`.' }),
    labels: Type.Optional(Labels('Series labels; with `name` they identify the series.')),
    timestamp: Type.Integer({ minimum: Date.UTC(2000, 0, 1), exclusiveMaximum: Date.UTC(2100, 0, 1), description: 'Event time in epoch milliseconds (years 2000-2100).' }),
    value: Type.Number({ description: 'A finite number.' }),
  },
  { additionalProperties: true },
);
