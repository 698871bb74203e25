import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorBodySchema } from '../../schemas/json-schemas.js';

/** One stored item of a 202 response. */
export const AcceptanceSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: 'Position of the item in the request (0 for a single object).' }),
    id: Type.String({ description: 'Alert id (the client\'s or a generated one); for an outcome, the alert it labels.' }),
    status: Type.String({ description: 'The alert\'s status (firing/resolved); for an outcome, its outcome.' }),
  },
  { additionalProperties: false },
);

/** One rejected item of a 202 or 400 response. */
export const RejectionSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    code: Type.Union([Type.Literal('HUSH_ERR_VALIDATION'), Type.Literal('HUSH_ERR_FORBIDDEN_TENANT')]),
    field: Type.String({ description: 'The offending field.' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);

/** 202: valid items were stored; invalid ones are listed and were not. */
export const IngestResponseSchema = Type.Object(
  { accepted: Type.Array(AcceptanceSchema), rejected: Type.Array(RejectionSchema) },
  { additionalProperties: false },
);

/** 400 on an ingest route: `{ code, message }` plus every rejected item when nothing was valid. */
export const RejectedErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String({ description: 'Names the first offending field.' }),
  rejected: Type.Optional(Type.Array(RejectionSchema)),
});

/** `GET /healthz`. */
export const HealthSchema = Type.Object({
  ok: Type.Boolean(),
  checks: Type.Record(Type.String(), Type.String(), { description: '"ok" or the failure, per dependency.' }),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export { ErrorBodySchema };

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One model of `GET /api/v1/models` (without its artifact). */
export const ModelSummarySchema = Type.Object({
  modelId: Type.String({ description: 'e.g. `noise-v3-gbdt`; the `{id}` of the promote route.' }),
  kind: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  family: nullable(Type.String({ description: '`gbdt` or `mlp`.' })),
  createdAt: Type.String({ description: 'UTC, `YYYY-MM-DD hh:mm:ss`.' }),
  featureSchemaVersion: Type.Integer(),
  metrics: Type.Record(Type.String(), Type.Unknown(), { description: 'Holdout metrics (`holdout.auc`, `holdout.noiseReduction`, `holdout.fnr`, …), parameters, training time.' }),
  trainingWindow: Type.Object({ start: Type.String(), end: Type.String() }),
  datasetHash: Type.String(),
  champion: Type.Boolean(),
});

/** One registry event (registration, promotion, rollback, rejection). */
export const ModelEventSchema = Type.Object({
  at: Type.String({ description: 'RFC 3339, millisecond precision.' }),
  action: Type.Union([Type.Literal('register'), Type.Literal('promote'), Type.Literal('rollback'), Type.Literal('reject')]),
  modelId: Type.String({ description: 'The model concerned; for a rollback, the new champion (empty: cold start).' }),
  previousModelId: Type.String(),
  reason: Type.String(),
  evidence: Type.Record(Type.String(), Type.Unknown()),
});

/** `GET /api/v1/models`. */
export const ModelsResponseSchema = Type.Object({
  kind: Type.String(),
  champion: nullable(Type.String({ description: 'null at cold start.' })),
  models: Type.Array(ModelSummarySchema, { description: 'Newest first.' }),
  history: Type.Array(ModelEventSchema, { description: 'The most recent registry events, newest first.' }),
});

/** Promotion and rollback: the champion before and after (null = no champion, cold start). */
export const ChampionChangeSchema = Type.Object({ previous: nullable(Type.String()), current: nullable(Type.String()) }, { additionalProperties: false });

/** `POST /api/v1/ml/retrain`. */
export const RetrainAcceptedSchema = Type.Object({ jobId: Type.String({ description: 'The same id while a training of this (tenant, kind) waits or runs.' }) }, { additionalProperties: false });

/** `GET /api/v1/ml/retrain/{jobId}`. */
export const TrainingStatusSchema = Type.Object({
  jobId: Type.String(),
  state: Type.String({ description: 'BullMQ state: waiting, active, completed, failed, delayed, …' }),
  progress: nullable(Type.Object({ fraction: Type.Number({ minimum: 0, maximum: 1 }), stage: Type.String() })),
  result: nullable(Type.Object({ modelId: Type.String(), version: Type.Integer(), metrics: Type.Record(Type.String(), Type.Unknown()) })),
  failedReason: nullable(Type.String()),
});

/** Pin and unpin of a service's threshold. */
export const ThresholdChangeSchema = Type.Object(
  {
    service: Type.String(),
    threshold: Type.Number({ description: 'The threshold now in force (after an unpin: the default).' }),
    previous: Type.Number({ description: 'The threshold in force before.' }),
    pinned: Type.Boolean(),
  },
  { additionalProperties: false },
);
