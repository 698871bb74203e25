import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { BatchWriter, type BatchWriterOptions, type EncodedRow } from '../../shared/clickhouse/batch-writer.js';
import { JOURNAL_GROUP as GROUP, JournalDrain, journalConsumers, refusedKey, type JournalDrainOptions, type JournalTableWriter } from '../../shared/clickhouse/journal-drain.js';
import { createClickHouseClient } from '../../shared/clickhouse/client.js';
import { countDecisions } from '../../shared/clickhouse/queries/count-decisions.js';
import { RowJournal, journalKey } from '../../shared/clickhouse/row-journal.js';
import { TABLES, type DecisionRow } from '../../shared/clickhouse/rows.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { waitFor } from '../helpers/fleet.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';
import { serviceUrls } from '../helpers/services.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import type { TestDatabase } from './clickhouse-test-db.js';
import { journalServices, stopDrains } from './journal-fixture.js';
import { decision } from './decision-fixtures.js';

const silent = pino({ level: 'silent' });

describe('JournalDrain (real Redis and ClickHouse)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let db: TestDatabase;
  let streams = 0;
  const writers: BatchWriter<EncodedRow>[] = [];
  const drains: JournalDrain[] = [];

  beforeAll(async () => {
    ({ redis, db } = await journalServices());
  });

  afterEach(async () => {
    await stopDrains(drains, writers);
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteKeysUnder(serviceUrls().redisUrl, prefix);
    await db.drop();
  });

  const nextKey = (): string => journalKey(prefix, `journal-${++streams}`);
  const newTenant = (): string => `t-${randomUUID()}`;

  function decisionsWriter(options: Partial<BatchWriterOptions> = {}): BatchWriter<EncodedRow> {
    const w = new BatchWriter<EncodedRow>(db.client, { table: TABLES.decisions, encoded: true, flushDelayMs: 50, ...options });
    writers.push(w);
    return w;
  }

  function startDrain(key: string, options: Partial<JournalDrainOptions> = {}): JournalDrain {
    const drain = new JournalDrain({
      redis,
      key,
      consumer: 'replica-1',
      writers: new Map([[TABLES.decisions, decisionsWriter()]]),
      claimIdleMs: 60_000,
      blockMs: 100,
      logger: silent,
      ...options,
    });
    drains.push(drain);
    drain.start();
    return drain;
  }

  /** Starts a drain and counts the reads (XREADGROUP) of its reading connection, a duplicate of `redis`. */
  function startCountingReads(key: string, options: Partial<JournalDrainOptions>): { drain: JournalDrain; reads: () => number } {
    const duplicate = redis.duplicate.bind(redis);
    let reads: MockInstance | undefined;
    const spy = vi.spyOn(redis, 'duplicate').mockImplementationOnce((...args) => {
      const reader = duplicate(...args);
      reads = vi.spyOn(reader, 'xreadgroupBuffer');
      return reader;
    });
    const drain = startDrain(key, options);
    spy.mockRestore();
    return { drain, reads: () => reads?.mock.calls.length ?? 0 };
  }

  /** Appends `count` decisions one entry at a time, `everyMs` apart: a trickling stream. */
  async function trickle(journal: RowJournal, tenant: string, count: number, everyMs: number, from = 0): Promise<void> {
    const sink = journal.sink<DecisionRow>(TABLES.decisions);
    for (let i = from; i < from + count; i++) {
      await sink.write(decision(tenant, `a${i}`));
      await sleep(everyMs);
    }
  }

  /** Writes `count` decisions for `tenant`, `perTurn` of them per event-loop turn (one stream entry each). */
  async function stage(journal: RowJournal, tenant: string, count: number, perTurn = 10, from = 0): Promise<void> {
    const sink = journal.sink<DecisionRow>(TABLES.decisions);
    for (let i = 0; i < count; i += perTurn) {
      const n = Math.min(perTurn, count - i);
      await Promise.all(Array.from({ length: n }, (_, j) => sink.write(decision(tenant, `a${from + i + j}`))));
    }
  }

  /** Entries read and not acknowledged; NaN while the stream has no group (recreated by an append). */
  async function pendingCount(key: string): Promise<number> {
    try {
      const [count] = (await redis.xpending(key, GROUP)) as [number, ...unknown[]];
      return Number(count);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOGROUP')) return Number.NaN;
      throw error;
    }
  }

  async function pendingByConsumer(key: string): Promise<Record<string, number>> {
    const [, , , consumers] = (await redis.xpending(key, GROUP)) as [number, string, string, [string, string][] | null];
    return Object.fromEntries((consumers ?? []).map(([name, n]) => [name, Number(n)]));
  }

  /** Waits until `tenant` has `rows` decisions and the stream holds no entry, pending or not. */
  async function waitUntilDrained(key: string, tenant: string, rows: number, timeoutMs = 8000): Promise<void> {
    let seen = '';
    await waitFor(
      async () => {
        const [inserted, length, pending] = await Promise.all([countDecisions(db.client, tenant), redis.xlen(key), pendingCount(key)]);
        seen = `${inserted} rows inserted, XLEN ${length}, ${pending} pending`;
        return inserted === rows && length === 0 && pending === 0;
      },
      { timeoutMs, intervalMs: 50, what: () => `${rows} rows inserted and ${key} emptied (last: ${seen})` },
    );
  }

  it('inserts the journal rows into ClickHouse and leaves the stream empty with nothing pending', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const journal = new RowJournal(redis, { key });
    startDrain(key, { readCount: 7 });
    await stage(journal, tenant, 300, 10);
    await stage(journal, tenant, 5, 1, 300);
    await waitUntilDrained(key, tenant, 305);
    // Each row is inserted once: no entry was read twice.
    const [row] = await (await db.client.query({ query: `SELECT count() AS n FROM decisions WHERE tenant = ${sqlString(tenant)}`, format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(row?.n)).toBe(305);
  });

  it('reads a trickling stream many entries at a time, pausing gatherMs after a short read', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const { reads } = startCountingReads(key, { gatherMs: 200, blockMs: 1000 });
    // 40 entries over about 600 ms: one read each without the pause, about one per 200 ms with it.
    await trickle(new RowJournal(redis, { key }), tenant, 40, 15);
    await waitUntilDrained(key, tenant, 40);
    expect(reads()).toBeLessThan(12);
  });

  it('stops without waiting out a gathering pause, and inserts every entry appended meanwhile', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const journal = new RowJournal(redis, { key });
    const { drain } = startCountingReads(key, { gatherMs: 30_000 });
    await trickle(journal, tenant, 5, 20);
    // A first read's rows are inserted (its entry is pending only until then): the drain now pauses.
    await waitFor(async () => (await countDecisions(db.client, tenant)) >= 1, { timeoutMs: 5000, what: 'a first read inserted' });
    // Read after the pause started: only the stop's own reads take these.
    await trickle(journal, tenant, 5, 0, 5);
    const started = performance.now();
    await drain.stop();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await countDecisions(db.client, tenant)).toBe(10);
    expect(await redis.xlen(key)).toBe(0);
    expect(await pendingCount(key)).toBe(0);
  });

  it('refuses a negative gatherMs, naming the option', () => {
    expect(() => new JournalDrain({ redis, key: nextKey(), consumer: 'replica-1', writers: new Map(), claimIdleMs: 60_000, gatherMs: -1 })).toThrow(/JournalDrain option gatherMs must be a number >= 0, got -1/);
  });

  it.each([
    ['readCount', 0, /JournalDrain option readCount must be an integer >= 1, got 0/],
    ['readCount', 2.5, /JournalDrain option readCount must be an integer >= 1, got 2.5/],
    ['blockMs', -1, /JournalDrain option blockMs must be an integer >= 0, got -1/],
    ['blockMs', 0.5, /JournalDrain option blockMs must be an integer >= 0, got 0.5/],
  ])('refuses %s %s, naming the option', (option, value, message) => {
    expect(() => new JournalDrain({ redis, key: nextKey(), consumer: 'replica-1', writers: new Map(), claimIdleMs: 60_000, [option]: value })).toThrow(message);
  });

  /** Stages `rows` decisions in entries of `perEntry` and has `consumer` read them all without acknowledging. */
  async function readWithoutAcknowledging(key: string, tenant: string, rows: number, perEntry: number, consumer: string): Promise<void> {
    await redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM');
    await stage(new RowJournal(redis, { key }), tenant, rows, perEntry);
    await redis.xreadgroup('GROUP', GROUP, consumer, 'STREAMS', key, '>');
    expect(await pendingByConsumer(key)).toEqual({ [consumer]: rows / perEntry });
  }

  it('takes over the entries another consumer read and left unacknowledged for claimIdleMs', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    // A replica read them and died before inserting.
    await readWithoutAcknowledging(key, tenant, 40, 10, 'dead');

    startDrain(key, { consumer: 'survivor', claimIdleMs: 1000 });
    await sleep(300);
    // Not idle long enough yet: still the dead replica's.
    expect(await pendingByConsumer(key)).toEqual({ dead: 4 });
    expect(await countDecisions(db.client, tenant)).toBe(0);

    await waitUntilDrained(key, tenant, 40);
    // The dead replica's emptied member goes once idle for 2 × claimIdleMs, the survivor's own at its stop.
    const members = async (): Promise<string[]> => (await journalConsumers(redis, key)).map((c) => c.name);
    await waitFor(async () => (await members()).join() === 'survivor', { timeoutMs: 5000, what: 'the dead consumer forgotten' });
    await Promise.all(drains.splice(0).map((d) => d.stop()));
    expect(await members()).toEqual([]);
  });

  it("keeps a live consumer's slow entries fresh so that no other consumer takes them over", { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    // The first replica's rows wait in its writer far longer than claimIdleMs.
    const slow = decisionsWriter({ flushDelayMs: 60_000 });
    startDrain(key, { consumer: 'replica-a', claimIdleMs: 2000, blockMs: 20, writers: new Map([[TABLES.decisions, slow]]) });
    await stage(new RowJournal(redis, { key }), tenant, 30, 10);
    await waitFor(() => slow.stats().bufferedRows === 30, { timeoutMs: 5000, what: 'the rows buffered in the slow writer' });

    const other = decisionsWriter({ flushDelayMs: 0 });
    startDrain(key, { consumer: 'replica-b', claimIdleMs: 2000, blockMs: 20, writers: new Map([[TABLES.decisions, other]]) });
    // Refreshed every claimIdleMs / 3, an entry never gets near claimIdleMs idle.
    let maxIdleMs = 0;
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const pending = (await redis.xpending(key, GROUP, '-', '+', 100)) as [string, string, number, number][];
      expect(pending.map(([, consumer]) => consumer)).toEqual(['replica-a', 'replica-a', 'replica-a']);
      maxIdleMs = Math.max(maxIdleMs, ...pending.map(([, , idle]) => Number(idle)));
      await sleep(100);
    }
    expect(maxIdleMs).toBeLessThan(1500);
    expect(other.stats()).toMatchObject({ rowsWritten: 0, bufferedRows: 0 });

    await slow.forceFlush();
    await waitUntilDrained(key, tenant, 30);
  });

  it('inserts at start the entries pending for its own consumer name (a restart)', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    // The previous run of replica-1 read them and was killed.
    await readWithoutAcknowledging(key, tenant, 25, 5, 'replica-1');

    // claimIdleMs is far away and nothing is new: only re-reading its own pending entries inserts them.
    startDrain(key, { consumer: 'replica-1', claimIdleMs: 60_000, readCount: 2 });
    await waitUntilDrained(key, tenant, 25);
  });

  it('hands its writer one write per table of an entry, the lines kept in a Buffer', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const writer = decisionsWriter();
    const writes: { json: unknown; rows: number | undefined }[] = [];
    const recording: JournalTableWriter = {
      write: (row) => {
        writes.push({ json: row.json, rows: row.rows });
        return writer.write(row);
      },
      get full() {
        return writer.full;
      },
      abandon: (reason) => writer.abandon(reason),
    };
    startDrain(key, { writers: new Map([[TABLES.decisions, recording]]) });
    await stage(new RowJournal(redis, { key }), tenant, 30, 10);
    await waitUntilDrained(key, tenant, 30);
    expect(writes.map(({ json, rows }) => ({ buffer: Buffer.isBuffer(json), rows }))).toEqual(Array.from({ length: 3 }, () => ({ buffer: true, rows: 10 })));
    expect(writer.stats()).toMatchObject({ rowsWritten: 30, rowsRejected: 0 });
  });

  it('moves a refused row and a row of an unknown table to the refused stream, inserts the rest, and deletes the entry', { timeout: 20_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const journal = new RowJournal(redis, { key });
    const decisions = journal.sink<DecisionRow>(TABLES.decisions);
    const unknown = journal.sink<{ id: number }>('no_such_table');
    const bad = { ...decision(tenant, 'bad'), decision: 'maybe' } as unknown as DecisionRow;
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => decisions.write(decision(tenant, `a${i}`))),
      decisions.write(bad),
      unknown.write({ id: 7 }),
      ...Array.from({ length: 3 }, (_, i) => decisions.write(decision(tenant, `b${i}`))),
    ]);
    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(1);
    const [entryId] = entries[0] as [string, string[]];

    const logs: { msg: string; table?: string; entry?: string }[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
    const writer = decisionsWriter();
    startDrain(key, { logger, writers: new Map([[TABLES.decisions, writer]]) });
    await waitUntilDrained(key, tenant, 9);
    // The entry's ten decisions went as one write; once refused, line by line: only the bad one is refused.
    expect(writer.stats()).toMatchObject({ rowsWritten: 9, rowsRejected: 1 });

    const refused = (await redis.xrange(refusedKey(key), '-', '+')).map(([, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
      return record;
    });
    expect(refused).toHaveLength(2);
    const byTable = Object.fromEntries(refused.map((r) => [r.table, r]));
    expect(byTable[TABLES.decisions]).toMatchObject({ entry: entryId, reason: expect.stringMatching(/ClickHouse refused a row for decisions/) });
    expect(JSON.parse(byTable[TABLES.decisions]?.row ?? 'null')).toEqual(bad);
    expect(byTable.no_such_table).toEqual({ table: 'no_such_table', row: '{"id":7}', reason: expect.stringMatching(/no ClickHouse table no_such_table/), entry: entryId });
    expect(logs.filter((l) => l.msg === 'a journal row was not inserted; kept in the refused stream').map((l) => l.table).sort()).toEqual([TABLES.decisions, 'no_such_table']);
  });

  it('returns from stop only once every row written before it is in ClickHouse', { timeout: 15_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const journal = new RowJournal(redis, { key });
    // Rows sit in the writer longer than a read blocks: stop must wait for their inserts, not just for the reads.
    const writer = decisionsWriter({ flushDelayMs: 1500 });
    await stage(journal, tenant, 600, 5);
    const drain = new JournalDrain({ redis, key, consumer: 'replica-1', writers: new Map([[TABLES.decisions, writer]]), claimIdleMs: 60_000, readCount: 50, blockMs: 100, logger: silent });
    drain.start();
    await stage(journal, tenant, 200, 5, 600);
    await drain.stop();
    expect(await countDecisions(db.client, tenant)).toBe(800);
    expect(await redis.xlen(key)).toBe(0);
    expect(await pendingCount(key)).toBe(0);
  });

  it('gives up on stop after the grace while ClickHouse is down and leaves its entries to another consumer', { timeout: 20_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    // Nothing listens on port 1: every insert fails and is retried.
    const down = createClickHouseClient({ ...db.options, url: 'http://127.0.0.1:1' });
    const stuck = new BatchWriter<EncodedRow>(down, { table: TABLES.decisions, encoded: true, flushDelayMs: 0, retryInitialDelayMs: 20, retryMaxDelayMs: 100 });
    // claimIdleMs is longer than the test waits: only the hand-off at stop lets the survivor take them.
    const leaving = new JournalDrain({ redis, key, consumer: 'leaving', writers: new Map([[TABLES.decisions, stuck]]), claimIdleMs: 60_000, blockMs: 50, logger: silent });
    leaving.start();
    await stage(new RowJournal(redis, { key }), tenant, 30, 10);
    await waitFor(async () => (await pendingByConsumer(key)).leaving === 3, { timeoutMs: 5000, what: 'the three entries read by the leaving consumer' });

    const started = performance.now();
    expect(await leaving.stop(500)).toBe(3);
    // It tried for the grace, then stopped: its writer refuses rows and shuts down at once.
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    await stuck.shutdown();
    await down.close();
    expect(stuck.stats().rowsWritten).toBe(0);
    expect(await redis.xlen(key)).toBe(3);
    expect(await pendingByConsumer(key)).toEqual({ leaving: 3 });
    const idle = (await redis.xpending(key, GROUP, '-', '+', 10)) as [string, string, number, number][];
    expect(Math.min(...idle.map(([, , idleMs]) => Number(idleMs)))).toBeGreaterThanOrEqual(60_000);

    startDrain(key, { consumer: 'survivor', claimIdleMs: 60_000 });
    await waitUntilDrained(key, tenant, 30);
  });

  it('goes on inserting after the stream is deleted under it', { timeout: 20_000 }, async () => {
    const key = nextKey();
    const tenant = newTenant();
    const journal = new RowJournal(redis, { key });
    startDrain(key);
    await stage(journal, tenant, 20, 10);
    await waitUntilDrained(key, tenant, 20);

    await redis.del(key);
    await sleep(200);
    await stage(journal, tenant, 20, 10, 20);
    await waitUntilDrained(key, tenant, 40, 10_000);
  });
});
