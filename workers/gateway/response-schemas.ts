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

/** 202 of the PagerDuty route: the ingest response plus the fields of PagerDuty's own answer. */
export const PagerDutyIngestResponseSchema = Type.Object(
  {
    ...IngestResponseSchema.properties,
    status: Type.Literal('success', { description: 'As PagerDuty answers an accepted event.' }),
    message: Type.Literal('Event processed', { description: 'As PagerDuty answers an accepted event.' }),
    dedup_key: Type.String({
      description: "The key a resolve names this event's alert by: the event's dedup_key or, for a trigger without one, the alert id.",
    }),
  },
  { additionalProperties: false },
);

/** 202 of the metrics routes: counts, not one entry per sample. */
export const MetricsIngestResponseSchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'Samples stored on the metrics queue.' }),
    skipped: Type.Integer({ minimum: 0, description: 'Remote-write samples left out by rule: staleness markers, NaN/±Inf values, native histograms.' }),
    rejected: Type.Array(RejectionSchema, { description: 'Invalid samples; `index` counts samples in request order (series by series for remote write).' }),
  },
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

/** One registry event (registration, promotion, rollback, rejection, canary stage, re-certification). */
export const ModelEventSchema = Type.Object({
  at: Type.String({ description: 'RFC 3339, millisecond precision.' }),
  action: Type.Union([Type.Literal('register'), Type.Literal('promote'), Type.Literal('rollback'), Type.Literal('reject'), Type.Literal('canary'), Type.Literal('recertify')]),
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


/** `POST /api/v1/models/{id}/canary`: the challenger's share of services before and after. */
export const CanaryChangeSchema = Type.Object(
  { modelId: Type.String(), previousShare: Type.Number({ minimum: 0, maximum: 1 }), share: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false },
);

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

/** A change of a service's threshold: a pin, an unpin, or the optimiser's. */
export const ThresholdChangeSchema = Type.Object(
  {
    service: Type.String(),
    threshold: Type.Number({ description: 'The threshold now in force (after an unpin or a removal: the tenant-wide one, else the default).' }),
    previous: Type.Number({ description: 'The threshold in force before.' }),
    pinned: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** Promotion and rollback: the champion before and after (null = no champion, cold start) and the thresholds it now serves with. */
export const ChampionChangeSchema = Type.Object(
  {
    previous: nullable(Type.String()),
    current: nullable(Type.String()),
    thresholds: Type.Object(
      {
        source: Type.Union([Type.Literal('promotion'), Type.Literal('re-certification'), Type.Literal('none')], {
          description: 'The evaluation the new champion\'s thresholds come from; `none`: it was never evaluated (or there is no champion), so every unpinned service uses HUSH_DEFAULT_THRESHOLD.',
        }),
        changes: Type.Array(ThresholdChangeSchema, { description: 'Services whose threshold changed; pinned ones never do.' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** One drift report of `GET /api/v1/ml/drift` (docs/drift.md, "Report"). */
export const DriftReportSchema = Type.Object({
  kind: Type.String(),
  modelId: Type.String({ description: 'The champion whose reference profile the window was judged against.' }),
  windowKind: Type.Union([Type.Literal('tumbling'), Type.Literal('sliding')]),
  windowStart: Type.String({ description: 'RFC 3339; event time, inclusive.' }),
  windowEnd: Type.String({ description: 'RFC 3339; event time, exclusive.' }),
  rows: Type.Integer({ minimum: 0 }),
  evaluatedFeatures: Type.Integer({ minimum: 0 }),
  driftedFeatures: Type.Array(Type.String()),
  driftedShare: Type.Number({ minimum: 0, maximum: 1 }),
  datasetDrift: Type.Boolean(),
  features: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: 'Per judged feature: name, type, n, test, statistic, pValue, adjustedPValue, threshold, primaryDrift, psi, psiDrift, drifted, unseenShare, referenceShares, currentShares, detail.',
  }),
  concept: Type.Record(Type.String(), Type.Unknown(), { description: 'Label mix, score calibration and live performance of the window, and the drift options used.' }),
  computedAt: Type.String(),
});

/** `GET /api/v1/ml/drift`: the same object `hush drift --json` prints. */
export const DriftOverviewSchema = Type.Object({
  tenant: Type.String(),
  modelId: nullable(Type.String({ description: 'The `?model=` filter; null: every model.' })),
  reports: Type.Array(DriftReportSchema, { description: 'Newest window first, at most `?limit=`.' }),
  decisions: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: 'The latest 10 retraining decisions, newest first: kind, at, modelId, action, trigger, urgent, blockedBy, reason, volumeClass, nextScheduledAt, jobId, evidence.',
  }),
  nextTraining: nullable(Type.Object({
    kind: Type.String(),
    decidedAt: Type.String(),
    action: Type.Union([Type.Literal('train'), Type.Literal('wait')]),
    trigger: Type.String({ description: '`performance`, `fnr`, `data-drift`, `schedule`, or `none`.' }),
    reason: Type.String(),
    jobId: Type.String({ description: 'The training started by the decision; empty when it waited.' }),
    nextScheduledAt: Type.String({ description: 'When the adaptive schedule falls due.' }),
    volumeClass: Type.String(),
  }, { description: 'From the latest decision; null before the first drift check.' })),
  scheduled: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), windowKind: Type.String(), everyMs: Type.Integer(), next: nullable(Type.Integer({ description: 'Epoch ms of the next run.' })) })),
});
