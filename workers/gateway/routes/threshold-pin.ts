import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseThresholdBody, valueOrThrow } from '../ml/ml-requests.js';

/** `PUT /api/v1/ml/thresholds` `{ service, threshold, reason? }`: sets and pins a service's threshold. */
export function thresholdPinRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.put('/api/v1/ml/thresholds', async (request) => {
    const { service, threshold, reason } = valueOrThrow(parseThresholdBody(request.body));
    const tenant = request.hushTenant;
    return ml.run('pin the threshold', ({ thresholds }) => thresholds.pin(tenant, service, threshold, reason ?? 'pinned through the API'));
  });
}
