import type { FastifyInstance } from 'fastify';
import { parseTrainingRequest } from '../../../schemas/parse-training-request.js';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { valueOrThrow } from '../ml/ml-requests.js';
import { checkTrainingParams } from '../../training/training-params.js';

/**
 * `POST /api/v1/ml/retrain` `{ family?, kind?, params? }`: asks for a training; 202 with its job id,
 * the same id while one for (tenant, kind) is waiting or running.
 */
export function retrainRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/ml/retrain', async (request, reply) => {
    const job = valueOrThrow(parseTrainingRequest(request.body ?? {}, { tenant: request.hushTenant, requestedBy: 'api' }));
    checkTrainingParams(job);
    const jobId = await ml.run('queue the training', ({ training }) => training.request(job));
    return reply.code(202).send({ jobId });
  });
}
