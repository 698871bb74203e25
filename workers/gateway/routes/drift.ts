import type { FastifyInstance } from 'fastify';
import { readDriftOverview } from '../../drift/drift-overview.js';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseDriftQuery, valueOrThrow } from '../ml/ml-requests.js';

/**
 * `GET /api/v1/ml/drift?model=&limit=`: the tenant's latest drift reports with every statistic, its
 * retraining decisions, the next planned training with its reason, and the next scheduled drift checks.
 */
export function driftRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.get('/api/v1/ml/drift', async (request) => {
    const { modelId, limit } = valueOrThrow(parseDriftQuery(request.query));
    const tenant = request.hushTenant;
    return ml.run('read the drift reports', ({ drift }) => readDriftOverview(drift, { tenant, limit, ...(modelId === undefined ? {} : { modelId }) }));
  });
}
