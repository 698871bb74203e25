import type { FastifyInstance } from 'fastify';
import { parsePagerDutyEvent } from '../../../schemas/pagerduty.js';
import type { RouteContext } from '../interfaces/route-context.js';

/** `POST /api/v1/alerts/pagerduty`: one PagerDuty Events API v2 `trigger`/`resolve` event. */
export function pagerDutyRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/alerts/pagerduty', async (request, reply) => {
    const body = await ingest.alerts([parsePagerDutyEvent(request.body, { tenant: request.hushTenant })], false);
    return reply.code(202).send(body);
  });
}
