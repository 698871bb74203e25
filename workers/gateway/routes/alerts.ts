import type { FastifyInstance } from 'fastify';
import { parseAlert } from '../../../schemas/parse-alert.js';
import { itemsOf } from '../ingest.js';
import type { RouteContext } from '../interfaces/route-context.js';

/** `POST /api/v1/alerts`: one native alert (DESIGN §2) or an array of up to 10,000. */
export function alertsRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/alerts', async (request, reply) => {
    const { items, batch } = itemsOf(request.body, 'alert');
    const context = { tenant: request.hushTenant };
    const body = await ingest.alerts(items.map((item) => parseAlert(item, context)), batch);
    return reply.code(202).send(body);
  });
}
