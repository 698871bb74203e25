import type { TrainingJob } from '../../queues/jobs.js';
import { resolveGbdtParams } from './gbdt/gbdt-params.js';
import { resolveMlpParams } from './mlp/mlp-params.js';

/**
 * Checks a training request's `params` against its family's names and ranges, as its trainer will, so that
 * the retrain API and `hush train` refuse a bad one where it is asked for instead of queueing a job that
 * fails. Throws `HUSH_ERR_VALIDATION` naming the parameter (`params.n_estimators: …`).
 */
export function checkTrainingParams(job: Pick<TrainingJob, 'family' | 'params'>): void {
  if (job.family === 'gbdt') resolveGbdtParams(job.params);
  else resolveMlpParams(job.params);
}
