import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import type { Alert } from '../../schemas/alert.js';
import type { Outcome } from '../../schemas/outcome.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { parseOutcome } from '../../schemas/parse-outcome.js';
import { AlertQueue } from '../../queues/alert-queue.js';
import { OutcomeQueue } from '../../queues/outcome-queue.js';
import { countDecisions } from '../../shared/clickhouse/queries/count-decisions.js';
import { streamDecisions, type DecisionOutcomeRow } from '../../shared/clickhouse/queries/stream-decisions.js';
import { HushError } from '../../shared/errors/index.js';
import { ProgressBar } from './progress-bar.js';
import { replayEvents, type RejectedLine } from './event-stream.js';

/** Options of {@link replay}. */
export interface ReplayOptions {
  alertsPath: string;
  outcomesPath?: string;
  tenant: string;
  redis: Redis;
  clickhouse: ClickHouseClient;
  /** BullMQ prefix of the fleet. @defaultValue `hush` */
  prefix?: string;
  /** Enqueue one job per alert instead of chunks. @defaultValue `false` */
  single?: boolean;
  /** Alerts per enqueue call. @defaultValue `500` */
  chunkSize?: number;
  /** Waiting alert jobs above which the replay pauses (the fleet sets the pace). @defaultValue `100` chunks or `20000` single jobs */
  maxWaitingJobs?: number;
  /** Give up waiting for decisions after this long without progress. @defaultValue `120000` */
  stallTimeoutMs?: number;
  /** Draw progress bars on stderr. @defaultValue `true` */
  progress?: boolean;
}

/** What a replay did. */
export interface ReplayResult {
  events: number;
  firing: number;
  outcomes: number;
  rejected: RejectedLine[];
  /** Decisions of the replayed firing alerts, by alert id. */
  decisions: Map<string, DecisionOutcomeRow>;
  /** Firing alerts that never got a decision (must be 0). */
  lost: number;
  seconds: number;
}

/**
 * Pushes a recorded stream through the real fleet in event-time order, as fast as the fleet takes it,
 * and waits until every firing alert has a decision (DESIGN §5).
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { tenant, redis, clickhouse, single = false, chunkSize = 500, stallTimeoutMs = 120_000, progress = true } = options;
  const prefix = options.prefix ?? 'hush';
  const maxWaitingJobs = options.maxWaitingJobs ?? (single ? 20_000 : 100);
  const alertQueue = new AlertQueue({ connection: redis, prefix, chunkSize: Math.min(chunkSize, 10_000) });
  const outcomeQueue = new OutcomeQueue({ connection: redis, prefix });
  const startedAt = Date.now();
  const rejected: RejectedLine[] = [];
  const firingIds = new Set<string>();
  let events = 0;
  let outcomes = 0;
  const baseline = await countDecisions(clickhouse, tenant);

  try {
    let alertBatch: Alert[] = [];
    let outcomeBatch: Outcome[] = [];
    const flush = async (): Promise<void> => {
      await (single ? alertQueue.addEach(alertBatch) : alertQueue.addChunked(alertBatch));
      await outcomeQueue.add(outcomeBatch);
      alertBatch = [];
      outcomeBatch = [];
      while ((await alertQueue.bullQueue.getWaitingCount()) > maxWaitingJobs) await sleep(20);
    };
    const pushBar = progress ? new ProgressBar({ label: 'replay: enqueued', total: 0 }) : undefined;
    for await (const event of replayEvents(
      { alerts: options.alertsPath, ...(options.outcomesPath ? { outcomes: options.outcomesPath } : {}) },
      { alert: (v) => parseAlert(asTenant(v, tenant), { tenant }), outcome: (v) => parseOutcome(asTenant(v, tenant), { tenant }) },
      (line) => rejected.push(line),
    )) {
      events += 1;
      // Flushed together, alerts before outcomes: an outcome never precedes its alert in event time,
      // so chunk-level ordering keeps causality while keeping jobs large.
      if (event.kind === 'alert') {
        alertBatch.push(event.alert);
        if (event.alert.status === 'firing') firingIds.add(event.alert.id);
      } else {
        outcomes += 1;
        outcomeBatch.push(event.outcome);
      }
      if (alertBatch.length >= chunkSize || outcomeBatch.length >= chunkSize) await flush();
      if (events % 5000 === 0) pushBar?.update(events);
    }
    await flush();
    pushBar?.finish(events);
    if (firingIds.size === 0) {
      throw new HushError('HUSH_ERR_VALIDATION', `${options.alertsPath} holds no valid firing alert (${rejected.length} lines rejected${rejected[0] ? `, first: line ${rejected[0].line}: ${rejected[0].message}` : ''})`);
    }

    const decisions = await awaitDecisions({ clickhouse, tenant, firingIds, baseline, stallTimeoutMs, progress, queue: alertQueue });
    return { events, firing: firingIds.size, outcomes, rejected, decisions, lost: firingIds.size - decisions.size, seconds: (Date.now() - startedAt) / 1000 };
  } finally {
    await Promise.all([alertQueue.close(), outcomeQueue.close()]);
  }
}

/** A recorded stream is replayed as the chosen tenant, whatever tenant it was recorded for. */
function asTenant(value: unknown, tenant: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, tenant } : value;
}

async function awaitDecisions(args: {
  clickhouse: ClickHouseClient;
  tenant: string;
  firingIds: ReadonlySet<string>;
  baseline: number;
  stallTimeoutMs: number;
  progress: boolean;
  queue: AlertQueue;
}): Promise<Map<string, DecisionOutcomeRow>> {
  const { clickhouse, tenant, firingIds, baseline, stallTimeoutMs } = args;
  const bar = args.progress ? new ProgressBar({ label: 'replay: decided', total: firingIds.size }) : undefined;
  let last = -1;
  let lastProgressAt = Date.now();
  for (;;) {
    const decided = Math.min(firingIds.size, (await countDecisions(clickhouse, tenant)) - baseline);
    bar?.update(Math.max(0, decided));
    const counts = await args.queue.bullQueue.getJobCounts('waiting', 'active', 'delayed');
    const drained = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    if (decided >= firingIds.size || (drained && Date.now() - lastProgressAt > 2_000)) {
      const decisions = await collect(clickhouse, tenant, firingIds);
      if (decisions.size === firingIds.size || Date.now() - lastProgressAt > stallTimeoutMs) {
        bar?.finish(decisions.size);
        return decisions;
      }
    }
    if (decided !== last) {
      last = decided;
      lastProgressAt = Date.now();
    } else if (Date.now() - lastProgressAt > stallTimeoutMs) {
      bar?.finish(Math.max(0, decided));
      return collect(clickhouse, tenant, firingIds);
    }
    await sleep(250);
  }
}

async function collect(clickhouse: ClickHouseClient, tenant: string, firingIds: ReadonlySet<string>): Promise<Map<string, DecisionOutcomeRow>> {
  const decisions = new Map<string, DecisionOutcomeRow>();
  await streamDecisions(clickhouse, tenant, (row) => {
    if (firingIds.has(row.alert_id)) decisions.set(row.alert_id, row);
  });
  return decisions;
}
