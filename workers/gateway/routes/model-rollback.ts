import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseChampionChangeBody, valueOrThrow } from '../ml/ml-requests.js';

/** `POST /api/v1/models/rollback` `{ kind?, reason? }`: flips the champion back one promotion. */
export function modelRollbackRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/models/rollback', async (request) => {
    const { kind, reason } = valueOrThrow(parseChampionChangeBody(request.body));
    const tenant = request.hushTenant;
    return ml.run('roll back the champion', ({ registry }) => registry.rollback(tenant, kind, reason ?? 'rolled back through the API', { requestedBy: 'api' }));
  });
}
