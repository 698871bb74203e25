import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import { COLLECT_TIMEOUT_MS } from '../../shared/observability/bounded-collect.js';
import { createRedis } from '../../shared/redis/connection.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { obliterateAll, uniquePrefix } from './queue-fixture.js';

let redis: Redis;
const prefix = uniquePrefix();
let alerts: Queue;
let outcomes: Queue;

beforeAll(() => {
  redis = connectRedis();
  alerts = new Queue('alerts', { connection: redis, prefix });
  outcomes = new Queue('outcomes', { connection: redis, prefix });
});

afterAll(async () => {
  await alerts.close();
  await outcomes.close();
  await obliterateAll(redis, prefix);
  await redis.quit();
});

function sample(text: string, queue: string, state: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`hush_queue_jobs{queue="${queue}",state="${state}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('registerQueueDepth', () => {
  it('reports jobs per queue and state when the registry is scraped', async () => {
    const registry = new Registry();
    registerQueueDepth(registry, [alerts]);
    await alerts.addBulk([
      { name: 'x', data: {} },
      { name: 'x', data: {} },
      { name: 'x', data: {}, opts: { delay: 60_000 } },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('# HELP hush_queue_jobs Jobs per queue and state (queue depth = waiting)');
    expect(sample(text, 'alerts', 'waiting')).toBe(2);
    expect(sample(text, 'alerts', 'delayed')).toBe(1);
    expect(sample(text, 'alerts', 'active')).toBe(0);
    expect(sample(text, 'alerts', 'failed')).toBe(0);
    expect(sample(text, 'alerts', 'completed')).toBe(0);
    expect(sample(text, 'outcomes', 'waiting')).toBeUndefined();
  });

  it('adds queues to the one gauge of a registry when called again, once per queue name', async () => {
    const registry = new Registry();
    registerQueueDepth(registry, [alerts]);
    registerQueueDepth(registry, [outcomes, alerts]);
    await outcomes.add('y', {});
    const text = await registry.metrics();
    expect(text.match(/# TYPE hush_queue_jobs gauge/g)).toHaveLength(1);
    expect(sample(text, 'outcomes', 'waiting')).toBe(1);
    expect(text.split('\n').filter((l) => l.startsWith('hush_queue_jobs{queue="alerts",state="waiting"}'))).toHaveLength(1);
  });

  it('answers a scrape at once without the gauge when Redis does not answer', async () => {
    const down = createRedis('redis://127.0.0.1:1');
    down.on('error', () => undefined);
    const unreachable = new Queue('alerts', { connection: down, prefix });
    try {
      const registry = new Registry();
      registerQueueDepth(registry, [unreachable]);
      const started = performance.now();
      const text = await registry.metrics();
      expect(performance.now() - started).toBeLessThan(COLLECT_TIMEOUT_MS + 1000);
      expect(text).toContain('# TYPE hush_queue_jobs gauge');
      expect(sample(text, 'alerts', 'waiting')).toBeUndefined();
    } finally {
      down.disconnect();
    }
  });
});
