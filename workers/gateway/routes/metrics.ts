import type { FastifyInstance } from 'fastify';
import { parseMetricSample } from '../../../schemas/metric-sample.js';
import { itemsOf } from '../ingest.js';
import type { RouteContext } from '../interfaces/route-context.js';

/** `POST /api/v1/metrics`: one metric sample or an array of up to 10,000, as JSON. */
export function metricsRoute(app: FastifyInstance, { ingest }: RouteContext): void {
  app.post('/api/v1/metrics', async (request, reply) => {
    const { items, batch } = itemsOf(request.body, 'metric sample');
    const context = { tenant: request.hushTenant };
    const body = await ingest.metricSamples(items.map((item) => parseMetricSample(item, context)), batch);
    return reply.code(202).send(body);
  });
}
