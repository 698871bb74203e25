import type { FastifyInstance } from 'fastify';
import { parseAlertmanagerWebhook } from '../../../schemas/alertmanager.js';
import { HushError } from '../../../shared/errors/index.js';
import type { RouteContext } from '../interfaces/route-context.js';

/** `POST /api/v1/alerts/alertmanager`: an Alertmanager webhook (version 4); each alert is judged on its own. */
export function alertmanagerRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/alerts/alertmanager', async (request, reply) => {
    const parsed = parseAlertmanagerWebhook(request.body, { tenant: request.hushTenant });
    if (!parsed.ok) throw new HushError(parsed.error.code, `${parsed.error.field}: ${parsed.error.message}`);
    const body = await ingest.alerts(parsed.value, true);
    return reply.code(202).send(body);
  });
}
