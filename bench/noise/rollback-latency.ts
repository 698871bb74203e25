import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertsJob } from '../../queues/jobs.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { clickHouseOptionsFromConfig, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { DEFAULT_MODEL_KIND } from '../../shared/models/champion-store.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { changeServing } from '../../shared/models/serving-change.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import { sortedQuantile } from '../../shared/stats/quantile.js';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { scoringReplicaName } from '../../workers/scoring/replica-name.js';
import { ChildWorker, sleep } from '../pipeline/child-worker.js';
import { deleteTenantKeys, pendingJobs } from '../pipeline/measure.js';
import { AlertPump } from './alert-pump.js';
import { randomTreeModel } from './random-tree-model.js';
import { startRedisPingProbe } from '../redis-ping-probe.js';
import { replicaFlips, type ReplicaDecision, type ReplicaFlip } from './replica-flip.js';

/** Options of {@link measureRollbackLatency}. */
export interface RollbackLatencyOptions {
  /** The Redis the replicas and the registry use. */
  redisUrl: string;
  /** The ClickHouse HTTP URL; the run creates its own database there and drops it at the end. */
  clickhouseUrl: string;
  /**
   * Scoring replicas, each `hush worker scoring` in its own process.
   * @defaultValue 3
   */
  replicas?: number;
  /**
   * Alerts pushed per second, one per job, from warm-up until every replica has flipped.
   * @defaultValue 200
   */
  alertsPerSecond?: number;
  /**
   * Length of the steady window before the rollback whose decisions give `score_p99_ms`.
   * @defaultValue 3
   */
  steadySeconds?: number;
  /**
   * Time left to the fleet after the rollback call before its decisions are first read (reading them
   * loads Redis, so it waits until the flip is expected to be over).
   * @defaultValue 3
   */
  settleSeconds?: number;
  /**
   * Limit on each wait: replicas starting and warming up, the fleet flipping, the queue draining.
   * @defaultValue 120000
   */
  timeoutMs?: number;
  /**
   * Where progress lines go.
   * @defaultValue stderr
   */
  progress?: (line: string) => void;
}

/** What {@link measureRollbackLatency} measured. */
export interface RollbackLatencyResult {
  /** Rollback call → the last replica deciding with the previous champion for good (see `replicaFlips`). */
  rollback_seconds: number;
  replicas: number;
  /** The same per replica. */
  replica_rollback_seconds: number[];
  /** p99 of dequeue → decision over the steady window, every alert scored by the champion and a shadow challenger. */
  score_p99_ms: number;
  /** Decisions in the steady window. */
  score_decisions: number;
  /** p99 round trip of a PING every 10 ms from the benchmark's process over the same window: the box's floor under `score_p99_ms`. */
  redis_ping_p99_ms: number;
  redis_pings: number;
}

const DEFAULTS = { replicas: 3, alertsPerSecond: 200, steadySeconds: 3, settleSeconds: 3, timeoutMs: 120_000 };
const POLL_MS = 500;
/** A busy shared ClickHouse can take well over the client's default 30 s for a DROP. */
const DROP_TIMEOUT_MS = 180_000;

/**
 * Measures `rollback_seconds` on a real fleet (issue 3): N scoring replicas run as child processes against
 * their own database and queue, with model C registered as the challenger scored in shadow. While alerts
 * flow steadily, model A and then B are promoted for a tenant, then the registry rolls B back; the figure is
 * the time from that call until every replica's decisions come from A, read from the decisions
 * themselves (which replica made each comes from its BullMQ job). The steady window before the rollback
 * gives `score_p99_ms` with the shadow challenger deployed.
 */
export async function measureRollbackLatency(options: RollbackLatencyOptions): Promise<RollbackLatencyResult> {
  const o = { ...DEFAULTS, progress: (line: string) => process.stderr.write(`  ${line}\n`), ...withoutUndefined(options) };
  for (const name of ['replicas', 'alertsPerSecond'] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 1) throw new RangeError(`measureRollbackLatency option ${name} must be a positive integer, got ${o[name]}`);
  }
  for (const name of ['steadySeconds', 'settleSeconds', 'timeoutMs'] as const) {
    if (!Number.isFinite(o[name]) || o[name] <= 0) throw new RangeError(`measureRollbackLatency option ${name} must be a positive number, got ${o[name]}`);
  }
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({ redisUrl: o.redisUrl, clickhouseUrl: o.clickhouseUrl, clickhouseDatabase: `hush_rollback_${id}`, queuePrefix: `hush-rollback-${id}` });
  const tenant = `rollback-${id}`;
  const redis = createRedis(config.redisUrl);
  const queue = new Queue<AlertsJob>(QUEUE_NAMES.alerts, { connection: redis, prefix: config.queuePrefix });
  const replicas: ChildWorker[] = [];
  let clickhouse: ClickHouseClient | undefined;
  try {
    clickhouse = await openDatabase(config);
    const registry = new ModelRegistry(clickhouse, redis);
    const [previous, current] = await registerModels(registry, tenant);
    // Promoted with the thresholds an evaluation would have certified, which the rollback serves again.
    await registry.promote(tenant, DEFAULT_MODEL_KIND, previous, 'rollback benchmark: the champion to roll back to', { thresholds: { tenant: { threshold: 0.5 }, services: {} } });
    o.progress(`rollback: ${previous} is the champion, a challenger in shadow; starting ${o.replicas} scoring replicas`);
    replicas.push(...(await Promise.all(Array.from({ length: o.replicas }, () => startReplica(config, queue, o.timeoutMs)))));
    // A replica runs several BullMQ workers (HUSH_SCORING_FETCHERS), all under its name.
    const registered = async (): Promise<number> => new Set((await queue.getWorkers()).map((client) => client['rawname'])).size;
    await until(async () => (await registered()) >= o.replicas, o.timeoutMs, () => `${o.replicas} replicas registered on the alerts queue`);
    const names = replicas.map(replicaName);
    const fleet: Fleet = { queue, clickhouse, tenant, names };

    const pump = new AlertPump(queue, tenant, o.alertsPerSecond);
    pump.start();
    // Promoted while the replicas run, as in production: each one held A before it flipped to B.
    await untilEveryReplicaDecidesWith(fleet, previous, o.timeoutMs);
    await registry.promote(tenant, DEFAULT_MODEL_KIND, current, 'rollback benchmark: the champion to roll back');
    await untilEveryReplicaDecidesWith(fleet, current, o.timeoutMs);
    o.progress(`rollback: every replica decided with ${previous}, then with ${current}`);
    const steadyFrom = Date.now();
    const probe = startRedisPingProbe(config.redisUrl);
    await sleep(o.steadySeconds * 1000);
    const steadyTo = Date.now();
    const ping = await probe.stop();

    // The API's rollback: the reinstated model's thresholds and the pointer in one script (changeServing).
    const store = new ThresholdStore({ redis, cacheTtlMs: 0 });
    const thresholds = new ThresholdRegistry({ redis, clickhouse, thresholds: store });
    const calledAt = Date.now();
    await changeServing(thresholds, tenant, 'rollback benchmark', (flip) => registry.rollback(tenant, DEFAULT_MODEL_KIND, 'rollback benchmark', { requestedBy: 'bench' }, flip));
    store.close();
    o.progress(`rollback: called after ${pump.count} alerts; the call returned after ${((Date.now() - calledAt) / 1000).toFixed(3)} s; waiting for every replica to decide with ${previous}`);
    await sleep(o.settleSeconds * 1000);
    let flips: ReplicaFlip[] = [];
    await until(
      async () => {
        flips = replicaFlips(await readDecisions(fleet), names, current, previous);
        return flips.every((flip) => flip.lastOld !== null && flip.firstNew !== null);
      },
      o.timeoutMs,
      () => `every replica deciding with ${previous} (${JSON.stringify(flips)})`,
    );
    await pump.stop();
    await until(async () => (await pendingJobs(queue)) === 0, o.timeoutMs, () => 'the alerts queue to drain');

    const decisions = await readDecisions(fleet);
    flips = replicaFlips(decisions, names, current, previous);
    const perReplica = flips.map((flip) => ((flip.firstNew as number) - calledAt) / 1000);
    const steady = decisions.filter((d) => d.decidedAt >= steadyFrom && d.decidedAt < steadyTo).map((d) => d.scoringLatencyUs);
    for (const flip of flips) o.progress(`rollback: ${flip.replica} last decided with ${current} at +${rel(flip.lastOld, calledAt)} s, with ${previous} from +${rel(flip.firstNew, calledAt)} s`);
    return {
      rollback_seconds: Math.max(...perReplica),
      replicas: o.replicas,
      replica_rollback_seconds: perReplica,
      score_p99_ms: steady.length === 0 ? Number.NaN : sortedQuantile(Float64Array.from(steady).sort(), 0.99) / 1000,
      score_decisions: steady.length,
      redis_ping_p99_ms: ping.p99_ms,
      redis_pings: ping.pings,
    };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await cleanUp(redis, queue, tenant, o.progress);
    await clickhouse?.close();
    await dropDatabase({ ...clickHouseOptionsFromConfig(config), requestTimeoutMs: DROP_TIMEOUT_MS }).catch((thrown: unknown) => o.progress(`rollback: dropping ${config.clickhouseDatabase} failed (drop it by hand): ${(thrown as Error).message}`));
    redis.disconnect();
  }
}

/** Registers A, B and C (C stays the challenger); returns [A, B]. */
async function registerModels(registry: ModelRegistry, tenant: string): Promise<[string, string]> {
  const ids: string[] = [];
  for (const seed of [1, 2, 3]) {
    const { modelId } = await registry.register({
      tenant,
      kind: DEFAULT_MODEL_KIND,
      family: 'gbdt',
      onnx: randomTreeModel(seed),
      featureSchemaVersion: FEATURE_SCHEMA_VERSION,
      nFeatures: FEATURE_COUNT,
      metrics: {},
      trainingWindow: { start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 2) },
      datasetHash: `rollback-bench-${seed}`,
      referenceProfile: {},
    });
    ids.push(modelId);
  }
  return [ids[0] as string, ids[1] as string];
}

function startReplica(config: HushConfig, queue: Queue, timeoutMs: number): Promise<ChildWorker> {
  const env = { queuePrefix: config.queuePrefix, clickhouseDatabase: config.clickhouseDatabase, concurrency: config.scoringConcurrency, redisUrl: config.redisUrl, clickhouseUrl: config.clickhouseUrl };
  return ChildWorker.start('scoring', env, queue, timeoutMs);
}

function replicaName(replica: ChildWorker): string {
  if (replica.pid === undefined) throw new Error('a scoring replica has no pid');
  return scoringReplicaName(replica.pid);
}

/** The run's replicas (by BullMQ worker name) and where their jobs and decisions are. */
interface Fleet {
  queue: Queue<AlertsJob>;
  clickhouse: ClickHouseClient;
  tenant: string;
  names: readonly string[];
}

/** Every decision so far, with the replica that made it (from the completed jobs). */
async function readDecisions(fleet: Fleet): Promise<ReplicaDecision[]> {
  const jobs = await fleet.queue.getJobs(['completed']);
  const byAlert = new Map(jobs.map((job) => [job.data.alerts[0]?.id ?? '', { replica: job.processedBy ?? '', enqueuedAt: job.data.enqueuedAt }]));
  const rows = await decisionsFor(fleet.clickhouse, fleet.tenant, [...byAlert.keys()]);
  return rows.map((row) => {
    const job = byAlert.get(row.alert_id) as { replica: string; enqueuedAt: number };
    return { replica: job.replica, modelId: row.model_id, decidedAt: job.enqueuedAt + Number(row.e2e_latency_us) / 1000, scoringLatencyUs: Number(row.scoring_latency_us) };
  });
}

/** Waits until every replica has made a decision with `modelId` and none with another model since. */
async function untilEveryReplicaDecidesWith(fleet: Fleet, modelId: string, timeoutMs: number): Promise<void> {
  await until(
    async () => {
      const decisions = await readDecisions(fleet);
      return fleet.names.every((name) => {
        const own = decisions.filter((d) => d.replica === name).sort((a, b) => a.decidedAt - b.decidedAt);
        return own.at(-1)?.modelId === modelId;
      });
    },
    timeoutMs,
    () => `every replica deciding with ${modelId}`,
  );
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what()}`);
    await sleep(POLL_MS);
  }
}

/** Obliterates the run's queues and row journal and deletes the tenant's keys; failures are reported, not thrown. */
async function cleanUp(redis: Redis, queue: Queue, tenant: string, progress: (line: string) => void): Promise<void> {
  const notifications = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix: queue.opts.prefix });
  for (const q of [queue, notifications]) {
    await q.obliterate({ force: true }).catch((thrown: unknown) => progress(`rollback: obliterating ${q.name} failed: ${(thrown as Error).message}`));
    await q.close();
  }
  const journal = journalKey(String(queue.opts.prefix), 'scoring');
  await redis.del(journal, refusedKey(journal)).catch((thrown: unknown) => progress(`rollback: deleting the row journal failed: ${(thrown as Error).message}`));
  await deleteTenantKeys(redis, tenant);
}

function rel(at: number | null, from: number): string {
  return at === null ? '?' : ((at - from) / 1000).toFixed(3);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
