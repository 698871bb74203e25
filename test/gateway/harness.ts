import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AlertQueue } from '../../queues/alert-queue.js';
import { OutcomeQueue } from '../../queues/outcome-queue.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import { TokenStore } from '../../shared/auth/token-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import { buildGatewayApp } from '../../workers/gateway/app.js';
import { PagerDutyDedup } from '../../workers/gateway/pagerduty-dedup.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import type { GatewayDeps } from '../../workers/gateway/interfaces/gateway-deps.js';

export const REDIS_URL = process.env.HUSH_REDIS_URL ?? 'redis://127.0.0.1:6390';
export const ACME_TOKEN = 'acme-token-0123456789';
export const GLOBEX_TOKEN = 'globex-token-0123456789';
export const auth = (token = ACME_TOKEN) => ({ authorization: `Bearer ${token}` });

/** A gateway app on its own BullMQ prefix; `close()` obliterates its queues. */
export interface Harness {
  app: FastifyInstance;
  alerts: AlertQueue;
  outcomes: OutcomeQueue;
  samples: MetricsProducer;
  registry: Registry;
  close(): Promise<void>;
}

export async function createHarness(options: { redisUrl?: string } & Partial<GatewayDeps> = {}): Promise<Harness> {
  const { redisUrl = REDIS_URL, ...overrides } = options;
  const redis = createRedis(redisUrl, { lazyConnect: redisUrl !== REDIS_URL });
  const prefix = `test-${randomUUID()}`;
  const alerts = new AlertQueue({ connection: redis, prefix });
  const outcomes = new OutcomeQueue({ connection: redis, prefix });
  const samples = new MetricsProducer({ connection: redis, prefix, partitions: 2 });
  // A dead Redis makes the queues emit 'error'; the gateway answers 503, the test needs no console noise.
  alerts.bullQueue.on('error', () => undefined);
  outcomes.bullQueue.on('error', () => undefined);
  for (const queue of samples.bullQueues) queue.on('error', () => undefined);
  const registry = new Registry();
  const app = buildGatewayApp({
    tokens: new TokenStore(redis, new Map([[ACME_TOKEN, 'acme'], [GLOBEX_TOKEN, 'globex']])),
    alerts,
    outcomes,
    samples,
    pagerDuty: new PagerDutyDedup({ redis, keyPrefix: prefix }),
    bodyLimit: 1024 * 1024,
    logger: pino({ level: 'silent' }),
    registry,
    ...overrides,
  });
  await app.ready();
  const live = redisUrl === REDIS_URL;
  return {
    app,
    alerts,
    outcomes,
    samples,
    registry,
    async close() {
      await app.close();
      if (live) {
        await alerts.bullQueue.obliterate({ force: true });
        await outcomes.bullQueue.obliterate({ force: true });
        for (const queue of samples.bullQueues) await queue.obliterate({ force: true });
        await unlinkMatching(redis, `${prefix}:{*}:pagerduty:*`);
        await Promise.all([alerts.close(), outcomes.close(), samples.close()]);
      }
      redis.disconnect();
    },
  };
}

/** A valid native alert (DESIGN §2) for tenant `acme`. */
export function alert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'prometheus',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'warning',
    status: 'firing',
    startsAt: '2024-05-01T12:00:00Z',
    labels: { team: 'payments' },
    ...overrides,
  };
}

export function outcome(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { alertId: 'a-1', outcome: 'actionable', at: '2024-05-01T12:30:00Z', source: 'human', ...overrides };
}

/** Every alert on the harness's alerts queue, across jobs, in job order. */
export async function queuedAlerts(harness: Harness): Promise<{ jobs: number; alerts: Record<string, unknown>[] }> {
  const jobs = await harness.alerts.bullQueue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true);
  return { jobs: jobs.length, alerts: jobs.flatMap((job) => job.data.alerts as unknown as Record<string, unknown>[]) };
}
