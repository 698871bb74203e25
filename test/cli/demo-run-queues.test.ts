import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRunQueues } from '../../cli/demo/run-queues.js';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { uniqueName } from '../helpers/fleet.js';
import { connectRedis } from '../scoring/redis-fixture.js';

let redis: Redis;
const prefixes: string[] = [];

/** A demo run's prefix holding a waiting notification job, as a finished demo leaves it. */
async function runWithNotification(): Promise<string> {
  const prefix = uniqueName('demo-queues', '-');
  prefixes.push(prefix);
  const notifications = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix });
  await notifications.add('notify', { alertId: 'a-1' });
  await notifications.close();
  return prefix;
}

const keysUnder = async (prefix: string): Promise<string[]> => redis.keys(`${prefix}:*`);

beforeAll(() => {
  redis = connectRedis();
});

afterAll(async () => {
  for (const prefix of prefixes) await unlinkMatching(redis, `${prefix}:*`);
  await redis.quit();
});

describe('removeRunQueues', () => {
  it("removes every key under the run's prefix and nothing under another", async () => {
    const [run, other] = [await runWithNotification(), await runWithNotification()];
    await redis.xadd(journalKey(run, 'scoring'), '*', 'alerts', 'inserted and deleted');
    await redis.xtrim(journalKey(run, 'scoring'), 'MAXLEN', 0);
    expect((await keysUnder(run)).length).toBeGreaterThan(1);

    const outcome = await removeRunQueues(redis, run);

    expect(outcome).toEqual({ removed: expect.any(Number) as number });
    expect(await keysUnder(run)).toEqual([]);
    expect((await keysUnder(other)).length).toBeGreaterThan(0);
  });

  it('keeps everything while the journal holds rows ClickHouse has not taken', async () => {
    const run = await runWithNotification();
    await redis.xadd(journalKey(run, 'scoring'), '*', 'alerts', '{"alert_id":"a-1"}');
    const before = (await keysUnder(run)).sort();

    expect(await removeRunQueues(redis, run)).toEqual({ kept: journalKey(run, 'scoring'), rows: 1 });
    expect((await keysUnder(run)).sort()).toEqual(before);
  });

  it('keeps everything while rows ClickHouse refused wait to be looked at', async () => {
    const run = await runWithNotification();
    await redis.xadd(refusedKey(journalKey(run, 'scoring')), '*', 'table', 'alerts', 'row', '{}', 'reason', 'test');

    expect(await removeRunQueues(redis, run)).toEqual({ kept: journalKey(run, 'scoring'), rows: 1 });
    expect((await keysUnder(run)).length).toBeGreaterThan(1);
  });
});
