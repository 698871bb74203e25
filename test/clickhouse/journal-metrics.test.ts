import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { registerJournalMetrics } from '../../shared/clickhouse/journal-metrics.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { COLLECT_TIMEOUT_MS } from '../../shared/observability/bounded-collect.js';
import { createRedis } from '../../shared/redis/connection.js';
import { connectRedis } from '../scoring/redis-fixture.js';

let redis: Redis;
const key = journalKey(`jm-${randomUUID().slice(0, 8)}`, 'scoring');

beforeAll(() => {
  redis = connectRedis();
});

afterAll(async () => {
  await redis.del(key, refusedKey(key));
  await redis.quit();
});

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{journal="${key}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('registerJournalMetrics', () => {
  it('reports the entries, bytes and refused rows of the journal when the registry is scraped', async () => {
    const registry = new Registry();
    registerJournalMetrics(registry, redis, key);
    const empty = await registry.metrics();
    expect([sample(empty, 'hush_journal_entries'), sample(empty, 'hush_journal_bytes'), sample(empty, 'hush_journal_refused_rows')]).toEqual([0, 0, 0]);

    const line = JSON.stringify({ alert_id: 'a', padding: 'x'.repeat(2000) });
    await redis.xadd(key, '*', 'decisions', line);
    await redis.xadd(key, '*', 'decisions', line);
    await redis.xadd(refusedKey(key), '*', 'table', 'decisions', 'row', line, 'reason', 'test');
    const text = await registry.metrics();
    expect(sample(text, 'hush_journal_entries')).toBe(2);
    expect(sample(text, 'hush_journal_bytes')).toBeGreaterThan(2 * line.length);
    expect(sample(text, 'hush_journal_refused_rows')).toBe(1);
  });

  it('leaves its gauges out of a scrape, at once, when Redis does not answer', async () => {
    const down = createRedis('redis://127.0.0.1:1');
    down.on('error', () => undefined);
    try {
      const registry = new Registry();
      registerJournalMetrics(registry, down, key);
      const started = performance.now();
      const text = await registry.metrics();
      expect(performance.now() - started).toBeLessThan(COLLECT_TIMEOUT_MS + 1000);
      expect([sample(text, 'hush_journal_entries'), sample(text, 'hush_journal_bytes'), sample(text, 'hush_journal_refused_rows')]).toEqual([undefined, undefined, undefined]);
    } finally {
      down.disconnect();
    }
  });
});
