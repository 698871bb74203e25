import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Queue } from 'bullmq';
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
import { FeatureStore } from '../../workers/scoring/feature-store.js';
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
  /** Key prefix of the fleet's feature store (read to pace outcome delivery). @defaultValue `hush` */
  featureKeyPrefix?: string;
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
  /** Times the replay waited for the fleet so that outcomes reach the feature store in event time. */
  outcomeBarriers: number;
}

/**
 * Outcomes are read this far (event time) ahead of the alerts: most are then delivered at a barrier
 * before the stream reaches their `at`, so few alerts have to wait for one.
 */
const OUTCOME_LEAD_MS = 3_600_000;
/** Poll interval while a barrier waits for the fleet. */
const BARRIER_POLL_MS = 5;

/**
 * Pushes a recorded stream through the real fleet in event-time order, as fast as the fleet takes it,
 * and waits until every firing alert has a decision (DESIGN §5). Each outcome is recorded before any
 * alert of its rule that starts after its `at` is scored, so the features do not depend on the fleet's speed.
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { tenant, redis, clickhouse, single = false, chunkSize = 500, stallTimeoutMs = 120_000, progress = true } = options;
  const prefix = options.prefix ?? 'hush';
  const maxWaitingJobs = options.maxWaitingJobs ?? (single ? 20_000 : 100);
  const alertQueue = new AlertQueue({ connection: redis, prefix, chunkSize: Math.min(chunkSize, 10_000) });
  const outcomeQueue = new OutcomeQueue({ connection: redis, prefix });
  // Its own connection: the store defines its scripts on it, which the queues' pipelines would copy.
  const storeRedis = redis.duplicate();
  const store = new FeatureStore({ redis: storeRedis, keyPrefix: options.featureKeyPrefix ?? 'hush' });
  const startedAt = Date.now();
  const rejected: RejectedLine[] = [];
  const firingIds = new Set<string>();
  let events = 0;
  let outcomes = 0;
  let outcomeBarriers = 0;

  try {
    const baseline = await countDecisions(clickhouse, tenant);
    // The rule feedback features count the outcomes of the alert's rule with `at` before its startsAt
    // (feature-store.ts), so such an outcome must be recorded before the alert is scored, and an outcome
    // can only be recorded once its own alert was scored. Outcomes are therefore held, and delivered at
    // a barrier: before a firing alert whose rule has a held outcome with an earlier `at`, the replay
    // waits until the alerts of all held outcomes are scored, then delivers those outcomes and waits until
    // they are recorded. Reading outcomes an hour ahead lets one barrier serve many later alerts.
    let alertBatch: Alert[] = [];
    let ready: Outcome[] = [];
    const readyAt = new Map<string, number>();
    const ruleOf = new Map<string, string>();
    const orphans = new Map<string, Outcome[]>();
    const hold = (outcome: Outcome, rule: string): void => {
      ready.push(outcome);
      readyAt.set(rule, Math.min(readyAt.get(rule) ?? Infinity, outcome.at));
    };
    const flushAlerts = async (): Promise<void> => {
      await (single ? alertQueue.addEach(alertBatch) : alertQueue.addChunked(alertBatch));
      alertBatch = [];
      while ((await alertQueue.bullQueue.getWaitingCount()) > maxWaitingJobs) await sleep(20);
    };
    // The barrier watches the feature store itself: the fleet's jobs finish later (ClickHouse inserts).
    const deliver = async (batch: readonly Outcome[]): Promise<void> => {
      await flushAlerts();
      await settle(alertQueue.bullQueue, async () => (await store.alertStates(tenant, batch.map((o) => o.alertId))).every((s) => s.observed), stallTimeoutMs);
      // A corrected label comes in a later wave than the label it corrects: jobs run concurrently.
      const waves: Outcome[][] = [];
      const seen = new Map<string, number>();
      for (const outcome of batch) {
        const wave = seen.get(outcome.alertId) ?? 0;
        seen.set(outcome.alertId, wave + 1);
        (waves[wave] ??= []).push(outcome);
      }
      for (const wave of waves) {
        for (let i = 0; i < wave.length; i += chunkSize) await outcomeQueue.add(wave.slice(i, i + chunkSize));
        await settle(outcomeQueue.bullQueue, async () => (await store.alertStates(tenant, wave.map((o) => o.alertId))).every((s, i) => s.outcome === wave[i]?.outcome), stallTimeoutMs);
      }
    };
    const pushBar = progress ? new ProgressBar({ label: 'replay: enqueued', total: 0 }) : undefined;
    for await (const event of replayEvents(
      { alerts: options.alertsPath, ...(options.outcomesPath ? { outcomes: options.outcomesPath } : {}) },
      { alert: (v) => parseAlert(asTenant(v, tenant), { tenant }), outcome: (v) => parseOutcome(asTenant(v, tenant), { tenant }) },
      (line) => rejected.push(line),
      OUTCOME_LEAD_MS,
    )) {
      events += 1;
      if (event.kind === 'alert') {
        const { alert } = event;
        if (alert.status === 'firing') {
          const rule = `${alert.name}\n${alert.service}`;
          if ((readyAt.get(rule) ?? Infinity) < alert.startsAt) {
            const batch = ready;
            ready = [];
            readyAt.clear();
            await deliver(batch);
            outcomeBarriers += 1;
          }
          firingIds.add(alert.id);
          ruleOf.set(alert.id, rule);
          for (const outcome of orphans.get(alert.id) ?? []) hold(outcome, rule);
          orphans.delete(alert.id);
        }
        alertBatch.push(alert);
        if (alertBatch.length >= chunkSize) await flushAlerts();
      } else {
        outcomes += 1;
        const rule = ruleOf.get(event.outcome.alertId);
        if (rule === undefined) orphans.set(event.outcome.alertId, [...(orphans.get(event.outcome.alertId) ?? []), event.outcome]);
        else hold(event.outcome, rule);
      }
      if (events % 5000 === 0) pushBar?.update(events);
    }
    await deliver(ready);
    // Outcomes of alerts the stream does not hold: their labels are stored, their feedback never counts
    // (the outcomes role retries them for a while, which nothing here needs to wait for).
    const unmatched = [...orphans.values()].flat();
    for (let i = 0; i < unmatched.length; i += chunkSize) await outcomeQueue.add(unmatched.slice(i, i + chunkSize));
    pushBar?.finish(events);
    if (firingIds.size === 0) {
      throw new HushError('HUSH_ERR_VALIDATION', `${options.alertsPath} holds no valid firing alert (${rejected.length} lines rejected${rejected[0] ? `, first: line ${rejected[0].line}: ${rejected[0].message}` : ''})`);
    }

    const decisions = await awaitDecisions({ clickhouse, tenant, firingIds, baseline, stallTimeoutMs, progress, queue: alertQueue });
    return { events, firing: firingIds.size, outcomes, rejected, decisions, lost: firingIds.size - decisions.size, seconds: (Date.now() - startedAt) / 1000, outcomeBarriers };
  } finally {
    await Promise.all([alertQueue.close(), outcomeQueue.close()]);
    storeRedis.disconnect();
  }
}

/**
 * Resolves once `done()` holds, or once the queue that should make it hold has no job left waiting,
 * running or due for a retry (a job that failed for good never will), or after `timeoutMs` (no fleet:
 * the replay goes on and counts what got no decision as lost).
 */
async function settle(queue: Queue, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await sleep(BARRIER_POLL_MS);
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
