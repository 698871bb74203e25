import { ID_RULES, NAME_RULES } from '../../../schemas/parse-alert.js';
import { checkIdentity, fail, guardParse, isObject, optionalText, own, requireObject, type JsonObject } from '../../../schemas/field-readers.js';
import { MODEL_KIND_PATTERN } from '../../../schemas/model-kind.js';
import { ROOT_FIELD, type ParseResult } from '../../../schemas/parse-result.js';
import { describeValue } from '../../../schemas/text-checks.js';
import { HushError } from '../../../shared/errors/index.js';
import { DEFAULT_MODEL_KIND } from '../../../shared/models/champion-store.js';

/** BullMQ job ids as the training queue hands them out (numbers, or `name:…` custom ids). */
const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/;
/** Longest `reason` kept with a promotion, rollback, canary stage or threshold change. */
export const MAX_REASON_BYTES = 1024;

/** `{ kind?, reason? }` of promote and rollback. */
export interface ChampionChangeRequest {
  kind: string;
  reason: string | undefined;
}

/** `POST /api/v1/models/{id}/canary` body. */
export interface CanaryRequest {
  kind: string;
  /** Share of services in [0, 1] the challenger decides; 0 ends its canary. */
  share: number;
  reason: string | undefined;
}

/** `PUT /api/v1/ml/thresholds` body. */
export interface ThresholdPinRequest {
  service: string;
  threshold: number;
  reason: string | undefined;
}

/** A parse result as the route's answer: the value, or a 400/403 `HushError` naming the field. */
export function valueOrThrow<T>(result: ParseResult<T>): T {
  if (result.ok) return result.value;
  const { code, field, message } = result.error;
  throw new HushError(code, message.startsWith(field) ? message : `${field}: ${message}`);
}

/** `?kind=` of `GET /api/v1/models` (default `noise`). */
export function parseKindQuery(query: unknown): ParseResult<string> {
  return guardParse(() => kindOf(isObject(query) ? own(query, 'kind') : undefined));
}

/** Promote and rollback bodies: `{ kind?, reason? }`; an absent body means all defaults. */
export function parseChampionChangeBody(body: unknown): ParseResult<ChampionChangeRequest> {
  return guardParse(() => {
    const object = bodyObject(body, ['kind', 'reason']);
    return { kind: kindOf(own(object, 'kind')), reason: optionalText(own(object, 'reason'), 'reason', MAX_REASON_BYTES) };
  });
}

/** `{ share, kind?, reason? }` with 0 ≤ share ≤ 1. */
export function parseCanaryBody(body: unknown): ParseResult<CanaryRequest> {
  return guardParse(() => {
    const object = bodyObject(body ?? null, ['share', 'kind', 'reason']);
    const share = own(object, 'share');
    if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) {
      fail('share', `share must be a number with 0 ≤ share ≤ 1 (0.05 = 5% of services; 0 ends the canary), got ${describeValue(share)}`);
    }
    return { kind: kindOf(own(object, 'kind')), share, reason: optionalText(own(object, 'reason'), 'reason', MAX_REASON_BYTES) };
  });
}

/** `{ service, threshold, reason? }` with 0 < threshold ≤ 1; `service` is checked as an alert's is. */
export function parseThresholdBody(body: unknown): ParseResult<ThresholdPinRequest> {
  return guardParse(() => {
    const object = bodyObject(body ?? null, ['service', 'threshold', 'reason']);
    const service = checkIdentity(own(object, 'service'), 'service', NAME_RULES);
    const threshold = own(object, 'threshold');
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
      fail('threshold', `threshold must be a number with 0 < threshold ≤ 1, got ${describeValue(threshold)}`);
    }
    return { service, threshold, reason: optionalText(own(object, 'reason'), 'reason', MAX_REASON_BYTES) };
  });
}

/** The `{service}` path parameter, checked as an alert's `service` is. */
export function parseServiceParam(value: unknown): ParseResult<string> {
  return guardParse(() => checkIdentity(value, 'service', NAME_RULES));
}

/** The `{id}` path parameter of a model. */
export function parseModelIdParam(value: unknown): ParseResult<string> {
  return guardParse(() => checkIdentity(value, 'id', ID_RULES));
}

/** The `{jobId}` path parameter of a training job. */
export function parseJobIdParam(value: unknown): ParseResult<string> {
  return guardParse(() => {
    if (typeof value !== 'string' || !JOB_ID_PATTERN.test(value)) fail('jobId', `jobId must match ${String(JOB_ID_PATTERN)}, got ${describeValue(value)}`);
    return value;
  });
}

/** `?model=&limit=` of `GET /api/v1/ml/drift`. */
export interface DriftRequest {
  modelId: string | undefined;
  limit: number;
}

/** Reports `GET /api/v1/ml/drift` shows without `?limit=`. */
export const DEFAULT_DRIFT_LIMIT = 10;
const MAX_DRIFT_LIMIT = 1000;

/** `?model=` (a model id) and `?limit=` (1–1000, default 10); any other parameter is refused. */
export function parseDriftQuery(query: unknown): ParseResult<DriftRequest> {
  return guardParse(() => {
    const object = isObject(query) ? query : {};
    const unknown = Object.keys(object).find((key) => key !== 'model' && key !== 'limit');
    if (unknown !== undefined) fail(unknown.slice(0, 64), `${unknown.slice(0, 64)} is not a query parameter here (model, limit)`);
    const model = own(object, 'model');
    const limit = own(object, 'limit');
    if (limit !== undefined && (typeof limit !== 'string' || !/^[0-9]{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_DRIFT_LIMIT)) {
      fail('limit', `limit must be an integer in [1, ${MAX_DRIFT_LIMIT}], got ${describeValue(limit)}`);
    }
    return { modelId: model === undefined ? undefined : checkIdentity(model, 'model', ID_RULES), limit: limit === undefined ? DEFAULT_DRIFT_LIMIT : Number(limit) };
  });
}

function kindOf(value: unknown): string {
  if (value === undefined) return DEFAULT_MODEL_KIND;
  if (typeof value !== 'string' || !MODEL_KIND_PATTERN.test(value)) fail('kind', `kind must match ${String(MODEL_KIND_PATTERN)}, got ${describeValue(value)}`);
  return value;
}

/** The body as an object with only `allowed` fields; `undefined` (no body) reads as `{}`. */
function bodyObject(body: unknown, allowed: readonly string[]): JsonObject {
  const object = body === undefined ? {} : requireObject(body, ROOT_FIELD, 'the request body');
  const unknown = Object.keys(object).find((key) => !allowed.includes(key));
  if (unknown !== undefined) fail(unknown.slice(0, 64), `${unknown.slice(0, 64)} is not a field here (${allowed.join(', ')})`);
  return object;
}
