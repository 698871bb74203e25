import { Type } from '@sinclair/typebox';

// Request bodies of the ML routes, for the OpenAPI document. The routes validate with the parsers in
// `ml/ml-requests.ts` and `schemas/parse-training-request.ts`, which these schemas describe.

const KIND = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', default: 'noise', description: 'Model kind.' });
const REASON = Type.String({ maxLength: 1024, description: 'Kept with the change in the registry history.' });

/** `POST /api/v1/models/{id}/promote` and `POST /api/v1/models/rollback`; the body may be omitted. */
export const ChampionChangeBodySchema = Type.Object({ kind: Type.Optional(KIND), reason: Type.Optional(REASON) }, { additionalProperties: false });

/** `POST /api/v1/models/{id}/canary`. */
export const CanaryBodySchema = Type.Object(
  {
    share: Type.Number({ minimum: 0, maximum: 1, description: 'Share of services the challenger decides (stages 0.05, 0.25, 0.5, 1); 0 ends the canary.' }),
    kind: Type.Optional(KIND),
    reason: Type.Optional(REASON),
  },
  { additionalProperties: false },
);

/** `POST /api/v1/ml/retrain`; the body may be omitted. */
export const RetrainBodySchema = Type.Object(
  {
    family: Type.Optional(Type.Union([Type.Literal('gbdt'), Type.Literal('mlp')], { default: 'gbdt' })),
    kind: Type.Optional(KIND),
    params: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), Type.Number(), { maxProperties: 32, description: 'Hyper-parameters, e.g. `{"n_estimators": 300}`; see docs/models.md.' })),
    tenant: Type.Optional(Type.String({ description: "Must be the token's tenant when given." })),
  },
  { additionalProperties: false },
);

/** `PUT /api/v1/ml/thresholds`. */
export const ThresholdBodySchema = Type.Object(
  {
    service: Type.String({ minLength: 1, maxLength: 256, description: 'As an alert\'s `service`.' }),
    threshold: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Notify when P(actionable) ≥ threshold.' }),
    reason: Type.Optional(REASON),
  },
  { additionalProperties: false },
);
