import type { FastifyInstance } from 'fastify';
import { parseOutcome } from '../../../schemas/parse-outcome.js';
import { itemsOf } from '../ingest.js';
import type { RouteContext } from '../interfaces/route-context.js';

/** `POST /api/v1/outcomes`: one outcome (DESIGN §3) or an array of up to 10,000. */
export function outcomesRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/outcomes', async (request, reply) => {
    const { items, batch } = itemsOf(request.body, 'outcome');
    const context = { tenant: request.hushTenant };
    const body = await ingest.outcomes(items.map((item) => parseOutcome(item, context)), batch);
    return reply.code(202).send(body);
  });
}
