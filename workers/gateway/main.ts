import { TokenStore } from '../../shared/auth/token-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { AlertQueue } from '../../queues/alert-queue.js';
import { OutcomeQueue } from '../../queues/outcome-queue.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import type { RoleStarter } from '../role.js';
import { buildGatewayApp } from './app.js';
import { LazyMlDeps } from './ml/lazy-ml-deps.js';
import { PagerDutyDedup } from './pagerduty-dedup.js';

/**
 * Starts the HTTP gateway role: config → Redis → queues → app listening on the gateway host/port.
 * ClickHouse (model registry, thresholds history) is opened on the first ML request, so ingest never
 * waits on it.
 */
export const startGateway: RoleStarter = async ({ config, logger, registry }) => {
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const alerts = new AlertQueue({ connection: redis, prefix: config.queuePrefix });
  const outcomes = new OutcomeQueue({ connection: redis, prefix: config.queuePrefix });
  const samples = new MetricsProducer({ connection: redis, prefix: config.queuePrefix });
  for (const queue of [alerts.bullQueue, outcomes.bullQueue, ...samples.bullQueues]) logQueueErrors(queue, logger);
  const ml = new LazyMlDeps({ config, redis, logger: logger.child({ component: 'ml' }) });
  const checks = { redis: async () => void (await redis.ping()) };
  const app = buildGatewayApp({
    tokens: new TokenStore(redis, config.tokens),
    alerts,
    outcomes,
    samples,
    pagerDuty: new PagerDutyDedup({ redis }),
    bodyLimit: config.gatewayBodyLimit,
    logger: logger.child({ component: 'http' }),
    registry,
    checks,
    ml: ml.get,
  });
  const closeBackends = async () => {
    await Promise.allSettled([alerts.close(), outcomes.close(), samples.close(), ml.close()]);
    redis.disconnect();
  };
  try {
    await app.listen({ host: config.gatewayHost, port: config.gatewayPort });
  } catch (thrown) {
    await closeBackends();
    throw thrown;
  }
  logger.info({ address: app.addresses() }, 'gateway listening');
  let stopping: Promise<void> | undefined;
  return {
    name: 'gateway',
    checks,
    // Stop taking requests, let in-flight ones finish (and enqueue), then close the queues.
    stop: () => (stopping ??= app.close().then(closeBackends)),
  };
};
