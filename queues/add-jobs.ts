import type { Queue } from 'bullmq';

/** One job as `Queue.addBulk` takes it. */
export type BulkJob<T> = Parameters<Queue<T>['addBulk']>[0][number];

/**
 * Adds jobs to a queue: one job with `add` (the same script as `addBulk`, without the MULTI that copies
 * every BullMQ script onto itself), several with one `addBulk`.
 */
export async function addJobs<T>(queue: Queue<T>, jobs: readonly BulkJob<T>[]): Promise<void> {
  const [only] = jobs;
  if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
  else if (jobs.length > 1) await queue.addBulk(jobs as BulkJob<T>[]);
}
