import type { FastifyInstance } from 'fastify';
import { HushError } from '../../../shared/errors/index.js';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseJobIdParam, valueOrThrow } from '../ml/ml-requests.js';

/** `GET /api/v1/ml/retrain/{jobId}`: state, progress, result or failure of one of the tenant's trainings. */
export function retrainStatusRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.get('/api/v1/ml/retrain/:jobId', async (request) => {
    const jobId = valueOrThrow(parseJobIdParam((request.params as { jobId?: unknown }).jobId));
    const tenant = request.hushTenant;
    const status = await ml.run('read the training job', ({ training }) => training.status(tenant, jobId));
    // Another tenant's job is answered exactly like a missing one, so ids reveal nothing.
    if (status === null) throw new HushError('HUSH_ERR_NOT_FOUND', `no training job ${jobId}`);
    return { jobId: status.jobId, state: status.state, progress: status.progress, result: status.result, failedReason: status.failedReason };
  });
}
