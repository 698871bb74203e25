import { UnrecoverableError } from 'bullmq';
import type { DriftJob } from '../../queues/drift-queue.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { MODEL_KIND_PATTERN } from '../../schemas/model-kind.js';

const MAX_WINDOW_MS = 90 * 86_400_000;

/** Checks a `drift` job; a malformed one fails permanently with its reason instead of retrying. */
export function guardDriftJob(data: unknown): DriftJob {
  const job = (data ?? {}) as Partial<DriftJob>;
  if (typeof job.tenant !== 'string' || !TENANT_PATTERN.test(job.tenant)) throw new UnrecoverableError(`drift job tenant must match ${String(TENANT_PATTERN)}`);
  if (typeof job.kind !== 'string' || !MODEL_KIND_PATTERN.test(job.kind)) throw new UnrecoverableError(`drift job kind must match ${String(MODEL_KIND_PATTERN)}`);
  if (job.windowKind !== 'tumbling' && job.windowKind !== 'sliding') throw new UnrecoverableError('drift job windowKind must be tumbling or sliding');
  if (typeof job.windowMs !== 'number' || !Number.isInteger(job.windowMs) || job.windowMs < 60_000 || job.windowMs > MAX_WINDOW_MS) {
    throw new UnrecoverableError(`drift job windowMs must be an integer in [60000, ${MAX_WINDOW_MS}]`);
  }
  if (job.windowEnd !== undefined && (typeof job.windowEnd !== 'number' || !Number.isInteger(job.windowEnd) || job.windowEnd < job.windowMs || job.windowEnd > 4_294_967_295_000)) {
    throw new UnrecoverableError('drift job windowEnd must be an epoch-ms integer after 1970 + windowMs');
  }
  const { tenant, kind, windowKind, windowMs, windowEnd } = job;
  return windowEnd === undefined ? { tenant, kind, windowKind, windowMs } : { tenant, kind, windowKind, windowMs, windowEnd };
}
