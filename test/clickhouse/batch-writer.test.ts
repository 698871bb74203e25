import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriter, type BatchWriterOptions, type EncodedRow } from '../../shared/clickhouse/batch-writer.js';
import { createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { countDecisions } from '../../shared/clickhouse/queries/count-decisions.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import type { DecisionRow } from '../../shared/clickhouse/rows.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { createTestDatabase, CLICKHOUSE_URL, type TestDatabase } from './clickhouse-test-db.js';
import { decision } from './decision-fixtures.js';
import { TcpProxy } from './tcp-proxy.js';

/** Tracks which of many write promises have settled. */
function track(promises: Promise<void>[]): { settled: () => number; all: Promise<void[]> } {
  let settled = 0;
  for (const p of promises) p.then(() => settled++, () => settled++);
  return { settled: () => settled, all: Promise.all(promises) };
}

async function rawCount(client: ClickHouseClient, tenant: string): Promise<number> {
  const result = await client.query({ query: `SELECT count() AS n FROM decisions WHERE tenant = ${sqlString(tenant)}`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: number }>();
  return Number(row?.n);
}

describe('BatchWriter', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let proxied: ClickHouseClient;
  const writers: BatchWriter<object>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.client);
    const target = new URL(CLICKHOUSE_URL);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 8123) });
    await proxy.start();
    proxied = createClickHouseClient({ ...db.options, url: proxy.url, requestTimeoutMs: 5000 });
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await Promise.all(writers.map((w) => w.shutdown()));
    await proxied.close();
    await proxy.stop();
    await db.drop();
  });

  function writer(options: Partial<BatchWriterOptions> = {}, client: ClickHouseClient = db.client): BatchWriter<DecisionRow> {
    const w = new BatchWriter<DecisionRow>(client, { table: 'decisions', ...options });
    writers.push(w);
    return w;
  }

  function encodedWriter(options: Partial<BatchWriterOptions> = {}, client: ClickHouseClient = db.client): BatchWriter<EncodedRow> {
    const w = new BatchWriter<EncodedRow>(client, { table: 'decisions', encoded: true, ...options });
    writers.push(w);
    return w;
  }

  it('sends a batch as soon as maxBatchSize rows are buffered', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ maxBatchSize: 100, flushDelayMs: 60_000 });
    const writes = Array.from({ length: 250 }, (_, i) => w.write(decision(tenant, `a${i}`)));
    const tracked = track(writes);
    await Promise.all(writes.slice(0, 200));
    await sleep(100);
    expect(tracked.settled()).toBe(200);
    expect(w.stats()).toMatchObject({ rowsWritten: 200, batches: 2, lastBatchSize: 100, bufferedRows: 50 });
    await w.forceFlush();
    await tracked.all;
    expect(w.stats()).toMatchObject({ rowsWritten: 250, batches: 3, lastBatchSize: 50, bufferedRows: 0 });
  });

  it('sends a partial batch once the oldest row has waited flushDelayMs', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ maxBatchSize: 1000, flushDelayMs: 150 });
    const started = performance.now();
    const writes = [w.write(decision(tenant, 'a1')), w.write(decision(tenant, 'a2'))];
    await sleep(50);
    expect(w.stats().rowsWritten).toBe(0);
    await Promise.all(writes);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(w.stats()).toMatchObject({ batches: 1, lastBatchSize: 2 });
  });

  it('sends what it holds and every later row without the flush delay once told to stop delaying', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ maxBatchSize: 1000, flushDelayMs: 60_000 });
    const held = w.write(decision(tenant, 'a1'));
    await sleep(50);
    expect(w.stats().rowsWritten).toBe(0);
    await w.stopDelaying();
    await held;
    await w.write(decision(tenant, 'a2'));
    expect(await countDecisions(db.client, tenant)).toBe(2);
  });

  it('resolves write only once the row can be read back', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ flushDelayMs: 0, exportTimeoutMs: 200, retryInitialDelayMs: 50 }, proxied);
    await proxy.hang();
    const write = w.write(decision(tenant, 'a1'));
    const tracked = track([write]);
    await sleep(600);
    expect(tracked.settled()).toBe(0);
    expect(await countDecisions(db.client, tenant)).toBe(0);
    expect(w.stats().retries).toBeGreaterThan(0);
    await proxy.stop();
    await proxy.start();
    await write;
    expect(await countDecisions(db.client, tenant)).toBe(1);
  });

  it('loses nothing through an outage: retries until ClickHouse is back', async () => {
    const tenant = `t-${randomUUID()}`;
    const retries: number[] = [];
    const w = writer({ maxBatchSize: 500, retryInitialDelayMs: 20, retryMaxDelayMs: 400, onRetry: (e) => retries.push(e.delayMs) }, proxied);
    await proxy.stop();
    const tracked = track(Array.from({ length: 2000 }, (_, i) => w.write(decision(tenant, `a${i}`))));
    await sleep(3000);
    expect(tracked.settled()).toBe(0);
    expect(w.stats().bufferedRows).toBe(2000);
    expect(retries.length).toBeGreaterThan(3);
    expect(Math.max(...retries)).toBeLessThanOrEqual(400);
    await proxy.start();
    await tracked.all;
    expect(await countDecisions(db.client, tenant)).toBe(2000);
    expect(w.stats()).toMatchObject({ rowsWritten: 2000, rowsRejected: 0, bufferedRows: 0 });
  });

  it('gives up when abandoned: its writes reject as unavailable, the retried insert stops, shutdown returns', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ maxBatchSize: 10, maxBufferedRows: 20, flushDelayMs: 0, retryInitialDelayMs: 20, retryMaxDelayMs: 100 }, proxied);
    await proxy.stop();
    const outcomes = Array.from({ length: 35 }, (_, i) => w.write(decision(tenant, `a${i}`)).then(() => 'inserted', (error: { code?: string }) => error.code));
    await sleep(300);
    // One batch in flight and retried, the next in the buffer, the rest waiting for room.
    expect(w.stats()).toMatchObject({ bufferedRows: 20, waitingWrites: 15 });
    expect(w.stats().retries).toBeGreaterThan(0);

    w.abandon('the test stops');
    expect(await Promise.all(outcomes)).toEqual(Array.from({ length: 35 }, () => 'HUSH_ERR_UNAVAILABLE'));
    await w.shutdown();
    expect(w.stats()).toMatchObject({ rowsWritten: 0, bufferedRows: 0, waitingWrites: 0 });
    await expect(w.write(decision(tenant, 'late'))).rejects.toThrow(/gave up before ClickHouse took the row: the test stops/);
    // Nothing is inserted once ClickHouse is back: the writer retries no more.
    await proxy.start();
    await sleep(300);
    expect(await countDecisions(db.client, tenant)).toBe(0);
  });

  it('makes writers wait when the buffer is full instead of dropping', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ maxBatchSize: 10, maxBufferedRows: 20, flushDelayMs: 0, retryInitialDelayMs: 20, retryMaxDelayMs: 100 }, proxied);
    await proxy.stop();
    const tracked = track(Array.from({ length: 55 }, (_, i) => w.write(decision(tenant, `a${i}`))));
    await sleep(300);
    expect(w.stats()).toMatchObject({ bufferedRows: 20, waitingWrites: 35 });
    expect(w.full).toBe(true);
    await proxy.start();
    await tracked.all;
    expect(w.full).toBe(false);
    expect(await countDecisions(db.client, tenant)).toBe(55);
  });

  it('flushes everything on shutdown, twice is harmless, and refuses later writes', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ flushDelayMs: 60_000 });
    const tracked = track(Array.from({ length: 30 }, (_, i) => w.write(decision(tenant, `a${i}`))));
    const first = w.shutdown();
    expect(w.shutdown()).toBe(first);
    await first;
    expect(tracked.settled()).toBe(30);
    expect(await countDecisions(db.client, tenant)).toBe(30);
    await w.shutdown();
    await w.forceFlush();
    await expect(w.write(decision(tenant, 'late'))).rejects.toThrow(/shut down/);
  });

  it('keeps one decision per alert under FINAL when a batch is retried', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ flushDelayMs: 0 });
    // A background merge would collapse the repeats before the raw count sees them.
    await db.client.command({ query: 'SYSTEM STOP MERGES decisions' });
    try {
      await w.write(decision(tenant, 'a1'));
      await w.write(decision(tenant, 'a1', { decidedAt: Date.UTC(2025, 2, 14, 9, 27) }));
      await Promise.all([w.write(decision(tenant, 'a1')), w.write(decision(tenant, 'a2'))]);
      expect(await rawCount(db.client, tenant)).toBe(4);
      expect(await countDecisions(db.client, tenant)).toBe(2);
    } finally {
      await db.client.command({ query: 'SYSTEM START MERGES decisions' });
    }
  });

  it('rejects only the rows ClickHouse refuses and inserts the rest', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = writer({ flushDelayMs: 1000 });
    const bad = { ...decision(tenant, 'bad'), decision: 'maybe' } as unknown as DecisionRow;
    const good = Array.from({ length: 9 }, (_, i) => w.write(decision(tenant, `a${i}`)));
    const refused = w.write(bad);
    const more = Array.from({ length: 6 }, (_, i) => w.write(decision(tenant, `b${i}`)));
    await expect(refused).rejects.toMatchObject({ code: 'HUSH_ERR_CLICKHOUSE' });
    await Promise.all([...good, ...more]);
    expect(await countDecisions(db.client, tenant)).toBe(15);
    expect(w.stats()).toMatchObject({ rowsRejected: 1, rowsWritten: 15 });
  });

  it('inserts pre-encoded JSONEachRow lines as they are when encoded', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = encodedWriter({ maxBatchSize: 40, flushDelayMs: 1000 });
    const rows = Array.from({ length: 100 }, (_, i) => decision(tenant, `a${i}`, { score: i / 100 }));
    await Promise.all(rows.map((row) => w.write({ json: JSON.stringify(row) })));
    expect(await countDecisions(db.client, tenant)).toBe(100);
    expect(w.stats()).toMatchObject({ rowsWritten: 100, batches: 3, rowsRejected: 0 });
    const stored = await decisionsFor(db.client, tenant, ['a37']);
    expect(stored).toEqual([expect.objectContaining({ alert_id: 'a37', score: 0.37, decision: 'suppress' })]);
  });

  it('rejects only the encoded row ClickHouse refuses and inserts its batch-mates', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = encodedWriter({ flushDelayMs: 1000 });
    const line = (row: object): EncodedRow => ({ json: JSON.stringify(row) });
    const good = Array.from({ length: 7 }, (_, i) => w.write(line(decision(tenant, `a${i}`))));
    const refused = w.write(line({ ...decision(tenant, 'bad'), decision: 'maybe' }));
    const more = Array.from({ length: 4 }, (_, i) => w.write(line(decision(tenant, `b${i}`))));
    await expect(refused).rejects.toMatchObject({ code: 'HUSH_ERR_CLICKHOUSE' });
    await Promise.all([...good, ...more]);
    expect(await countDecisions(db.client, tenant)).toBe(11);
    expect(await decisionsFor(db.client, tenant, ['bad'])).toEqual([]);
    expect(w.stats()).toMatchObject({ rowsRejected: 1, rowsWritten: 11 });
  });

  /** `count` decisions encoded as one write: their lines joined in a Buffer, as the journal drain hands them over. */
  function chunk(tenant: string, from: number, count: number, bad = -1): EncodedRow {
    const rows = Array.from({ length: count }, (_, i) => (from + i === bad ? { ...decision(tenant, 'bad'), decision: 'maybe' } : decision(tenant, `a${from + i}`)));
    return { json: Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n')), rows: count };
  }

  it('counts a write of several encoded rows as that many rows in batches, the buffer bound and the counters', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = encodedWriter({ maxBatchSize: 10, maxBufferedRows: 12, flushDelayMs: 60_000, retryInitialDelayMs: 20, retryMaxDelayMs: 100 }, proxied);
    await proxy.stop();
    const tracked = track([0, 4, 8, 12, 16].map((from) => w.write(chunk(tenant, from, 4))));
    await sleep(300);
    // 12 rows fill the buffer (two writes in flight, one buffered) and the two writes past them wait.
    expect(w.stats()).toMatchObject({ rowsWritten: 0, bufferedRows: 12, waitingWrites: 2 });
    expect(w.full).toBe(true);
    await proxy.start();
    await w.forceFlush();
    await tracked.all;
    // Batches of whole writes up to maxBatchSize rows: 4 + 4, 4 + 4, 4.
    expect(w.stats()).toMatchObject({ rowsWritten: 20, batches: 3, lastBatchSize: 4, bufferedRows: 0, rowsRejected: 0 });
    expect(await countDecisions(db.client, tenant)).toBe(20);
  });

  it('rejects a refused write of several encoded rows as a whole and inserts its batch-mates', async () => {
    const tenant = `t-${randomUUID()}`;
    const w = encodedWriter({ flushDelayMs: 1000 });
    const good = [w.write(chunk(tenant, 0, 5)), w.write({ json: JSON.stringify(decision(tenant, 'a5')) })];
    const refused = w.write(chunk(tenant, 6, 5, 8));
    const more = w.write(chunk(tenant, 11, 3));
    await expect(refused).rejects.toMatchObject({ code: 'HUSH_ERR_CLICKHOUSE', message: expect.stringMatching(/refused 5 rows written together for decisions/) });
    await Promise.all([...good, more]);
    expect(await countDecisions(db.client, tenant)).toBe(9);
    // Which of the 5 is bad is the caller's to find: none is counted as rejected yet.
    expect(w.stats()).toMatchObject({ rowsRejected: 0, rowsWritten: 9 });
  });

  it('inserts encoded rows in Buffers through a client that compresses its requests', async () => {
    const tenant = `t-${randomUUID()}`;
    const compressing = createClickHouseClient({ ...db.options, compression: true });
    try {
      const w = new BatchWriter<EncodedRow>(compressing, { table: 'decisions', encoded: true, flushDelayMs: 0 });
      await Promise.all([w.write(chunk(tenant, 0, 3)), w.write({ json: JSON.stringify(decision(tenant, 'a3')) })]);
      await w.shutdown();
      expect(await countDecisions(db.client, tenant)).toBe(4);
    } finally {
      await compressing.close();
    }
  });

  it('refuses a write that claims no rows', async () => {
    await expect(encodedWriter().write({ json: '', rows: 0 })).rejects.toThrow(/positive whole number of rows, got 0/);
  });

  it('names the option that is invalid', () => {
    expect(() => writer({ maxBatchSize: 0 })).toThrow(/maxBatchSize must be a positive integer/);
    expect(() => writer({ maxBatchSize: 10, maxBufferedRows: 5 })).toThrow(/maxBufferedRows must be >= maxBatchSize/);
    expect(() => writer({ flushDelayMs: -1 })).toThrow(/flushDelayMs/);
    expect(() => writer({ retryInitialDelayMs: 100, retryMaxDelayMs: 10 })).toThrow(/retryMaxDelayMs/);
    expect(() => writer({ table: '' })).toThrow(/option table/);
  });
});
