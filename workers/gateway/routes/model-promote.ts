import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseChampionChangeBody, parseModelIdParam, valueOrThrow } from '../ml/ml-requests.js';

/** `POST /api/v1/models/{id}/promote` `{ kind?, reason? }`: makes one of the tenant's models the champion. */
export function modelPromoteRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/models/:id/promote', async (request) => {
    const modelId = valueOrThrow(parseModelIdParam((request.params as { id?: unknown }).id));
    const { kind, reason } = valueOrThrow(parseChampionChangeBody(request.body));
    const tenant = request.hushTenant;
    return ml.run('promote the model', ({ registry }) => registry.promote(tenant, kind, modelId, reason ?? 'promoted through the API', { requestedBy: 'api' }));
  });
}
