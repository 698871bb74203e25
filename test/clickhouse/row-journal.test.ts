import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalRoomCheck } from '../../shared/observability/health-checks.js';
import { RowJournal, journalKey } from '../../shared/clickhouse/row-journal.js';
import { TABLES } from '../../shared/clickhouse/rows.js';
import { createRedis } from '../../shared/redis/connection.js';
import { errorCodeOf } from '../helpers/error-code.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';
import { serviceUrls } from '../helpers/services.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import { decision } from './decision-fixtures.js';

describe('RowJournal (real Redis)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let streams = 0;
  const nextKey = (): string => journalKey(prefix, `journal-${++streams}`);

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteKeysUnder(serviceUrls().redisUrl, prefix);
  });

  it('names its stream under the queue prefix', () => {
    expect(journalKey('hush-a', 'scoring')).toBe('hush-a:journal:scoring');
  });

  it('stages the writes of one event-loop turn, of several tables, as one stream entry', async () => {
    const key = nextKey();
    const journal = new RowJournal(redis, { key });
    const decisions = journal.sink<object>(TABLES.decisions);
    const alerts = journal.sink<object>(TABLES.alerts);
    const d1 = decision('t-1', 'a1');
    const d2 = decision('t-1', 'a2', { score: 0.75, decision: 'notify' });
    const alert = { tenant: 't-1', alert_id: 'a1', name: 'line\nbreak "quoted"' };
    await Promise.all([decisions.write(d1), alerts.write(alert), decisions.write(d2)]);

    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(1);
    const [, fields] = entries[0] as [string, string[]];
    expect(fields).toHaveLength(4);
    expect([fields[0], fields[2]]).toEqual([TABLES.decisions, TABLES.alerts]);
    expect((fields[1] as string).split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([d1, d2]);
    expect((fields[3] as string).split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([alert]);
  });

  it('stages writes of different turns as separate entries, in order', async () => {
    const key = nextKey();
    const sink = new RowJournal(redis, { key }).sink<object>(TABLES.decisions);
    const rows = [decision('t-2', 'a1'), decision('t-2', 'a2'), decision('t-2', 'a3')];
    for (const row of rows) await sink.write(row);

    const entries = await redis.xrange(key, '-', '+');
    expect(entries.map(([, fields]) => fields[0])).toEqual([TABLES.decisions, TABLES.decisions, TABLES.decisions]);
    expect(entries.map(([, fields]) => JSON.parse(fields[1] as string) as unknown)).toEqual(rows);
  });

  it('makes writes wait while the stream takes maxBytes or more, until entries are deleted', { timeout: 10_000 }, async () => {
    const key = nextKey();
    // One ≈ 10 KB row stays under maxBytes, two go over it; an emptied stream takes a few hundred bytes.
    const journal = new RowJournal(redis, { key, maxBytes: 15_000, checkEveryMs: 10 });
    const sink = journal.sink<{ n: number; pad: string }>(TABLES.decisions);
    const health = journalRoomCheck(journal, key);
    const row = (n: number) => ({ n, pad: 'x'.repeat(10_000) });
    await sink.write(row(1));
    await sleep(20);
    await sink.write(row(2));
    await sleep(20);
    expect(await redis.xlen(key)).toBe(2);

    let staged = false;
    const third = sink.write(row(3)).then(() => (staged = true));
    await sleep(300);
    expect(staged).toBe(false);
    expect(await redis.xlen(key)).toBe(2);
    // The role's /healthz fails while it waits for room.
    expect(journal.full).toBe(true);
    await expect(health()).rejects.toMatchObject({ code: 'HUSH_ERR_UNAVAILABLE', message: expect.stringContaining(key) as string });

    const ids = (await redis.xrange(key, '-', '+')).map(([id]) => id);
    await redis.xdel(key, ...ids);
    await third;
    expect(journal.full).toBe(false);
    await health();
    const entries = await redis.xrange(key, '-', '+');
    expect(entries.map(([, fields]) => (JSON.parse(fields[1] as string) as { n: number }).n)).toEqual([3]);
  });

  it('refuses a maxBytes that is not a positive integer', () => {
    const key = nextKey();
    expect(errorCodeOf(() => new RowJournal(redis, { key, maxBytes: 0 }))).toBe('HUSH_ERR_CONFIG');
    expect(errorCodeOf(() => new RowJournal(redis, { key, maxBytes: -1 }))).toBe('HUSH_ERR_CONFIG');
    expect(errorCodeOf(() => new RowJournal(redis, { key, maxBytes: 1.5 }))).toBe('HUSH_ERR_CONFIG');
    expect(errorCodeOf(() => new RowJournal(redis, { key, maxBytes: 1 }))).toBe('no error');
  });
});
