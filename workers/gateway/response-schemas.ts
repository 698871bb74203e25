import { Type } from '@sinclair/typebox';
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
