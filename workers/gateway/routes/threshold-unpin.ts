import type { FastifyInstance } from 'fastify';
import { HushError } from '../../../shared/errors/index.js';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseServiceParam, valueOrThrow } from '../ml/ml-requests.js';

/** `DELETE /api/v1/ml/thresholds/{service}`: unpins a service (the default applies until the optimiser sets one). */
export function thresholdUnpinRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.delete('/api/v1/ml/thresholds/:service', async (request) => {
    const service = valueOrThrow(parseServiceParam((request.params as { service?: unknown }).service));
    const tenant = request.hushTenant;
    const change = await ml.run('unpin the threshold', ({ thresholds }) => thresholds.unpin(tenant, service, 'unpinned through the API'));
    if (change === null) throw new HushError('HUSH_ERR_NOT_FOUND', `service ${JSON.stringify(service)} has no pinned threshold`);
    return change;
  });
}
