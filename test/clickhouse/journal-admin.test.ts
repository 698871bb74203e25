import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatJournalStatus, formatRefused, journalCommand } from '../../cli/commands/journal.js';
import { BatchWriter, type EncodedRow } from '../../shared/clickhouse/batch-writer.js';
import { dropRefused, journalStatus, listRefused, retryRefused } from '../../shared/clickhouse/journal-admin.js';
import { JOURNAL_GROUP, JournalDrain, refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { countDecisions } from '../../shared/clickhouse/queries/count-decisions.js';
import { RowJournal, journalKey } from '../../shared/clickhouse/row-journal.js';
import { TABLES, type DecisionRow } from '../../shared/clickhouse/rows.js';
import { REPO_ROOT, hushEnvironment, waitFor } from '../helpers/fleet.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';
import { serviceUrls } from '../helpers/services.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import type { TestDatabase } from './clickhouse-test-db.js';
import { journalServices, stopDrains } from './journal-fixture.js';
import { decision } from './decision-fixtures.js';

const silent = pino({ level: 'silent' });

describe('the row journal seen and mended from outside (real Redis and ClickHouse)', () => {
  let redis: Redis;
  let db: TestDatabase;
  let prefix = '';
  let key = '';
  const drains: JournalDrain[] = [];
  const writers: BatchWriter<EncodedRow>[] = [];

  beforeAll(async () => {
    ({ redis, db } = await journalServices());
  });

  afterEach(async () => {
    await stopDrains(drains, writers);
    await deleteKeysUnder(serviceUrls().redisUrl, prefix);
  });

  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });

  /** A fresh queue prefix: the scoring journal under it, as `hush journal` finds it. */
  function freshJournal(): string {
    prefix = uniquePrefix();
    key = journalKey(prefix, 'scoring');
    return key;
  }

  async function stageDecisions(tenant: string, count: number): Promise<void> {
    const sink = new RowJournal(redis, { key }).sink<DecisionRow>(TABLES.decisions);
    await Promise.all(Array.from({ length: count }, (_, i) => sink.write(decision(tenant, `a${i}`))));
  }

  /** A drain whose writers insert into the given tables only; rows of any other table are refused. */
  function drainInto(tables: readonly string[], consumer: string): JournalDrain {
    const map = new Map(
      tables.map((table) => {
        const writer = new BatchWriter<EncodedRow>(db.client, { table, encoded: true, flushDelayMs: 20 });
        writers.push(writer);
        return [table, writer] as const;
      }),
    );
    const drain = new JournalDrain({ redis, key, consumer, writers: map, claimIdleMs: 60_000, blockMs: 50, logger: silent });
    drains.push(drain);
    drain.start();
    return drain;
  }

  it('reports an empty journal, then the staged entries and what a drain read without acknowledging', async () => {
    freshJournal();
    expect(await journalStatus(redis, key)).toEqual({ key, entries: 0, bytes: 0, oldestAgeMs: null, consumers: [], refused: 0 });

    await stageDecisions(`t-${randomUUID()}`, 5);
    await redis.xgroup('CREATE', key, JOURNAL_GROUP, '0');
    await redis.xreadgroup('GROUP', JOURNAL_GROUP, 'replica-x', 'STREAMS', key, '>');
    const status = await journalStatus(redis, key);
    expect(status).toMatchObject({ key, entries: 1, refused: 0, consumers: [{ name: 'replica-x', pending: 1 }] });
    expect(status.bytes).toBeGreaterThan(0);
    expect(status.oldestAgeMs).toBeGreaterThanOrEqual(0);
    expect(status.oldestAgeMs).toBeLessThan(60_000);
    expect(formatJournalStatus(status).join('\n')).toMatch(/entries +1 \(oldest .* ago\)[^]*replica-x: 1 entry read and not yet acknowledged[^]*refused +none/);
  });

  it('lists refused rows with their reason, puts them back for a drain that takes their table, and inserts them', { timeout: 20_000 }, async () => {
    freshJournal();
    const tenant = `t-${randomUUID()}`;
    // This drain writes no decisions: every decision row is refused.
    drainInto([TABLES.features], 'replica-a');
    await stageDecisions(tenant, 4);
    await waitFor(async () => (await redis.xlen(refusedKey(key))) === 4 && (await redis.xlen(key)) === 0, { timeoutMs: 5000, what: 'four refused rows and an empty journal' });

    const refused = await listRefused(redis, key, 10);
    expect(refused).toHaveLength(4);
    for (const row of refused) {
      expect(row).toMatchObject({ table: TABLES.decisions, reason: expect.stringContaining('no ClickHouse table decisions') as string });
      expect(JSON.parse(row.row)).toMatchObject({ tenant });
    }
    expect(formatRefused(key, refused).join('\n')).toContain('table decisions');
    expect((await journalStatus(redis, key)).refused).toBe(4);

    // The oldest three go back first; a drain that writes decisions inserts them.
    await Promise.all(drains.splice(0).map((d) => d.stop()));
    drainInto([TABLES.decisions], 'replica-b');
    expect(await retryRefused(redis, key, 3)).toBe(3);
    expect((await listRefused(redis, key, 10)).map((r) => r.id)).toEqual([refused[3]?.id]);
    await waitFor(async () => (await countDecisions(db.client, tenant)) === 3 && (await redis.xlen(key)) === 0, { timeoutMs: 8000, what: 'the three retried rows inserted' });

    expect(await dropRefused(redis, key, 10)).toBe(1);
    expect(await listRefused(redis, key, 10)).toEqual([]);
    expect(await countDecisions(db.client, tenant)).toBe(3);
  });

  /** Runs `node bin/hush.js journal …args` on this test's queue prefix. */
  function hushJournal(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { redisUrl, clickhouseUrl } = serviceUrls();
    const env = hushEnvironment({ redisUrl, clickhouseUrl, clickhouseDatabase: db.options.database ?? 'hush', queuePrefix: prefix });
    const child = spawn(process.execPath, ['bin/hush.js', 'journal', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  /** What `hush journal …args` prints, run in this process on this test's queue prefix. */
  async function journalCli(args: string[]): Promise<string> {
    const saved = process.env.HUSH_QUEUE_PREFIX;
    process.env.HUSH_QUEUE_PREFIX = prefix;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await journalCommand.run(args)).toBe(0);
      return log.mock.calls.map((call) => String(call[0])).join('\n');
    } finally {
      log.mockRestore();
      if (saved === undefined) delete process.env.HUSH_QUEUE_PREFIX;
      else process.env.HUSH_QUEUE_PREFIX = saved;
    }
  }

  it('answers `hush journal` on the command line: status, refused rows, retry and drop', { timeout: 30_000 }, async () => {
    freshJournal();
    const refuse = (n: number): Promise<string> => redis.xadd(refusedKey(key), '*', 'table', 'decisions', 'row', `{"n":${n}}`, 'reason', 'test', 'entry', '1-0') as Promise<string>;
    await refuse(1);

    const status = await hushJournal(['--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ key, entries: 0, refused: 1 });
    expect(await journalCli([])).toMatch(/row journal .*\n  entries +none[^]*refused +1 row/);

    expect(JSON.parse(await journalCli(['refused', '--json']))).toMatchObject([{ table: 'decisions', row: '{"n":1}', reason: 'test', entry: '1-0' }]);
    expect(await journalCli(['refused'])).toContain('  reason: test');
    expect(await journalCli(['retry-refused'])).toBe(`1 refused row put back into ${key}`);
    expect((await redis.xrange(key, '-', '+')).map(([, fields]) => fields)).toEqual([['decisions', '{"n":1}']]);

    await refuse(2);
    await refuse(3);
    expect(JSON.parse(await journalCli(['drop-refused', '--yes', '--limit', '1', '--json']))).toEqual({ dropped: 1 });
    expect((await listRefused(redis, key, 10)).map((r) => r.row)).toEqual(['{"n":3}']);
  });

  it.each([
    [['drop-refused'], 'drop-refused deletes rows for good: add --yes'],
    [['vacuum'], 'unknown action "vacuum"'],
    [['refused', 'retry-refused'], 'one action at most'],
    [['refused', '--limit', '0'], '--limit must be an integer in [1, 100000], got "0"'],
  ])('refuses `hush journal %s` with HUSH_ERR_VALIDATION', async (args, message) => {
    await expect(journalCommand.run(args)).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(message) as string });
  });
});
