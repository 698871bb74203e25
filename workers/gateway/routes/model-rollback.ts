import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseChampionChangeBody, valueOrThrow } from '../ml/ml-requests.js';
import { changeServing } from '../../../shared/models/serving-change.js';

/**
 * `POST /api/v1/models/rollback` `{ kind?, reason? }`: flips the champion back one promotion, serving
 * with the thresholds an evaluation certified for the model reinstated (none known: no optimised ones).
 */
export function modelRollbackRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/models/rollback', async (request) => {
    const { kind, reason } = valueOrThrow(parseChampionChangeBody(request.body));
    const tenant = request.hushTenant;
    const why = reason ?? 'rolled back through the API';
    return ml.run('roll back the champion', ({ registry, thresholds }) =>
      changeServing(thresholds, tenant, `rolled back: ${why}`, (flip) => registry.rollback(tenant, kind, why, { requestedBy: 'api' }, flip)),
    );
  });
}
