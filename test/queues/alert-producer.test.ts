import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { alertJobId } from '../../queues/job-ids.js';
import type { AlertsJob, OutcomesJob } from '../../queues/jobs.js';
import { HushError } from '../../shared/errors/index.js';
import { serviceUrls } from '../helpers/services.js';
import { createRedis } from '../../shared/redis/connection.js';
import { connectRedis, REDIS_URL } from '../scoring/redis-fixture.js';
import { jobsOf, obliterateAll, uniquePrefix } from './queue-fixture.js';

let redis: Redis;
const prefixes: string[] = [];
const producers: AlertProducer[] = [];

beforeAll(() => {
  redis = connectRedis();
});

afterEach(async () => {
  await Promise.all(producers.splice(0).map((p) => p.close()));
  for (const prefix of prefixes.splice(0)) await obliterateAll(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
});

function producer(options: { tenant?: string; chunkSize?: number; redis?: string | Redis; timeoutMs?: number } = {}): { producer: AlertProducer; prefix: string } {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const p = new AlertProducer({
    tenant: options.tenant ?? 'acme',
    redis: options.redis ?? redis,
    prefix,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  producers.push(p);
  return { producer: p, prefix };
}

function wireAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'prometheus',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'warning',
    status: 'firing',
    startsAt: '2024-05-01T12:00:00Z',
    summary: 'latency high for bob@example.com',
    labels: { team: 'payments', host: '10.1.2.3' },
    ...overrides,
  };
}

describe('AlertProducer.send', () => {
  it('enqueues a lone valid alert as its own job with the normalised, PII-stripped alert', async () => {
    const { producer: p, prefix } = producer();
    const before = Date.now();
    const response = await p.send(wireAlert({ id: 'alert-1', value: 2.5 }));
    expect(response).toEqual({ accepted: [{ index: 0, id: 'alert-1', status: 'firing' }], rejected: [] });
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job?.id).toBe(alertJobId([{ tenant: 'acme', id: 'alert-1', status: 'firing' }]));
    expect(job?.data.enqueuedAt).toBeGreaterThanOrEqual(before);
    expect(job?.data.alerts).toHaveLength(1);
    const alert = job?.data.alerts[0];
    expect(alert).toMatchObject({
      id: 'alert-1',
      tenant: 'acme',
      source: 'prometheus',
      severity: 'warning',
      status: 'firing',
      startsAt: Date.parse('2024-05-01T12:00:00Z'),
      endsAt: null,
      value: 2.5,
    });
    expect(alert?.summary).not.toContain('bob@example.com');
    expect(alert?.labels.host).not.toContain('10.1.2.3');
    expect(alert?.fingerprint).toMatch(/\S+/);
    expect(job?.opts.attempts).toBe(8);
  });

  it('returns an invalid alert as a rejection naming the field and enqueues nothing', async () => {
    const { producer: p, prefix } = producer();
    const response = await p.send(wireAlert({ severity: 'catastrophic' }));
    expect(response.accepted).toEqual([]);
    expect(response.rejected).toEqual([{ index: 0, code: 'HUSH_ERR_VALIDATION', field: 'severity', message: expect.stringContaining('critical') }]);
    expect(await jobsOf(redis, prefix, 'alerts')).toEqual([]);
  });

  it("rejects an alert of another tenant than the producer's with HUSH_ERR_FORBIDDEN_TENANT", async () => {
    const { producer: p, prefix } = producer({ tenant: 'acme' });
    const response = await p.send(wireAlert({ tenant: 'globex' }));
    expect(response.rejected).toEqual([{ index: 0, code: 'HUSH_ERR_FORBIDDEN_TENANT', field: 'tenant', message: expect.stringContaining('globex') }]);
    expect(await jobsOf(redis, prefix, 'alerts')).toEqual([]);
  });

  it('puts the alerts of concurrent sends in shared jobs of at most chunkSize alerts', async () => {
    const { producer: p, prefix } = producer({ chunkSize: 4 });
    const ids = Array.from({ length: 10 }, (_, i) => `c-${i}`);
    await Promise.all(ids.map((id) => p.send(wireAlert({ id }))));
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.map((j) => j.data.alerts.length).sort()).toEqual([2, 4, 4]);
    expect(jobs.flatMap((j) => j.data.alerts.map((a) => a.id)).sort()).toEqual([...ids].sort());
  });

  it('stores the same alert event sent twice once, while the first job is still waiting', async () => {
    const { producer: p, prefix } = producer();
    await p.send(wireAlert({ id: 'dup-1' }));
    await p.send(wireAlert({ id: 'dup-1' }));
    await p.send(wireAlert({ id: 'dup-1', status: 'resolved', endsAt: '2024-05-01T12:05:00Z' }));
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.map((j) => j.data.alerts[0]?.status).sort()).toEqual(['firing', 'resolved']);
  });
});

describe('AlertProducer.sendBulk', () => {
  it('enqueues valid alerts in chunks of chunkSize and reports invalid ones by index', async () => {
    const { producer: p, prefix } = producer({ chunkSize: 2 });
    const items = [
      wireAlert({ id: 'b-0' }),
      wireAlert({ id: 'b-1', startsAt: 'yesterday' }),
      wireAlert({ id: 'b-2' }),
      'not an object',
      wireAlert({ id: 'b-4', tenant: 'globex' }),
      wireAlert({ id: 'b-5', status: 'resolved', endsAt: '2024-05-01T13:00:00Z' }),
      wireAlert({ id: 'b-6' }),
    ];
    const response = await p.sendBulk(items);
    expect(response.accepted).toEqual([
      { index: 0, id: 'b-0', status: 'firing' },
      { index: 2, id: 'b-2', status: 'firing' },
      { index: 5, id: 'b-5', status: 'resolved' },
      { index: 6, id: 'b-6', status: 'firing' },
    ]);
    expect(response.rejected.map((r) => [r.index, r.code, r.field])).toEqual([
      [1, 'HUSH_ERR_VALIDATION', 'startsAt'],
      [3, 'HUSH_ERR_VALIDATION', '(root)'],
      [4, 'HUSH_ERR_FORBIDDEN_TENANT', 'tenant'],
    ]);
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.every((j) => j.name === 'alerts')).toBe(true);
    const chunks = jobs.map((j) => j.data.alerts.map((a) => a.id)).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
    expect(chunks).toEqual([
      ['b-0', 'b-2'],
      ['b-5', 'b-6'],
    ]);
    expect(jobs.map((j) => j.id).every((id) => id?.startsWith('ab-'))).toBe(true);
  });

  it('enqueues nothing when every alert is invalid', async () => {
    const { producer: p, prefix } = producer();
    const response = await p.sendBulk([{}, null, 42]);
    expect(response.accepted).toEqual([]);
    expect(response.rejected.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(await jobsOf(redis, prefix, 'alerts')).toEqual([]);
  });
});

describe('AlertProducer.sendOutcomes', () => {
  it('enqueues valid outcomes with epoch-ms times in one job and rejects the rest', async () => {
    const { producer: p, prefix } = producer();
    const response = await p.sendOutcomes([
      { alertId: 'a-1', outcome: 'actionable', at: '2024-05-01T12:30:00Z', source: 'human' },
      { alertId: 'a-2', outcome: 'maybe', at: '2024-05-01T12:30:00Z', source: 'human' },
      { alertId: 'a-3', outcome: 'noise', at: '2024-05-01T12:31:00Z', source: 'auto', tenant: 'acme' },
      { alertId: 'a-4', outcome: 'noise', at: '2024-05-01T12:31:00Z', source: 'auto', tenant: 'globex' },
    ]);
    expect(response.accepted).toEqual([
      { index: 0, id: 'a-1', status: 'actionable' },
      { index: 2, id: 'a-3', status: 'noise' },
    ]);
    expect(response.rejected.map((r) => [r.index, r.code, r.field])).toEqual([
      [1, 'HUSH_ERR_VALIDATION', 'outcome'],
      [3, 'HUSH_ERR_FORBIDDEN_TENANT', 'tenant'],
    ]);
    const jobs = await jobsOf<OutcomesJob>(redis, prefix, 'outcomes');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data.outcomes).toEqual([
      { tenant: 'acme', alertId: 'a-1', outcome: 'actionable', at: Date.parse('2024-05-01T12:30:00Z'), source: 'human' },
      { tenant: 'acme', alertId: 'a-3', outcome: 'noise', at: Date.parse('2024-05-01T12:31:00Z'), source: 'auto' },
    ]);
  });

  it('enqueues no job when no outcome is valid', async () => {
    const { producer: p, prefix } = producer();
    const response = await p.sendOutcomes([{ alertId: '' }]);
    expect(response.rejected).toHaveLength(1);
    expect(await jobsOf(redis, prefix, 'outcomes')).toEqual([]);
  });
});

describe('AlertProducer options', () => {
  it('refuses an invalid tenant', () => {
    expect(() => new AlertProducer({ tenant: 'Not Valid', redis })).toThrow(RangeError);
    expect(() => new AlertProducer({ tenant: 'Not Valid', redis })).toThrow(/tenant/);
  });

  it('refuses a chunk size out of range', () => {
    expect(() => new AlertProducer({ tenant: 'acme', redis, chunkSize: 0 })).toThrow(/chunkSize/);
    expect(() => new AlertProducer({ tenant: 'acme', redis, chunkSize: 10_001 })).toThrow(/chunkSize/);
  });

  it('refuses a timeout that is not a positive finite number of milliseconds', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '300' as unknown as number]) {
      expect(() => new AlertProducer({ tenant: 'acme', redis, timeoutMs })).toThrow(RangeError);
      expect(() => new AlertProducer({ tenant: 'acme', redis, timeoutMs })).toThrow(/timeoutMs/);
    }
  });

  it('sends as usual within a short timeout when Redis answers', async () => {
    const { producer: p, prefix } = producer({ redis: serviceUrls().redisUrl, timeoutMs: 300 });
    await p.send(wireAlert({ id: 'quick-1' }));
    await p.sendBulk([wireAlert({ id: 'quick-2' }), wireAlert({ id: 'quick-3' })]);
    await p.sendOutcomes([{ alertId: 'quick-1', outcome: 'noise', at: '2024-05-01T12:30:00Z', source: 'human' }]);
    const alerts = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(alerts.flatMap((j) => j.data.alerts.map((a) => a.id)).sort()).toEqual(['quick-1', 'quick-2', 'quick-3']);
    expect(await jobsOf(redis, prefix, 'outcomes')).toHaveLength(1);
  });

  it('lets a send in flight finish before it closes', async () => {
    const { producer: p, prefix } = producer({ redis: serviceUrls().redisUrl });
    const sent = p.send(wireAlert({ id: 'closing-1' }));
    await p.close();
    expect((await sent).accepted).toHaveLength(1);
    expect((await jobsOf<AlertsJob>(redis, prefix, 'alerts')).map((j) => j.data.alerts[0]?.id)).toEqual(['closing-1']);
  });

  it('opens and closes its own connection when given a URL, leaving a borrowed one open', async () => {
    const { producer: own, prefix } = producer({ redis: REDIS_URL });
    await own.send(wireAlert({ id: 'own-1' }));
    expect((await jobsOf<AlertsJob>(redis, prefix, 'alerts')).map((j) => j.data.alerts[0]?.id)).toEqual(['own-1']);
    await own.close();
    producers.splice(producers.indexOf(own), 1);
    const { producer: borrowed } = producer();
    await borrowed.close();
    producers.splice(producers.indexOf(borrowed), 1);
    expect(await redis.ping()).toBe('PONG');
  });
});

describe('AlertProducer against an unreachable Redis', () => {
  const timeoutMs = 300;
  let unreachable: string;
  const down: AlertProducer[] = [];

  beforeAll(async () => {
    unreachable = `redis://127.0.0.1:${await closedPort()}`;
  });

  afterEach(async () => {
    await Promise.allSettled(down.splice(0).map((p) => p.close()));
  });

  function downProducer(): AlertProducer {
    const p = new AlertProducer({ tenant: 'acme', redis: unreachable, prefix: uniquePrefix(), timeoutMs });
    down.push(p);
    return p;
  }

  async function rejection(send: Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
    const started = performance.now();
    const error = await send.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    return { error, elapsedMs: performance.now() - started };
  }

  it.each([
    ['send', (p: AlertProducer) => p.send(wireAlert({ id: 'down-1' })), 'the alert stays queued'],
    ['sendBulk', (p: AlertProducer) => p.sendBulk([wireAlert({ id: 'down-1' }), wireAlert({ id: 'down-2' })]), 'the 2 alerts stay queued'],
    ['sendOutcomes', (p: AlertProducer) => p.sendOutcomes([{ alertId: 'a-1', outcome: 'noise', at: '2024-05-01T12:30:00Z', source: 'human' }]), 'the outcome stays queued'],
  ])('rejects %s with HUSH_ERR_UNAVAILABLE once timeoutMs has passed, telling the connection error instead of printing it', async (method, send, pending) => {
    // BullMQ prints a queue's errors to the console when nobody listens: a collector's stderr would fill up.
    const printed = vi.spyOn(console, 'error');
    const { error, elapsedMs } = await rejection(send(downProducer()));
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({ code: 'HUSH_ERR_UNAVAILABLE', status: 503 });
    const { message } = error as HushError;
    expect(message).toContain(`AlertProducer.${method} timed out after ${timeoutMs} ms`);
    expect(message).toContain(`Redis at ${unreachable} is unreachable`);
    expect(message).toContain('(last error: connect ECONNREFUSED');
    expect(message).toContain(pending);
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsedMs).toBeLessThan(timeoutMs + 1_000);
  });

  it('asks for the same alert ids on retry, and names a borrowed connection without its credentials', async () => {
    const borrowed = createRedis(unreachable.replace('//', '//user:s3cret@'));
    try {
      const p = new AlertProducer({ tenant: 'acme', redis: borrowed, prefix: uniquePrefix(), timeoutMs });
      down.push(p);
      const { error } = await rejection(p.send(wireAlert({ id: 'down-1' })));
      const { message } = error as HushError;
      expect(message).toContain('same alert ids');
      expect(message).toContain('stays queued on the borrowed connection');
      expect(message).toContain(`Redis at ${unreachable.replace('redis://', '')} `);
      expect(message).not.toContain('s3cret');
    } finally {
      borrowed.disconnect();
    }
  });

  it('answers a batch without valid items at once, as it sends nothing', async () => {
    const response = await downProducer().sendBulk([{}, 'not an alert']);
    expect(response.rejected.map((r) => r.index)).toEqual([0, 1]);
  });

  it('closes once a send in flight has timed out, instead of leaving it unsettled', async () => {
    const p = downProducer();
    const sent = rejection(p.send(wireAlert({ id: 'down-1' })));
    const started = performance.now();
    await p.close();
    expect(performance.now() - started).toBeLessThan(2 * timeoutMs + 1_000);
    expect((await sent).error).toMatchObject({ code: 'HUSH_ERR_UNAVAILABLE' });
  });

  it('refuses sends after close and may be closed twice', async () => {
    const p = downProducer();
    await p.close();
    await p.close();
    await expect(p.send(wireAlert({ id: 'late-1' }))).rejects.toMatchObject({ code: 'HUSH_ERR_CONFLICT', message: expect.stringContaining('after close()') });
  });
});

/** A local port nobody listens on (bound once by the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
