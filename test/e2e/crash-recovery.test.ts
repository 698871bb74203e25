import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import type { Alert } from '../../schemas/alert.js';
import { AlertQueue } from '../../queues/alert-queue.js';
import { createRedis } from '../../shared/redis/connection.js';
import { JOURNAL_GROUP } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { createE2eWorld, killAllHushProcesses, startWorker, waitFor, type E2eWorld, type HushEnv, type HushProcess } from '../helpers/fleet.js';
import { decisionCounts, expectExactlyOneDecisionEach, firingIds, pendingJobs, sleep, synthAlerts } from './replay-kit.js';

/** Alert lines (firing and resolved) replayed before the crash; the rest go to the SIGTERM test. */
const PART_A = 2600;

/** Replays `alerts` in slices, alternating one-job-per-alert and chunked jobs, as a live producer would. */
async function replay(queue: AlertQueue, alerts: readonly Alert[], sliceSize: number, pauseMs: number): Promise<void> {
  for (let i = 0, n = 0; i < alerts.length; i += sliceSize, n += 1) {
    const slice = alerts.slice(i, i + sliceSize);
    if (n % 2 === 0) await queue.addEach(slice);
    else await queue.addChunked(slice);
    await sleep(pauseMs);
  }
}

describe('scoring worker crash recovery (child processes, real Redis + ClickHouse)', () => {
  let world: E2eWorld;
  let redis: Redis;
  let queue: AlertQueue;
  let alerts: Alert[];
  const workers: HushProcess[] = [];

  beforeAll(async () => {
    world = createE2eWorld('crash');
    redis = createRedis(world.env.redisUrl);
    queue = new AlertQueue({ connection: redis, prefix: world.env.queuePrefix, chunkSize: 25 });
    alerts = synthAlerts({ seed: 4242, tenant: world.tenant, alerts: 2000 });
    workers.push(await startWorker('scoring', workerEnv()));
  });

  afterAll(async () => {
    await killAllHushProcesses();
    await queue?.close();
    redis?.disconnect();
    await world?.dispose();
  });

  // Fewer jobs in flight than the stream has, so a SIGTERM finds jobs still waiting in the queue.
  const workerEnv = (): HushEnv => ({ ...world.env, extra: { HUSH_SCORING_CONCURRENCY: '64' } });
  const current = (): HushProcess => workers[workers.length - 1] as HushProcess;

  it('gives every firing alert exactly one decision when the worker is killed -9 mid-replay and restarted', { timeout: 170_000 }, async () => {
    const part = alerts.slice(0, PART_A);
    const expected = firingIds(part);
    expect(expected.size).toBeGreaterThan(1000);

    // Half the stream is queued up front so the worker has a backlog (jobs in flight) when it is killed.
    const half = Math.floor(part.length / 2);
    await replay(queue, part.slice(0, half), 250, 0);
    // The rest trickles in over about 3 s, so the kill lands while alerts are still arriving.
    const producing = replay(queue, part.slice(half), 50, 100);
    await waitFor(async () => (await decisionCounts(world.clickhouse)).final >= expected.size * 0.3, {
      timeoutMs: 60_000,
      what: () => `30% of decisions before the crash\n${current().tail()}`,
    });
    const killed = await current().kill9();
    expect(killed.signal).toBe('SIGKILL');
    // The killed worker held work: jobs stay "active" until BullMQ's stalled check reclaims them, and
    // journal entries it read stay unacknowledged until a drain takes them over.
    const [unacknowledged] = (await redis.xpending(journalKey(world.env.queuePrefix, 'scoring'), JOURNAL_GROUP)) as [number];
    expect((await queue.bullQueue.getActiveCount()) + Number(unacknowledged)).toBeGreaterThan(0);
    const atCrash = (await decisionCounts(world.clickhouse)).final;
    expect(atCrash).toBeLessThan(expected.size); // really mid-replay

    workers.push(await startWorker('scoring', workerEnv()));
    await producing;
    // Jobs the killed worker held come back once their BullMQ locks expire (30 s).
    await waitFor(async () => (await decisionCounts(world.clickhouse)).final >= expected.size, {
      timeoutMs: 100_000,
      intervalMs: 500,
      what: () => `all ${expected.size} decisions after the restart\n${current().tail()}`,
    });

    // Decisions of a job killed after its rows were written but before it completed already count, so
    // wait for the queue itself: every job, reclaimed ones included, must complete.
    await waitFor(async () => (await pendingJobs(queue.bullQueue)) === 0, {
      timeoutMs: 100_000,
      intervalMs: 500,
      what: () => `the queue to drain after the restart\n${current().tail()}`,
    });
    const check = await expectExactlyOneDecisionEach(world.clickhouse, expected);
    expect(check).toEqual({ conflicting: 0, duplicates: 0, missing: [], unexpected: [], final: expected.size, distinct: expected.size });
    expect(await queue.bullQueue.getFailedCount()).toBe(0);
  });

  it('finishes in-flight jobs on SIGTERM, exits 0 and leaves the rest queued for the next worker', { timeout: 90_000 }, async () => {
    const before = firingIds(alerts.slice(0, PART_A));
    const part = alerts.slice(PART_A);
    const expected = new Set([...before, ...firingIds(part)]);
    const notifications = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix: world.env.queuePrefix });
    const notifiedBefore = await notifications.count();
    await queue.addEach(part.slice(0, 1000));
    await queue.addChunked(part.slice(1000));
    // Stop as soon as the worker is deciding part B (a new notification), long before its rows reach ClickHouse.
    await waitFor(async () => (await notifications.count()) > notifiedBefore, { timeoutMs: 30_000, intervalMs: 5 });
    await notifications.close();

    const exit = await current().stop();
    expect(exit).toEqual({ code: 0, signal: null });
    // Nothing is half-done: no job active or failed; every firing alert is decided or still queued.
    const counts = await queue.bullQueue.getJobCounts('active', 'failed', 'waiting', 'wait', 'delayed', 'prioritized');
    expect({ active: counts.active, failed: counts.failed }, current().tail(6000)).toEqual({ active: 0, failed: 0 });
    const queued = await queue.bullQueue.getJobs(['wait', 'waiting', 'delayed', 'prioritized'], 0, -1);
    const queuedFiring = new Set(queued.flatMap((job) => job.data.alerts.filter((a) => a.status === 'firing').map((a) => a.id)));
    const decided = (await decisionCounts(world.clickhouse)).final;
    expect(decided).toBeLessThan(expected.size);
    expect(decided + [...queuedFiring].filter((id) => !before.has(id)).length).toBe(expected.size);

    workers.push(await startWorker('scoring', workerEnv()));
    await waitFor(async () => (await decisionCounts(world.clickhouse)).final >= expected.size, { timeoutMs: 60_000, intervalMs: 250 });
    const check = await expectExactlyOneDecisionEach(world.clickhouse, expected);
    expect(check).toEqual({ conflicting: 0, duplicates: 0, missing: [], unexpected: [], final: expected.size, distinct: expected.size });
    // The last firing alert's decision can land before its job (or a job of resolved alerts only) completes.
    await waitFor(async () => (await pendingJobs(queue.bullQueue)) === 0, { timeoutMs: 30_000, intervalMs: 250, what: 'the queue to drain after the restart' });
    expect(await current().stop()).toEqual({ code: 0, signal: null });
  });
});
