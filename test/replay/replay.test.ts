import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replay } from '../../cli/replay/replay.js';
import { replayCommand } from '../../cli/commands/replay.js';
import { demoCommand } from '../../cli/commands/demo.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { HushError } from '../../shared/errors/index.js';
import type { RunningRole } from '../../workers/role.js';
import { startScoring } from '../../workers/scoring/main.js';
import { startOutcomes } from '../../workers/outcomes/main.js';
import { uniqueName } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { dropFileTenants, uniqueTenant } from '../workers/worker-fixture.js';
import { tempDir, wireAlert, wireOutcome, wireResolved } from './ndjson-files.js';
import { writeWorld } from '../../synth/index.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { featureIndex } from '../../workers/scoring/feature-schema.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let roles: RunningRole[] = [];
const dir = tempDir();
const idlePrefix = uniqueName('replay-idle', '-');

/** 12 firing alerts (ids f0–f11, one per minute), resolves of f0 and f1, and an outcome for f0. */
const alertsFile = dir.write('alerts.ndjson', [
  ...Array.from({ length: 6 }, (_, i) => wireAlert(`f${i}`, i, { severity: i % 2 === 0 ? 'critical' : 'info' })),
  wireResolved('f0', 0, 6),
  '{not json',
  wireAlert('bad', 6, { status: 'open' }),
  ...Array.from({ length: 6 }, (_, i) => wireAlert(`f${i + 6}`, i + 7)),
  wireResolved('f1', 1, 20),
]);
const outcomesFile = dir.write('outcomes.ndjson', [wireOutcome('f0', 8, 'actionable'), wireOutcome('f3', 9)]);
const truthFile = dir.write('truth.ndjson', [
  { alertId: 'f0', actionable: true },
  { alertId: 'f1', actionable: false },
]);

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('replay', '-'), clickhouseDatabase: uniqueName('hush_replay'), metricsPort: 0, logLevel: 'silent' });
  const registry = new Registry();
  const logger = pino({ level: 'silent' });
  roles = [await startScoring({ config, logger, registry }), await startOutcomes({ config, logger, registry })];
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
});

afterAll(async () => {
  for (const role of roles.reverse()) await role.stop();
  await clickhouse.close();
  await obliterateAll(redis, config.queuePrefix);
  await obliterateAll(redis, idlePrefix);
  await dropFileTenants(redis);
  await redis.quit();
  await dropDatabase(clickHouseOptionsFromConfig(config));
  dir.remove();
});

describe('replay', () => {
  it('pushes a recorded stream as the chosen tenant and waits for a decision on every firing alert', async () => {
    const tenant = uniqueTenant();
    const result = await replay({ alertsPath: alertsFile, outcomesPath: outcomesFile, tenant, redis, clickhouse, prefix: config.queuePrefix, chunkSize: 5, progress: false });
    expect(result.firing).toBe(12);
    expect(result.events).toBe(12 + 2 + 2);
    expect(result.outcomes).toBe(2);
    expect(result.lost).toBe(0);
    expect([...result.decisions.keys()].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `f${i}`).sort());
    // Cold start: no model for this tenant, so everything is notified with no score.
    expect([...result.decisions.values()].every((d) => d.decision === 'notify' && d.score === null)).toBe(true);
    expect(result.rejected).toEqual([
      { file: alertsFile, line: 8, message: expect.stringMatching(/^not JSON/) },
      { file: alertsFile, line: 9, message: expect.stringMatching(/^status: /) },
    ]);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('gives the same feature vectors to two replays of one world with outcomes (feedback counted in event time)', async () => {
    const world = join(dir.dir, 'world');
    await writeWorld({ seed: 7, days: 2, alerts: 1500, out: world });
    const vectors = async (): Promise<{ vectors: Map<string, string>; barriers: number }> => {
      const tenant = uniqueTenant();
      const result = await replay({ alertsPath: join(world, 'alerts.ndjson'), outcomesPath: join(world, 'outcomes.ndjson'), tenant, redis, clickhouse, prefix: config.queuePrefix, progress: false });
      expect(result.lost).toBe(0);
      for (;;) {
        const query = `SELECT alert_id, any(values) AS v FROM features WHERE tenant = ${sqlString(tenant)} GROUP BY alert_id`;
        const stored = await (await clickhouse.query({ query, format: 'JSONEachRow' })).json<{ alert_id: string; v: number[] }>();
        if (stored.length >= result.firing) return { vectors: new Map(stored.map((r) => [r.alert_id, JSON.stringify(r.v)])), barriers: result.outcomeBarriers };
        await sleep(100);
      }
    };
    const first = await vectors();
    const second = await vectors();
    expect(first.barriers).toBeGreaterThan(0);
    expect(second.vectors).toEqual(first.vectors);
    const withFeedback = [...first.vectors.values()].filter((v) => (JSON.parse(v) as number[])[featureIndex('rule_log_outcomes')]! > 0);
    expect(withFeedback.length).toBeGreaterThan(first.vectors.size / 2);
  }, 120_000);

  it('enqueues one job per alert with single', async () => {
    const tenant = uniqueTenant();
    const result = await replay({ alertsPath: alertsFile, tenant, redis, clickhouse, prefix: config.queuePrefix, single: true, progress: false });
    expect(result.lost).toBe(0);
    expect(result.decisions.size).toBe(12);
    expect(result.outcomes).toBe(0);
  });

  it('counts firing alerts without a decision as lost once the fleet makes no progress', async () => {
    const tenant = uniqueTenant();
    const file = dir.write('few.ndjson', [wireAlert('x1', 0), wireAlert('x2', 1)]);
    const result = await replay({ alertsPath: file, tenant, redis, clickhouse, prefix: idlePrefix, stallTimeoutMs: 300, progress: false });
    expect(result.firing).toBe(2);
    expect(result.decisions.size).toBe(0);
    expect(result.lost).toBe(2);
  });

  it('refuses a stream with no valid firing alert, citing the first rejected line', async () => {
    const file = dir.write('none.ndjson', [wireAlert('r', 0, { severity: 'loud' }), wireResolved('q', 0, 1)]);
    const attempt = replay({ alertsPath: file, tenant: uniqueTenant(), redis, clickhouse, prefix: config.queuePrefix, progress: false });
    await expect(attempt).rejects.toBeInstanceOf(HushError);
    await expect(attempt).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining('holds no valid firing alert (1 lines rejected, first: line 1: severity:') });
  });

  it('refuses an unsorted stream naming the out-of-order line', async () => {
    const file = dir.write('unsorted.ndjson', [wireAlert('u1', 5), wireAlert('u2', 1)]);
    await expect(replay({ alertsPath: file, tenant: uniqueTenant(), redis, clickhouse, prefix: config.queuePrefix, progress: false })).rejects.toThrow(`${file}:2 is earlier than the line before it`);
  });
});

describe('hush replay', () => {
  /** Runs the command with this file's queue prefix and database, capturing what it prints. */
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const saved = { prefix: process.env.HUSH_QUEUE_PREFIX, db: process.env.HUSH_CLICKHOUSE_DATABASE, redis: process.env.HUSH_REDIS_URL, ch: process.env.HUSH_CLICKHOUSE_URL };
    process.env.HUSH_QUEUE_PREFIX = config.queuePrefix;
    process.env.HUSH_CLICKHOUSE_DATABASE = config.clickhouseDatabase;
    process.env.HUSH_REDIS_URL = config.redisUrl;
    process.env.HUSH_CLICKHOUSE_URL = config.clickhouseUrl;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await replayCommand.run(argv);
      return { code, out: log.mock.calls.map((c) => c.join(' ')).join('\n'), err: error.mock.calls.map((c) => c.join(' ')).join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
      stderr.mockRestore();
      for (const [key, value] of [
        ['HUSH_QUEUE_PREFIX', saved.prefix],
        ['HUSH_CLICKHOUSE_DATABASE', saved.db],
        ['HUSH_REDIS_URL', saved.redis],
        ['HUSH_CLICKHOUSE_URL', saved.ch],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  it('prints the report as JSON with FNR and precision from the truth file, and exits 0', async () => {
    const { code, out, err } = await run([alertsFile, '--outcomes', outcomesFile, '--truth', truthFile, '--tenant', uniqueTenant(), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({ alerts: 16, firing: 12, decisions: 12, notified: 12, suppressed: 0, lost: 0, rejected_lines: 2, noise_reduction: 0, fnr: 0, notify_precision: 1 / 12 });
    expect(err).toContain(`rejected ${alertsFile}:8: not JSON`);
    expect(err).toContain(`rejected ${alertsFile}:9: status:`);
  });

  it('prints the text report and lists at most five rejected lines', async () => {
    const file = dir.write('many-bad.ndjson', [...Array.from({ length: 7 }, () => '{oops'), wireAlert('ok1', 0)]);
    const { code, out, err } = await run([file, '--tenant', uniqueTenant(), '--single']);
    expect(code).toBe(0);
    expect(out).toContain('alerts replayed     1 (1 firing; 7 lines rejected)');
    expect(err.split('\n').filter((l) => l.startsWith('rejected '))).toHaveLength(5);
    expect(err).toContain('… and 2 more rejected lines');
  });

  it.each<[string[], string]>([
    [[], 'expected exactly one alerts file'],
    [['a.ndjson', 'b.ndjson'], 'expected exactly one alerts file'],
    [['a.ndjson', '--bogus'], "Unknown option '--bogus'"],
    [['a.ndjson', '--tenant', 'Not Valid'], '--tenant must match'],
  ])('refuses the arguments %j with HUSH_ERR_VALIDATION', async (argv, message) => {
    const attempt = replayCommand.run(argv);
    await expect(attempt).rejects.toBeInstanceOf(HushError);
    await expect(attempt).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(message) });
  });
});

describe('hush demo', () => {
  it.each<[string[], string]>([
    [['--days', '1'], '--days must be an integer in [2, 90], got "1"'],
    [['--days', '91'], '--days must be an integer in [2, 90]'],
    [['--days', 'week'], '--days must be an integer in [2, 90], got "week"'],
    [['--seed=-1'], `--seed must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got "-1"`],
    [['--seed', '-1'], "Option '--seed' argument is ambiguous"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'Unexpected argument'],
    [['--seed', '1.5'], `--seed must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got "1.5"`],
  ])('refuses %j with HUSH_ERR_VALIDATION before starting anything', async (argv, message) => {
    const attempt = demoCommand.run(argv);
    await expect(attempt).rejects.toBeInstanceOf(HushError);
    await expect(attempt).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(message) });
  });
});
