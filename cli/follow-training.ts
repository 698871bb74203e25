import type { TrainingQueue, TrainingStatus } from '../queues/training-queue.js';
import { HushError, coerceError } from '../shared/errors/index.js';
import type { ProgressBar } from './replay/progress-bar.js';

const POLL_MS = 500;
/** How long a job may sit waiting before the command says that no training worker seems to run. */
const IDLE_HINT_MS = 10_000;

/** Polls the job until it completes or finally fails (a retried attempt keeps it going). */
export async function followTraining(queue: TrainingQueue, tenant: string, jobId: string, bar: ProgressBar | undefined): Promise<TrainingStatus> {
  const started = Date.now();
  let hinted = false;
  for (;;) {
    const status = await unavailableIfFailing(queue.status(tenant, jobId));
    if (status === null) throw new HushError('HUSH_ERR_NOT_FOUND', `training job ${jobId} disappeared from the queue`);
    const percent = Math.round((status.progress?.fraction ?? 0) * 100);
    if (status.state === 'completed' || status.state === 'failed') {
      bar?.finish(status.state === 'completed' ? 100 : percent);
      return status;
    }
    bar?.update(percent);
    if (!hinted && status.state === 'waiting' && Date.now() - started > IDLE_HINT_MS) {
      hinted = true;
      process.stderr.write(`\ntraining job ${jobId} is still waiting: is a training worker running? (hush fleet, or hush worker training)\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A Redis failure as `HUSH_ERR_UNAVAILABLE` naming the variable to check (a CLI fails, it does not wait). */
export async function unavailableIfFailing<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (thrown) {
    if (thrown instanceof HushError) throw thrown;
    const cause = coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `Redis failed (HUSH_REDIS_URL): ${cause.message}`, { cause });
  }
}
