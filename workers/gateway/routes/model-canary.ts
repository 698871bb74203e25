import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseCanaryBody, parseModelIdParam, valueOrThrow } from '../ml/ml-requests.js';

/** `POST /api/v1/models/{id}/canary` `{ share, kind?, reason? }`: lets the challenger decide a share of the tenant's services. */
export function modelCanaryRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/models/:id/canary', async (request) => {
    const modelId = valueOrThrow(parseModelIdParam((request.params as { id?: unknown }).id));
    const { kind, share, reason } = valueOrThrow(parseCanaryBody(request.body));
    const tenant = request.hushTenant;
    return ml.run('set the canary', ({ registry }) => registry.setCanary(tenant, kind, modelId, share, reason ?? 'canary stage set through the API', { requestedBy: 'api' }));
  });
}
