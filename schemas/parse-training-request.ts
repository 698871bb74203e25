import type { TrainingJob } from '../queues/jobs.js';
import { TENANT_PATTERN } from './alert.js';
import { forbidden, invalid, ROOT_FIELD, type ParseContext, type ParseResult } from './parse-result.js';
import { MODEL_KIND_PATTERN } from './model-kind.js';

const FAMILIES: readonly TrainingJob['family'][] = ['gbdt', 'mlp'];
const PARAM_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_PARAMS = 32;

/**
 * A retrain request (`POST /api/v1/ml/retrain`, `hush train`, or a job on the `training` queue):
 * `{ "family"?: "gbdt" | "mlp", "kind"?: string, "params"?: { name: number } }`. Only the params' shape is
 * checked here; their names and ranges are the family's (`checkTrainingParams`, and its trainer again).
 */
export function parseTrainingRequest(input: unknown, context: ParseContext & { requestedBy: string }): ParseResult<TrainingJob> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid(ROOT_FIELD, 'must be a JSON object');
  const body = input as Record<string, unknown>;
  const unknownField = Object.keys(body).find((key) => !['tenant', 'family', 'kind', 'params'].includes(key));
  if (unknownField !== undefined) return invalid(unknownField, 'is not a retrain field (tenant, family, kind, params)');
  if (body.tenant !== undefined && body.tenant !== context.tenant) {
    if (typeof body.tenant !== 'string' || !TENANT_PATTERN.test(body.tenant)) return invalid('tenant', `must match ${String(TENANT_PATTERN)}`);
    return forbidden('tenant', `the token's tenant is ${context.tenant}, not ${body.tenant}`);
  }
  const family = body.family ?? 'gbdt';
  if (!FAMILIES.includes(family as TrainingJob['family'])) return invalid('family', `must be one of ${FAMILIES.join(', ')}`);
  const kind = body.kind ?? 'noise';
  if (typeof kind !== 'string' || !MODEL_KIND_PATTERN.test(kind)) return invalid('kind', `must match ${String(MODEL_KIND_PATTERN)}`);
  const rawParams = body.params ?? {};
  if (typeof rawParams !== 'object' || rawParams === null || Array.isArray(rawParams)) return invalid('params', 'must be an object of numbers');
  const entries = Object.entries(rawParams as Record<string, unknown>);
  if (entries.length > MAX_PARAMS) return invalid('params', `must have at most ${MAX_PARAMS} entries`);
  const params: Record<string, number> = {};
  for (const [name, value] of entries) {
    if (!PARAM_NAME.test(name)) return invalid(`params.${name.slice(0, 64)}`, 'must be a lower_snake_case name');
    if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(`params.${name}`, 'must be a finite number');
    params[name] = value;
  }
  return { ok: true, value: { tenant: context.tenant, kind, family: family as TrainingJob['family'], params, requestedBy: context.requestedBy } };
}
