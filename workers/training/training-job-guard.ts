import { UnrecoverableError } from 'bullmq';
import type { TrainingJob } from '../../queues/jobs.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { parseTrainingRequest } from '../../schemas/parse-training-request.js';

/** Checks a `training` job; a malformed one fails permanently with its reason instead of retrying. */
export function guardTrainingJob(data: unknown): TrainingJob {
  const job = (data ?? {}) as Partial<TrainingJob>;
  if (typeof job.tenant !== 'string' || !TENANT_PATTERN.test(job.tenant)) throw new UnrecoverableError(`training job tenant must match ${String(TENANT_PATTERN)}`);
  if (typeof job.requestedBy !== 'string') throw new UnrecoverableError('training job requestedBy must be a string');
  const { tenant, family, kind, params } = job;
  const parsed = parseTrainingRequest({ tenant, family, kind, params }, { tenant, requestedBy: job.requestedBy });
  if (!parsed.ok) throw new UnrecoverableError(`training job ${parsed.error.field} ${parsed.error.message}`);
  return parsed.value;
}
