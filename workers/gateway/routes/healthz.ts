import type { FastifyInstance } from 'fastify';
import type { HealthCheck } from '../../../shared/observability/metrics-server.js';
import { coerceError } from '../../../shared/errors/index.js';

const CHECK_TIMEOUT_MS = 2_000;

/** `GET /healthz`: 200 when every dependency check passes, else 503 with each check's state. */
export function healthzRoute(app: FastifyInstance, checks: Readonly<Record<string, HealthCheck>>): void {
  app.get('/healthz', async (_request, reply) => {
    const states = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(check)] as const));
    const failed = states.filter(([, state]) => state !== 'ok');
    const body = { ok: failed.length === 0, checks: Object.fromEntries(states) };
    if (failed.length === 0) return reply.send(body);
    const message = failed.map(([name, state]) => `${name}: ${state}`).join('; ');
    return reply.code(503).send({ ...body, code: 'HUSH_ERR_UNAVAILABLE', message });
  });
}

async function run(check: HealthCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (thrown) {
    return coerceError(thrown).message;
  } finally {
    clearTimeout(timer);
  }
}
