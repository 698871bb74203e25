import type { FastifyInstance } from 'fastify';
import { parsePagerDutyEvent } from '../../../schemas/pagerduty.js';
import type { RouteContext } from '../interfaces/route-context.js';

/**
 * `POST /api/v1/alerts/pagerduty`: one PagerDuty Events API v2 `trigger`/`resolve` event; events of one
 * dedup_key are one alert while it is open (PagerDuty's deduplication).
 */
export function pagerDutyRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/alerts/pagerduty', async (request, reply) => {
    const body = await ingest.pagerDutyEvent(parsePagerDutyEvent(request.body, { tenant: request.hushTenant }));
    return reply.code(202).send(body);
  });
}
