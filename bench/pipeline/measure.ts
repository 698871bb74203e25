import { readFileSync, readdirSync } from 'node:fs';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClickHouseClient } from '../../shared/clickhouse/client.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import { processCpuSeconds, sleep } from './child-worker.js';

/** Job states that still have work to do (a retry waits in `delayed`). */
const PENDING_STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** Jobs not yet completed or failed. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts(...PENDING_STATES);
  return PENDING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
}

/**
 * Polls until no job is pending and resolves with the `performance.now()` of the first empty poll
 * (25 ms resolution). Throws when the pending count does not move for `stallMs`.
 */
export async function waitDrained(queue: Queue, label: string, total: number, since: number, stallMs = 60_000): Promise<number> {
  let last = -1;
  let lastChange = performance.now();
  let lastReport = performance.now();
  for (;;) {
    const pending = await pendingJobs(queue);
    const now = performance.now();
    if (pending === 0) return now;
    if (pending !== last) {
      last = pending;
      lastChange = now;
    } else if (now - lastChange > stallMs) {
      throw new Error(`${label}: ${pending} jobs still pending and none finished for ${stallMs / 1000} s`);
    }
    if (now - lastReport >= 2_000) {
      lastReport = now;
      const done = total - pending;
      progress(`${label}: ${done}/${total} jobs done, ${Math.round(done / ((now - since) / 1000))}/s`);
    }
    await sleep(25);
  }
}

/** Decisions stored for a tenant (one per firing alert after ReplacingMergeTree's FINAL). */
export async function countDecisions(clickhouse: ClickHouseClient, tenant: string): Promise<number> {
  const result = await clickhouse.query({ query: `SELECT count() AS n FROM decisions FINAL WHERE tenant = ${sqlString(tenant)}`, format: 'JSONEachRow' });
  const rows = await result.json<{ n: number | string }>();
  return Number(rows[0]?.n ?? 0);
}

/** Polls the decisions table until it holds `expected` rows for the tenant or stops growing for `stallMs`. */
export async function waitDecisions(clickhouse: ClickHouseClient, tenant: string, expected: number, stallMs = 30_000): Promise<number> {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const n = await countDecisions(clickhouse, tenant);
    if (n >= expected) return n;
    if (n !== last) {
      last = n;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > stallMs) {
      return n;
    }
    await sleep(250);
  }
}

/** Latency quantiles of a tenant's decisions, in milliseconds. */
export interface LatencyStats {
  decisions: number;
  scoreP50Ms: number;
  scoreP99Ms: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
}

export async function latencyStats(clickhouse: ClickHouseClient, tenant: string): Promise<LatencyStats> {
  const result = await clickhouse.query({
    query: `SELECT count() AS n,
        quantileExact(0.5)(scoring_latency_us) AS s50, quantileExact(0.99)(scoring_latency_us) AS s99,
        quantileExact(0.5)(e2e_latency_us) AS e50, quantileExact(0.99)(e2e_latency_us) AS e99
      FROM decisions FINAL WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  const row = (await result.json<Record<string, number | string>>())[0] ?? {};
  const ms = (key: string): number => Number(row[key] ?? 0) / 1000;
  return { decisions: Number(row.n ?? 0), scoreP50Ms: ms('s50'), scoreP99Ms: ms('s99'), e2eP50Ms: ms('e50'), e2eP99Ms: ms('e99') };
}

/** CPU seconds of the Redis server (same machine), to show where a phase's time went. */
export class RedisCpu {
  private constructor(private readonly pid: number | null) {}

  static async of(redis: Redis): Promise<RedisCpu> {
    const info = await redis.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return new RedisCpu(match ? Number(match[1]) : null);
  }

  seconds(): number | null {
    return this.pid === null ? null : processCpuSeconds(this.pid);
  }
}

/**
 * CPU of the ClickHouse server on this machine: every process named `clickhouse-server` (/proc shows
 * it truncated; a watchdog parent and the server itself). Null when none runs here, so its share stays
 * in `rest`.
 */
export class ClickHouseCpu {
  private readonly pids = findProcesses('clickhouse-serv');

  seconds(): number | null {
    if (this.pids.length === 0) return null;
    return this.pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  }
}

function findProcesses(comm: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm;
    } catch {
      return false; // The process exited while we looked.
    }
  }).map(Number);
}

/** Deletes every key that names the tenant (feature-store state), with SCAN so Redis is never blocked. */
export function deleteTenantKeys(redis: Redis, tenant: string): Promise<number> {
  return unlinkMatching(redis, `*{${tenant}}*`);
}
