import type { TSchema } from '@sinclair/typebox';
import { AlertWireSchema, AlertmanagerWebhookSchema, OutcomeWireSchema, PagerDutyEventSchema } from '../../schemas/json-schemas.js';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors/index.js';
import { MAX_BATCH_ITEMS } from './ingest.js';
import { ErrorBodySchema, HealthSchema, IngestResponseSchema, RejectedErrorSchema } from './response-schemas.js';

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

function ingest(summary: string, body: Json): Json {
  return {
    post: {
      summary,
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json(body) },
      responses: {
        '202': { description: 'Valid items were stored on the queue; invalid ones are listed under `rejected`.', content: json(ref('IngestResponse')) },
        '400': errorResponse(['HUSH_ERR_VALIDATION', 'HUSH_ERR_INVALID_JSON'], 'RejectedError'),
        ...COMMON_ERRORS,
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
      description: 'Ingest of alerts and outcomes. Every error body is `{ code, message }`; codes are stable.',
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
        Health: plain(HealthSchema),
      },
    },
    paths: {
      '/api/v1/alerts': ingest('Ingest one native alert or an array of alerts', oneOrMany('AlertWire')),
      '/api/v1/alerts/alertmanager': ingest('Ingest an Alertmanager webhook (version 4)', ref('AlertmanagerWebhook')),
      '/api/v1/alerts/pagerduty': ingest('Ingest a PagerDuty Events API v2 trigger or resolve event', ref('PagerDutyEvent')),
      '/api/v1/outcomes': ingest('Record one outcome or an array of outcomes', oneOrMany('OutcomeWire')),
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
