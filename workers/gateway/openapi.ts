import type { TSchema } from '@sinclair/typebox';
import { AlertWireSchema, AlertmanagerWebhookSchema, MetricSampleWireSchema, OutcomeWireSchema, PagerDutyEventSchema } from '../../schemas/json-schemas.js';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors/index.js';
import { MAX_BATCH_ITEMS } from './ingest.js';
import { CanaryBodySchema, ChampionChangeBodySchema, RetrainBodySchema, ThresholdBodySchema } from './request-schemas.js';
import {
  CanaryChangeSchema,
  ChampionChangeSchema,
  DriftOverviewSchema,
  DriftReportSchema,
  ErrorBodySchema,
  HealthSchema,
  IngestResponseSchema,
  MetricsIngestResponseSchema,
  ModelEventSchema,
  ModelSummarySchema,
  ModelsResponseSchema,
  PagerDutyIngestResponseSchema,
  RejectedErrorSchema,
  RetrainAcceptedSchema,
  ThresholdChangeSchema,
  TrainingStatusSchema,
} from './response-schemas.js';

type Json = Record<string, unknown>;

/** A TypeBox schema as plain JSON Schema (TypeBox's symbol keys dropped). */
function plain(schema: TSchema): Json {
  return JSON.parse(JSON.stringify(schema)) as Json;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });

function errorResponse(codes: readonly ErrorCode[], schema = 'ErrorBody'): Json {
  return { description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`).join(' '), content: json(ref(schema)) };
}

const COMMON_ERRORS: Json = {
  '401': errorResponse(['HUSH_ERR_UNAUTHENTICATED']),
  '403': errorResponse(['HUSH_ERR_FORBIDDEN_TENANT']),
  '413': errorResponse(['HUSH_ERR_BODY_TOO_LARGE']),
  '415': errorResponse(['HUSH_ERR_UNSUPPORTED_MEDIA_TYPE']),
  '500': errorResponse(['HUSH_ERR_INTERNAL']),
  '503': errorResponse(['HUSH_ERR_UNAVAILABLE']),
};

const INGEST_ACCEPTED: Json = { description: 'Valid items were stored on the queue; invalid ones are listed under `rejected`.', content: json(ref('IngestResponse')) };

function ingest(summary: string, body: Json, accepted: Json = INGEST_ACCEPTED): Json {
  return {
    post: {
      summary,
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json(body) },
      responses: {
        '202': accepted,
        '400': errorResponse(['HUSH_ERR_VALIDATION', 'HUSH_ERR_INVALID_JSON'], 'RejectedError'),
        ...COMMON_ERRORS,
      },
    },
  };
}

/** Errors every ML route may answer; 503 also when the gateway runs without ClickHouse. */
const ML_ERRORS: Json = {
  '400': errorResponse(['HUSH_ERR_VALIDATION']),
  '401': errorResponse(['HUSH_ERR_UNAUTHENTICATED']),
  '500': errorResponse(['HUSH_ERR_INTERNAL']),
  '503': errorResponse(['HUSH_ERR_UNAVAILABLE']),
};

/** Errors of an ML route that takes a JSON body. */
const ML_BODY_ERRORS: Json = {
  ...ML_ERRORS,
  '400': errorResponse(['HUSH_ERR_VALIDATION', 'HUSH_ERR_INVALID_JSON']),
  '413': errorResponse(['HUSH_ERR_BODY_TOO_LARGE']),
  '415': errorResponse(['HUSH_ERR_UNSUPPORTED_MEDIA_TYPE']),
};

const pathParam = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

function mlOperation(summary: string, fields: { parameters?: Json[]; body?: { schema: Json; required: boolean }; ok: [string, string, string]; errors: Json }): Json {
  const [status, description, schema] = fields.ok;
  return {
    summary,
    security: [{ bearer: [] }],
    ...(fields.parameters ? { parameters: fields.parameters } : {}),
    ...(fields.body ? { requestBody: { required: fields.body.required, content: json(fields.body.schema) } } : {}),
    responses: { [status]: { description, content: json(ref(schema)) }, ...fields.errors },
  };
}

const NOT_FOUND = (what: string): Json => ({ '404': { description: `\`HUSH_ERR_NOT_FOUND\`: ${what}`, content: json(ref('ErrorBody')) } });

/** The model registry, training and threshold routes (issue 3). */
function mlPaths(): Json {
  return {
    '/api/v1/models': {
      get: mlOperation("The tenant's models of a kind, its champion and the recent registry history", {
        parameters: [{ name: 'kind', in: 'query', required: false, description: 'Model kind (default `noise`).', schema: { type: 'string' } }],
        ok: ['200', 'Models newest first; history newest first.', 'ModelsResponse'],
        errors: ML_ERRORS,
      }),
    },
    '/api/v1/models/{id}/promote': {
      post: mlOperation('Make one of the tenant\'s models the champion (fleet-wide within seconds)', {
        parameters: [pathParam('id', 'The model id, as `GET /api/v1/models` lists it.')],
        body: { schema: ref('ChampionChangeBody'), required: false },
        ok: ['200', 'The champion before and after, and the thresholds it now serves with.', 'ChampionChange'],
        errors: { ...ML_BODY_ERRORS, ...NOT_FOUND('the tenant has no such model of this kind.'), '409': errorResponse(['HUSH_ERR_CONFLICT']) },
      }),
    },
    '/api/v1/models/{id}/canary': {
      post: mlOperation("Let the tenant's challenger decide a stable share of its services (the champion then scores them in shadow)", {
        parameters: [pathParam('id', 'The challenger\'s model id, as `GET /api/v1/models` lists it.')],
        body: { schema: ref('CanaryBody'), required: true },
        ok: ['200', "The challenger's share of services before and after.", 'CanaryChange'],
        errors: {
          ...ML_BODY_ERRORS,
          ...NOT_FOUND('the tenant has no such model of this kind.'),
          '409': errorResponse(['HUSH_ERR_CONFLICT']),
        },
      }),
    },
    '/api/v1/models/rollback': {
      post: mlOperation('Flip the champion back to the one it replaced (cold start when there was none)', {
        body: { schema: ref('ChampionChangeBody'), required: false },
        ok: ['200', 'The champion before and after, and the thresholds it now serves with.', 'ChampionChange'],
        errors: { ...ML_BODY_ERRORS, ...NOT_FOUND('the tenant has no champion of this kind to roll back.'), '409': errorResponse(['HUSH_ERR_CONFLICT']) },
      }),
    },
    '/api/v1/ml/retrain': {
      post: mlOperation('Ask for a training of the tenant\'s model', {
        body: { schema: ref('RetrainBody'), required: false },
        ok: ['202', 'Queued, or already waiting or running for this (tenant, kind): the same job id.', 'RetrainAccepted'],
        errors: { ...ML_BODY_ERRORS, '403': errorResponse(['HUSH_ERR_FORBIDDEN_TENANT']) },
      }),
    },
    '/api/v1/ml/retrain/{jobId}': {
      get: mlOperation('State, progress and result of a training job', {
        parameters: [pathParam('jobId', 'As `POST /api/v1/ml/retrain` returned it.')],
        ok: ['200', 'The job; `result` holds the model id and holdout metrics once completed.', 'TrainingStatus'],
        errors: { ...ML_ERRORS, ...NOT_FOUND("no such job, or another tenant's.") },
      }),
    },
    '/api/v1/ml/drift': {
      get: mlOperation('The latest drift reports with every statistic, and the next planned training with its reason', {
        parameters: [
          { name: 'model', in: 'query', required: false, description: 'Only the reports and decisions of this model id.', schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, description: 'Reports to return, newest window first (1–1000, default 10).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        ok: ['200', 'What `hush drift --json` prints.', 'DriftOverview'],
        errors: ML_ERRORS,
      }),
    },
    '/api/v1/ml/thresholds': {
      put: mlOperation("Set and pin a service's decision threshold (the optimiser leaves it alone)", {
        body: { schema: ref('ThresholdBody'), required: true },
        ok: ['200', 'The threshold now in force and the one before.', 'ThresholdChange'],
        errors: ML_BODY_ERRORS,
      }),
    },
    '/api/v1/ml/thresholds/{service}': {
      delete: mlOperation("Unpin a service's threshold: the default applies until the optimiser sets one", {
        parameters: [pathParam('service', 'The service, URL-encoded.')],
        ok: ['200', 'The threshold now in force and the pinned one before.', 'ThresholdChange'],
        errors: { ...ML_ERRORS, ...NOT_FOUND('the service has no pinned threshold.') },
      }),
    },
  };
}

/** The metric-sample ingest routes (issue 6): JSON samples and Prometheus remote write 1.0. */
function metricsPaths(): Json {
  // Remote-write samples carry no tenant of their own (a `tenant` label is an ordinary label): never 403.
  const { '403': _forbidden, ...remoteWriteErrors } = COMMON_ERRORS;
  const accepted = { description: 'Valid samples were stored on the metrics queue; counts, with invalid samples listed.', content: json(ref('MetricsIngestResponse')) };
  return {
    '/api/v1/metrics': {
      post: {
        summary: 'Ingest one metric sample or an array of samples',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: json(oneOrMany('MetricSampleWire')) },
        responses: { '202': accepted, '400': errorResponse(['HUSH_ERR_VALIDATION', 'HUSH_ERR_INVALID_JSON'], 'RejectedError'), ...COMMON_ERRORS },
      },
    },
    '/api/v1/metrics/write': {
      post: {
        summary: 'Prometheus remote write 1.0: a snappy-compressed protobuf prometheus.WriteRequest, samples for the token\'s tenant',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'Content-Encoding', in: 'header', required: true, schema: { const: 'snappy' } },
          { name: 'X-Prometheus-Remote-Write-Version', in: 'header', required: false, description: 'Sent by Prometheus (`0.1.0`); not checked.', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/x-protobuf': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '202': accepted, '400': errorResponse(['HUSH_ERR_MALFORMED_BODY', 'HUSH_ERR_VALIDATION'], 'RejectedError'), ...remoteWriteErrors },
      },
    },
  };
}

const oneOrMany = (name: string): Json => ({ oneOf: [ref(name), { type: 'array', items: ref(name), minItems: 1, maxItems: MAX_BATCH_ITEMS }] });

/** The gateway's OpenAPI 3.1 document, built from the same TypeBox schemas the API is specified by. */
export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hush gateway',
      version: '1.0.0',
      description: 'Ingest of alerts and outcomes; the model registry, training and per-service thresholds. Every error body is `{ code, message }`; codes are stable.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API token (HUSH_TOKENS or `hush token issue`).' } },
      schemas: {
        AlertWire: plain(AlertWireSchema),
        OutcomeWire: plain(OutcomeWireSchema),
        AlertmanagerWebhook: plain(AlertmanagerWebhookSchema),
        PagerDutyEvent: plain(PagerDutyEventSchema),
        ErrorBody: plain(ErrorBodySchema),
        RejectedError: plain(RejectedErrorSchema),
        IngestResponse: plain(IngestResponseSchema),
        PagerDutyIngestResponse: plain(PagerDutyIngestResponseSchema),
        MetricSampleWire: plain(MetricSampleWireSchema),
        MetricsIngestResponse: plain(MetricsIngestResponseSchema),
        Health: plain(HealthSchema),
        ModelSummary: plain(ModelSummarySchema),
        ModelEvent: plain(ModelEventSchema),
        ModelsResponse: plain(ModelsResponseSchema),
        ChampionChange: plain(ChampionChangeSchema),
        ChampionChangeBody: plain(ChampionChangeBodySchema),
        CanaryChange: plain(CanaryChangeSchema),
        CanaryBody: plain(CanaryBodySchema),
        RetrainBody: plain(RetrainBodySchema),
        RetrainAccepted: plain(RetrainAcceptedSchema),
        TrainingStatus: plain(TrainingStatusSchema),
        ThresholdBody: plain(ThresholdBodySchema),
        ThresholdChange: plain(ThresholdChangeSchema),
        DriftReport: plain(DriftReportSchema),
        DriftOverview: plain(DriftOverviewSchema),
      },
    },
    paths: {
      '/api/v1/alerts': ingest('Ingest one native alert or an array of alerts', oneOrMany('AlertWire')),
      '/api/v1/alerts/alertmanager': ingest('Ingest an Alertmanager webhook (version 4)', ref('AlertmanagerWebhook')),
      '/api/v1/alerts/pagerduty': ingest('Ingest a PagerDuty Events API v2 trigger or resolve event; the events of an open dedup_key are one alert', ref('PagerDutyEvent'), {
        description: "The event's alert was stored; `status`, `message` and `dedup_key` as in PagerDuty's answer, where `dedup_key` is the key a resolve of that alert names, generated for a trigger without one.",
        content: json(ref('PagerDutyIngestResponse')),
      }),
      '/api/v1/outcomes': ingest('Record one outcome or an array of outcomes', oneOrMany('OutcomeWire')),
      ...metricsPaths(),
      ...mlPaths(),
      '/api/v1/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } } },
      },
      '/healthz': {
        get: {
          summary: 'Gateway and dependency health',
          responses: {
            '200': { description: 'Every dependency answers.', content: json(ref('Health')) },
            '503': { description: 'A dependency does not answer.', content: json(ref('Health')) },
          },
        },
      },
    },
  };
}
