import type { FastifyInstance } from 'fastify';
import type { MlRouteContext } from '../interfaces/ml-route-context.js';
import { parseKindQuery, valueOrThrow } from '../ml/ml-requests.js';

/** Registry events the listing carries, newest first (the full history stays in ClickHouse). */
export const MODELS_HISTORY_LIMIT = 50;

/** `GET /api/v1/models?kind=noise`: the tenant's models of a kind, its champion and recent registry history. */
export function modelsRoute(app: FastifyInstance, { ml }: MlRouteContext): void {
  app.get('/api/v1/models', async (request) => {
    const kind = valueOrThrow(parseKindQuery(request.query));
    const tenant = request.hushTenant;
    return ml.run('list the models', async ({ registry }) => {
      const [models, champion, history] = await Promise.all([registry.list(tenant, kind), registry.champion(tenant, kind), registry.history(tenant, kind)]);
      return {
        kind,
        champion,
        models: models.map((model) => ({ ...model, family: typeof model.metrics.family === 'string' ? model.metrics.family : null })),
        history: history.slice(-MODELS_HISTORY_LIMIT).reverse(),
      };
    });
  });
}
