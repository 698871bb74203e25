import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { createRedis } from '../../shared/redis/connection.js';
import { waitFor } from '../helpers/fleet.js';
import { startLoadFleet, type LoadFleet } from './load-fleet.js';

describe('load fleet (child processes, real Redis + ClickHouse)', () => {
  let fleet: LoadFleet;

  beforeAll(async () => {
    fleet = await startLoadFleet();
  });

  afterAll(async () => {
    await fleet?.dispose();
  });

  it('removes every undispatched notification between phases, more than one Redis call holds', { timeout: 60_000 }, async () => {
    const redis = createRedis(fleet.redisUrl);
    const notifications = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix: fleet.prefix });
    try {
      const jobs = Array.from({ length: 12_000 }, (_, i) => ({ name: 'notify', data: { i } }));
      for (let i = 0; i < jobs.length; i += 2_000) await notifications.addBulk(jobs.slice(i, i + 2_000));

      expect(await fleet.settle()).toBe(12_000);
      expect((await notifications.getJobCounts('waiting')).waiting).toBe(0);
    } finally {
      await notifications.close();
      redis.disconnect();
    }
  });

  it('leaves no key under its prefix, also when disposed twice at once (a signal and the run both ask)', { timeout: 120_000 }, async () => {
    const redis = createRedis(fleet.redisUrl);
    try {
      expect(await redis.keys(`${fleet.prefix}:*`)).not.toEqual([]);
      await Promise.all([fleet.dispose(), fleet.dispose()]);
      expect(await redis.keys(`${fleet.prefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('npm run load interrupted (child process, real Redis + ClickHouse)', () => {
  it('stops on SIGINT with exit code 130 and removes its queues', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('run-load.ts', import.meta.url)), '--rate', '100', '--duration', '60', '--via', 'sdk'], {
      env: { ...process.env, K6_BIN: '/nonexistent/k6' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(async () => stderr.includes('node driver via sdk'), { timeoutMs: 90_000, what: () => stderr });
    const prefix = /queues under (\S+)/.exec(stderr)?.[1];
    expect(prefix).toMatch(/^hush-load-/);
    const redis = createRedis(process.env.HUSH_REDIS_URL as string);
    try {
      await waitFor(async () => (await redis.keys(`${prefix}:*`)).length > 0, { timeoutMs: 10_000, what: () => `no queue under ${prefix} yet` });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('SIGINT: stopping;');
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
