import type { TrainingQueue } from '../../queues/training-queue.js';

const IN_FLIGHT_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Whether a training of (tenant, kind) is waiting or running: the job that holds the training queue's
 * deduplication id (`tenant:kind`, see {@link TrainingQueue.request}) and is not finished.
 */
export async function trainingInFlight(training: TrainingQueue, tenant: string, kind: string): Promise<boolean> {
  const id = await training.bullQueue.getDeduplicationJobId(`${tenant}:${kind}`);
  const existing = id ? await training.bullQueue.getJob(id) : undefined;
  return existing !== undefined && IN_FLIGHT_STATES.has(await existing.getState());
}
