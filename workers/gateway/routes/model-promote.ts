import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseChampionChangeBody, parseModelIdParam, valueOrThrow } from '../ml/ml-requests.js';
import { changeServing } from '../../../shared/models/serving-change.js';

/**
 * `POST /api/v1/models/{id}/promote` `{ kind?, reason? }`: makes one of the tenant's models the champion,
 * serving with the thresholds an evaluation certified for it; a model never evaluated gets no optimised
 * thresholds (unpinned services: `HUSH_DEFAULT_THRESHOLD`), never another model's.
 */
export function modelPromoteRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.post('/api/v1/models/:id/promote', async (request) => {
    const modelId = valueOrThrow(parseModelIdParam((request.params as { id?: unknown }).id));
    const { kind, reason } = valueOrThrow(parseChampionChangeBody(request.body));
    const tenant = request.hushTenant;
    const why = reason ?? 'promoted through the API';
    return ml.run('promote the model', ({ registry, thresholds }) =>
      changeServing(thresholds, tenant, `promoted ${modelId}: ${why}`, (flip) => registry.promote(tenant, kind, modelId, why, { requestedBy: 'api' }, flip)),
    );
  });
}
