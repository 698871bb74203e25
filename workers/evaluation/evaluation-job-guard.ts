import { UnrecoverableError } from 'bullmq';
import type { EvaluationJob } from '../../queues/jobs.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { MODEL_KIND_PATTERN } from '../../schemas/model-kind.js';


/** Checks an `evaluation` job; a malformed one fails permanently with its reason. */
export function guardEvaluationJob(data: unknown): EvaluationJob {
  const job = (data ?? {}) as Partial<EvaluationJob>;
  if (typeof job.tenant !== 'string' || !TENANT_PATTERN.test(job.tenant)) throw new UnrecoverableError(`evaluation job tenant must match ${String(TENANT_PATTERN)}`);
  if (typeof job.kind !== 'string' || !MODEL_KIND_PATTERN.test(job.kind)) throw new UnrecoverableError(`evaluation job kind must match ${String(MODEL_KIND_PATTERN)}`);
  return { tenant: job.tenant, kind: job.kind };
}
