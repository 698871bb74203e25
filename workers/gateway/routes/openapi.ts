import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../openapi.js';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document; no token needed. */
export function openApiRoute(app: FastifyInstance): void {
  const document = JSON.stringify(buildOpenApiDocument());
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(document));
}
