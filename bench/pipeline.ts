/**
 * Pipeline benchmark (DESIGN §5, §9): replays the synthetic 100k stream through the real scoring role,
 * run as its own process exactly as `hush worker scoring` deploys it, against Redis and ClickHouse on the
 * same machine, and compares it with a no-op BullMQ worker measured in the same run on the same Redis.
 *
 *   npm run bench:pipeline [-- --alerts N] [--paced-alerts N] [--rate R] [--concurrency C] [--chunk-size S] [--seed S] [--phases LIST] [--features redis|constant]
 *
 * Phases, each with its own queue prefix and tenant (no shared Redis keys or feature-store state);
 * `--phases noop,single` runs a subset (figures of skipped phases are null):
 *   1. noop     N single-alert jobs pre-enqueued on a paused queue, then consumed by the no-op worker: jobs/s
 *   2. single   the same for the scoring worker: alerts_per_s; ratio_vs_noop = alerts_per_s / noop jobs/s
 *   3. bulk     scoring worker running; the producer enqueues chunk jobs while it consumes: batched_alerts_per_s
 *   4. paced    scoring worker running (after a 2 s warm-up on another tenant); single-alert jobs at a fixed
 *               rate: score (dequeue → decision) and e2e (enqueue → decision) quantiles, and beside them the
 *               p99 of a bare Redis PING every 10 ms (`redis_ping_p99_ms`: the box's floor under a decision)
 * Every firing alert of phases 2–4 must have exactly one decision in ClickHouse; `lost` counts those that
 * do not. Figures go to stdout; the last line is one JSON object. Progress goes to stderr. The CPU
 * columns split the machine's busy time into the worker, Redis, ClickHouse (when it runs on this machine)
 * and `rest`, what the producer and any other process used: a high `rest` means the figures are contended.
 *
 * `--features constant` runs phases 2–4 with `pipeline/constant-features-worker.ts` instead: the same role
 * with one fixed vector for every firing alert and no feature state, so the figures are the ceiling of the
 * rest of the scoring path. They are not Hush's and are compared with no speed target (`meets` is null
 * for each; `lost` is still checked).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import { parseAlert } from '../schemas/parse-alert.js';
import { generateWorld } from '../synth/index.js';
import { startLocalServices } from '../shared/services/index.js';
import { loadConfig, type HushConfig } from '../shared/config/config.js';
import { createRedis } from '../shared/redis/connection.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, type ClickHouseClient } from '../shared/clickhouse/client.js';
import { sqlIdentifier } from '../shared/clickhouse/sql-escape.js';
import { journalKey } from '../shared/clickhouse/row-journal.js';
import { AlertQueue } from '../queues/alert-queue.js';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import { startRedisPingProbe } from './redis-ping-probe.js';
import { ChildWorker, machineCpuSeconds, sleep, type WorkerKind } from './pipeline/child-worker.js';
import { ClickHouseCpu, RedisCpu, deleteTenantKeys, latencyStats, progress, waitDecisions, waitDrained, type LatencyStats } from './pipeline/measure.js';

const TARGETS = {
  alerts_per_s: 5_000,
  batched_alerts_per_s: 20_000,
  score_p99_ms: 5,
  e2e_p99_ms: 50,
  ratio_vs_noop: 0.6,
} as const;

/** Alerts per `addEach`/`addChunked` call while pre-enqueuing (keeps each pipeline to a few MB). */
const ENQUEUE_SLICE = 5_000;
const WARMUP_SECONDS = 2;
/** A busy shared ClickHouse can take well over the client's default 30 s for a FINAL count or a DROP. */
const CLICKHOUSE_TIMEOUT_MS = 180_000;

const PHASES = ['noop', 'single', 'bulk', 'paced'] as const;
type PhaseName = (typeof PHASES)[number];

interface Options {
  phases: PhaseName[];
  alerts: number | null;
  pacedAlerts: number;
  rate: number;
  concurrency: number;
  chunkSize: number;
  seed: number;
  /** `redis`: the scoring role as deployed; `constant`: its features replaced by one fixed vector. */
  features: 'redis' | 'constant';
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      alerts: { type: 'string' },
      'paced-alerts': { type: 'string', default: '30000' },
      rate: { type: 'string', default: '2000' },
      concurrency: { type: 'string' },
      'chunk-size': { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      phases: { type: 'string', default: PHASES.join(',') },
      features: { type: 'string', default: 'redis' },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
    return n;
  };
  const phases = values.phases.split(',').map((p) => p.trim());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0 || phases.length === 0) throw new Error(`--phases takes a comma-separated subset of ${PHASES.join(',')}, got "${values.phases}"`);
  if (values.features !== 'redis' && values.features !== 'constant') throw new Error(`--features takes redis or constant, got "${values.features}"`);
  return {
    phases: PHASES.filter((p) => phases.includes(p)),
    alerts: values.alerts === undefined ? null : int('alerts', values.alerts, 1),
    pacedAlerts: int('paced-alerts', values['paced-alerts'], 1),
    rate: int('rate', values.rate, 1),
    // The same variable (and default) the scoring role reads, so the noop reference runs with it too.
    concurrency: values.concurrency === undefined ? loadConfig().scoringConcurrency : int('concurrency', values.concurrency, 1),
    chunkSize: int('chunk-size', values['chunk-size'], 1),
    seed: int('seed', values.seed, 0),
    features: values.features,
  };
}

/** The first `limit` alert events (firing and resolved, stream order) of the 100k world, validated. */
function loadStream(seed: number, limit: number | null): Alert[] {
  const tenant = 'bench';
  const alerts: Alert[] = [];
  for (const record of generateWorld({ seed, alerts: 100_000 })) {
    if (record.kind !== 'alert') continue;
    // The wire tenant is optional and must match the caller's; every phase re-tenants anyway.
    const parsed = parseAlert({ ...record.alert, tenant }, { tenant });
    if (!parsed.ok) throw new Error(`synthetic alert failed validation: ${parsed.error.field}: ${parsed.error.message}`);
    alerts.push(parsed.value);
    if (limit !== null && alerts.length >= limit) break;
  }
  return alerts;
}

const retenant = (alerts: readonly Alert[], tenant: string): Alert[] => alerts.map((alert) => ({ ...alert, tenant }));

/** Firing alerts that must each get one decision (distinct ids: a replayed id is decided once). */
const firingCount = (alerts: readonly Alert[]): number => new Set(alerts.filter((a) => a.status === 'firing').map((a) => a.id)).size;

interface PhaseResult {
  name: PhaseName;
  items: number;
  seconds: number;
  perSecond: number;
  firing: number;
  decided: number | null;
  failed: number;
  latency: LatencyStats | null;
  cpu: CpuShares;
  note: string;
  /** p99 of a bare Redis PING sent every 10 ms during the phase (paced only): the box's floor under a decision. */
  redisPingP99Ms?: number;
}

/** Shared state of one run: connections, names and cleanup. */
class Run {
  readonly id = randomUUID().slice(0, 8);
  readonly database = `hush_bench_${this.id}`;
  private readonly prefixes: string[] = [];
  private readonly tenants: string[] = [];
  private readonly workers = new Set<ChildWorker>();
  /** Reads the run's database, which the scoring children create and migrate. */
  readonly clickhouse: ClickHouseClient;

  constructor(
    readonly config: HushConfig,
    readonly options: Options,
    readonly redis: Redis,
    readonly redisCpu: RedisCpu,
    readonly clickhouseCpu: ClickHouseCpu = new ClickHouseCpu(),
  ) {
    this.clickhouse = createClickHouseClient({ ...clickHouseOptionsFromConfig(config), database: this.database, requestTimeoutMs: CLICKHOUSE_TIMEOUT_MS });
  }

  /** The worker of the scoring phases (`--features`). */
  get scoringKind(): WorkerKind {
    return this.options.features === 'constant' ? 'scoring-constant-features' : 'scoring';
  }

  names(phase: string): { prefix: string; tenant: string } {
    const names = { prefix: `hush-bench-${this.id}-${phase}`, tenant: `bench-${this.id}-${phase}` };
    this.prefixes.push(names.prefix);
    this.tenants.push(names.tenant);
    return names;
  }

  async startWorker(kind: WorkerKind, prefix: string, queue: Queue): Promise<ChildWorker> {
    const worker = await ChildWorker.start(
      kind,
      {
        queuePrefix: prefix,
        clickhouseDatabase: this.database,
        concurrency: this.options.concurrency,
        redisUrl: this.config.redisUrl,
        clickhouseUrl: this.config.clickhouseUrl,
      },
      queue,
    );
    this.workers.add(worker);
    return worker;
  }

  async stopWorker(worker: ChildWorker): Promise<void> {
    await worker.stop();
    this.workers.delete(worker);
  }

  /** Stops any worker left, obliterates every phase's queues, deletes tenant state, drops the database. */
  async cleanup(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.stop()));
    for (const prefix of this.prefixes) {
      for (const name of [QUEUE_NAMES.alerts, QUEUE_NAMES.notifications]) {
        const queue = new Queue(name, { connection: this.redis, prefix });
        try {
          await queue.obliterate({ force: true, count: 5_000 });
        } catch (thrown) {
          process.stderr.write(`cleanup: obliterating ${prefix}:${name} failed: ${(thrown as Error).message}\n`);
        } finally {
          await queue.close();
        }
      }
      await this.redis.del(journalKey(prefix, 'scoring'));
    }
    for (const tenant of this.tenants) await deleteTenantKeys(this.redis, tenant);
    const admin = createClickHouseClient({ ...clickHouseOptionsFromConfig(this.config), database: 'default', requestTimeoutMs: CLICKHOUSE_TIMEOUT_MS });
    try {
      await admin.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(this.database)}` });
    } catch (thrown) {
      process.stderr.write(`cleanup: DROP DATABASE ${this.database} failed (drop it by hand): ${(thrown as Error).message}\n`);
    } finally {
      await admin.close();
    }
  }
}

/** Enqueues one job per alert in slices; returns jobs/s of the producer. */
async function enqueueEach(queue: AlertQueue, alerts: readonly Alert[], label: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < alerts.length; i += ENQUEUE_SLICE) {
    await queue.addEach(alerts.slice(i, i + ENQUEUE_SLICE));
    if ((i / ENQUEUE_SLICE) % 10 === 9) progress(`${label}: enqueued ${i + ENQUEUE_SLICE}/${alerts.length}`);
  }
  return alerts.length / ((performance.now() - t0) / 1000);
}

/** A finished phase's figures: failed jobs, and for scoring phases its decisions and latency quantiles. */
async function phaseResult(
  run: Run,
  args: { name: PhaseName; bull: AlertQueue['bullQueue']; tenant: string; alerts: readonly Alert[]; seconds: number; cpu: CpuShares; scored: boolean; note: string },
): Promise<PhaseResult> {
  const failed = (await args.bull.getJobCounts('failed')).failed ?? 0;
  const firing = firingCount(args.alerts);
  const decided = args.scored ? await waitDecisions(run.clickhouse, args.tenant, firing) : null;
  const latency = args.scored ? await latencyStats(run.clickhouse, args.tenant) : null;
  const { name, alerts, seconds, note } = args;
  return { name, items: alerts.length, seconds, perSecond: alerts.length / seconds, firing, decided, failed, latency, cpu: args.cpu, note };
}

/**
 * Phases 1 and 2: every job is waiting on a paused queue before the worker starts, so the clock (resume →
 * queue empty) measures consumption only, not enqueueing or process start.
 */
async function preEnqueuedPhase(run: Run, kind: WorkerKind, phase: 'noop' | 'single', stream: readonly Alert[]): Promise<PhaseResult> {
  const { prefix, tenant } = run.names(phase);
  const alerts = retenant(stream, tenant);
  const queue = new AlertQueue({ connection: run.redis, prefix });
  const bull = queue.bullQueue;
  await bull.pause();
  const enqueueRate = await enqueueEach(queue, alerts, phase);
  progress(`${phase}: ${alerts.length} jobs enqueued at ${Math.round(enqueueRate)}/s; starting ${kind} worker`);
  const worker = await run.startWorker(kind, prefix, bull);
  try {
    const meter = new CpuMeter(worker, run.redisCpu, run.clickhouseCpu);
    const t0 = performance.now();
    await bull.resume();
    const tEnd = await waitDrained(bull, phase, alerts.length, t0);
    const seconds = (tEnd - t0) / 1000;
    // Read at the phase's end, over the phase's own seconds, while the worker still runs.
    const cpu = meter.read(seconds);
    return await phaseResult(run, { name: phase, bull, tenant, alerts, seconds, cpu, scored: kind !== 'noop', note: `${kind} worker, 1 alert/job, pre-enqueued (producer ${Math.round(enqueueRate)} jobs/s)` });
  } finally {
    await run.stopWorker(worker);
    await queue.close();
  }
}

/** Phase 3: the producer enqueues chunk jobs while the running worker consumes; wall time covers both. */
async function bulkPhase(run: Run, stream: readonly Alert[]): Promise<PhaseResult> {
  const { prefix, tenant } = run.names('bulk');
  const alerts = retenant(stream, tenant);
  const { chunkSize } = run.options;
  const queue = new AlertQueue({ connection: run.redis, prefix, chunkSize });
  const bull = queue.bullQueue;
  const worker = await run.startWorker(run.scoringKind, prefix, bull);
  try {
    const slice = chunkSize * Math.max(1, Math.floor(ENQUEUE_SLICE / chunkSize));
    const jobs = Math.ceil(alerts.length / chunkSize);
    const meter = new CpuMeter(worker, run.redisCpu, run.clickhouseCpu);
    const t0 = performance.now();
    for (let i = 0; i < alerts.length; i += slice) await queue.addChunked(alerts.slice(i, i + slice));
    const enqueueSeconds = (performance.now() - t0) / 1000;
    const tEnd = await waitDrained(bull, 'bulk', jobs, t0);
    const seconds = (tEnd - t0) / 1000;
    // Read at the phase's end, over the phase's own seconds, while the worker still runs.
    const cpu = meter.read(seconds);
    return await phaseResult(run, { name: 'bulk', bull, tenant, alerts, seconds, cpu, scored: true, note: `${jobs} jobs of ${chunkSize}, enqueued in ${enqueueSeconds.toFixed(1)} s while consuming` });
  } finally {
    await run.stopWorker(worker);
    await queue.close();
  }
}

/** Sends `alerts` one job each at `rate`/s from now; returns the achieved rate. */
async function sendPaced(queue: AlertQueue, alerts: readonly Alert[], rate: number, label: string): Promise<number> {
  const t0 = performance.now();
  let sent = 0;
  let nextReport = 5_000;
  while (sent < alerts.length) {
    const elapsed = performance.now() - t0;
    const due = Math.min(alerts.length, Math.floor((elapsed / 1000) * rate));
    if (due > sent) {
      await queue.addEach(alerts.slice(sent, due));
      sent = due;
    } else {
      await sleep(Math.max(1, Math.min(10, ((sent + 1) / rate) * 1000 - elapsed)));
    }
    if (performance.now() - t0 >= nextReport) {
      progress(`${label}: sent ${sent}/${alerts.length}`);
      nextReport += 5_000;
    }
  }
  return alerts.length / ((performance.now() - t0) / 1000);
}

/** Phase 4: a fixed offered rate of single-alert jobs to a warm, running worker; latency quantiles. */
async function pacedPhase(run: Run, stream: readonly Alert[]): Promise<PhaseResult> {
  const { prefix, tenant } = run.names('paced');
  const warmTenant = run.names('warm').tenant;
  const { rate } = run.options;
  const alerts = retenant(stream, tenant);
  const queue = new AlertQueue({ connection: run.redis, prefix });
  const bull = queue.bullQueue;
  const worker = await run.startWorker(run.scoringKind, prefix, bull);
  try {
    // JIT, connection pools and the cold-start model lookup warm up on a tenant that is not measured.
    await sendPaced(queue, retenant(stream.slice(0, rate * WARMUP_SECONDS), warmTenant), rate, 'warm-up');
    await waitDrained(bull, 'warm-up', rate * WARMUP_SECONDS, performance.now());
    const meter = new CpuMeter(worker, run.redisCpu, run.clickhouseCpu);
    const ping = startRedisPingProbe(run.config.redisUrl);
    const t0 = performance.now();
    const achieved = await sendPaced(queue, alerts, rate, 'paced');
    const tEnd = await waitDrained(bull, 'paced', alerts.length, t0);
    const seconds = (tEnd - t0) / 1000;
    // Read at the phase's end, over the phase's own seconds, while the worker still runs.
    const cpu = meter.read(seconds);
    const { p99_ms: redisPingP99Ms } = await ping.stop();
    const result = await phaseResult(run, { name: 'paced', bull, tenant, alerts, seconds, cpu, scored: true, note: `offered ${Math.round(achieved)} alerts/s (target ${rate}), 1 alert/job` });
    return { ...result, redisPingP99Ms };
  } finally {
    await run.stopWorker(worker);
    await queue.close();
  }
}

/** CPU used during a phase, in cores: the worker, Redis, ClickHouse, and everything else on the machine. */
interface CpuShares {
  worker: number | null;
  redis: number | null;
  clickhouse: number | null;
  /** All other processes: the producer and anything else running. */
  rest: number | null;
}

class CpuMeter {
  private readonly start: [number | null, number | null, number | null, { busy: number } | null];

  constructor(
    private readonly worker: ChildWorker,
    private readonly redis: RedisCpu,
    private readonly clickhouse: ClickHouseCpu,
  ) {
    this.start = [worker.cpuSeconds(), redis.seconds(), clickhouse.seconds(), machineCpuSeconds()];
  }

  read(seconds: number): CpuShares {
    const [w0, r0, c0, m0] = this.start;
    const m1 = machineCpuSeconds();
    const share = (before: number | null, after: number | null): number | null => (before === null || after === null ? null : (after - before) / seconds);
    const worker = share(w0, this.worker.cpuSeconds());
    const redis = share(r0, this.redis.seconds());
    const clickhouse = share(c0, this.clickhouse.seconds());
    const machine = m0 === null || m1 === null ? null : (m1.busy - m0.busy) / seconds;
    const known = worker === null || redis === null ? null : worker + redis + (clickhouse ?? 0);
    return { worker, redis, clickhouse, rest: machine === null || known === null ? null : Math.max(0, machine - known) };
  }
}

const round = (n: number, digits = 0): number => Number(n.toFixed(digits));

function printTable(results: readonly PhaseResult[]): void {
  const header = ['phase', 'alerts', 'seconds', 'alerts/s', 'firing', 'decided', 'failed', 'score p50/p99 ms', 'e2e p50/p99 ms', 'cores worker/redis/ch/rest', 'how'];
  const rows = results.map((r) => [
    r.name,
    String(r.items),
    r.seconds.toFixed(2),
    String(Math.round(r.perSecond)),
    String(r.firing),
    r.decided === null ? '-' : String(r.decided),
    String(r.failed),
    r.latency ? `${r.latency.scoreP50Ms.toFixed(2)} / ${r.latency.scoreP99Ms.toFixed(2)}` : '-',
    r.latency ? `${r.latency.e2eP50Ms.toFixed(1)} / ${r.latency.e2eP99Ms.toFixed(1)}` : '-',
    `${cores(r.cpu.worker)} / ${cores(r.cpu.redis)} / ${cores(r.cpu.clickhouse)} / ${cores(r.cpu.rest)}`,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** CPU milliseconds each process spent per alert of a phase: robust to other load on the machine. */
function cpuPerAlert(result: PhaseResult): { worker: number | null; redis: number | null; clickhouse: number | null } {
  const perAlert = (cores: number | null): number | null => (cores === null ? null : round((cores * result.seconds * 1000) / result.items, 3));
  return { worker: perAlert(result.cpu.worker), redis: perAlert(result.cpu.redis), clickhouse: perAlert(result.cpu.clickhouse) };
}

/**
 * The CPU a scored alert may cost for `ratio_vs_noop` to meet its target, from the no-op phase's CPU a job
 * (both phases keep the box busy, so throughput goes as the inverse of CPU per item), and what phase
 * single spent; null when either phase or a process's CPU is missing.
 */
function ratioBudget(noop: PhaseResult | undefined, single: PhaseResult | undefined): { noopMs: number; allowedMs: number; usedMs: number } | null {
  if (noop === undefined || single === undefined) return null;
  const total = (result: PhaseResult): number | null => {
    const { worker, redis, clickhouse } = cpuPerAlert(result);
    return worker === null || redis === null ? null : worker + redis + (clickhouse ?? 0);
  };
  const noopMs = total(noop);
  const usedMs = total(single);
  return noopMs === null || usedMs === null ? null : { noopMs, allowedMs: noopMs / TARGETS.ratio_vs_noop, usedMs };
}

const cores = (used: number | null): string => (used === null ? '?' : used.toFixed(2));

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const loadStart = os.loadavg()[0] ?? 0;
  const services = await startLocalServices();
  const config = loadConfig({ redisUrl: services.redisUrl, clickhouseUrl: services.clickhouseUrl });

  process.stderr.write('generating the 100k stream…\n');
  const stream = loadStream(options.seed, options.alerts);
  const paced = stream.slice(0, options.pacedAlerts);

  const redis = createRedis(config.redisUrl);
  const run = new Run(config, options, redis, await RedisCpu.of(redis));

  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('interrupted: cleaning up (again to exit at once)\n');
    void run.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: PhaseResult[] = [];
  try {
    console.log(
      `pipeline benchmark: ${stream.length} alert events (${firingCount(stream)} firing) of the seed-${options.seed} 100k stream; ` +
        `concurrency ${options.concurrency}, chunk ${options.chunkSize}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
    );
    const phases: Record<PhaseName, readonly [string, () => Promise<PhaseResult>]> = {
      noop: ['noop reference', () => preEnqueuedPhase(run, 'noop', 'noop', stream)],
      single: ['scoring, one alert per job', () => preEnqueuedPhase(run, run.scoringKind, 'single', stream)],
      bulk: ['scoring, bulk ingest', () => bulkPhase(run, stream)],
      paced: [`scoring at ${options.rate} alerts/s`, () => pacedPhase(run, paced)],
    };
    for (const [i, name] of options.phases.entries()) {
      const [what, phase] = phases[name];
      const label = `${i + 1}/${options.phases.length} ${name}: ${what}`;
      process.stderr.write(`phase ${label}\n`);
      const result = await phase();
      results.push(result);
      process.stderr.write(`phase ${label}: ${Math.round(result.perSecond)}/s in ${result.seconds.toFixed(1)} s\n`);
    }
  } finally {
    process.stderr.write('cleaning up…\n');
    await run.cleanup();
    await run.clickhouse.close();
    redis.disconnect();
  }

  printTable(results);
  const byName = (name: PhaseName): PhaseResult | undefined => results.find((r) => r.name === name);
  const [noop, single, bulk, pacedResult] = PHASES.map(byName);
  const lost = results.reduce((sum, r) => sum + (r.decided === null ? 0 : r.firing - r.decided), 0);
  const ms = (value: number | undefined): number | null => (value === undefined ? null : round(value, 2));
  const figures = {
    alerts_per_s: single ? round(single.perSecond) : null,
    batched_alerts_per_s: bulk ? round(bulk.perSecond) : null,
    score_p50_ms: ms(pacedResult?.latency?.scoreP50Ms),
    score_p99_ms: ms(pacedResult?.latency?.scoreP99Ms),
    e2e_p50_ms: ms(pacedResult?.latency?.e2eP50Ms),
    e2e_p99_ms: ms(pacedResult?.latency?.e2eP99Ms),
    ratio_vs_noop: single && noop ? round(single.perSecond / noop.perSecond, 3) : null,
    noop_jobs_per_s: noop ? round(noop.perSecond) : null,
    lost,
    failed_jobs: results.reduce((sum, r) => sum + r.failed, 0),
  };
  const atLeast = (value: number | null, target: number): boolean | null => (value === null ? null : value >= target);
  const atMost = (value: number | null, target: number): boolean | null => (value === null ? null : value <= target);
  const ceiling = options.features === 'constant';
  // A run without feature state measures what is left of the scoring path, not Hush: no speed target applies.
  const judged = <T>(verdict: T): T | null => (ceiling ? null : verdict);
  const meets = {
    alerts_per_s: judged(atLeast(figures.alerts_per_s, TARGETS.alerts_per_s)),
    batched_alerts_per_s: judged(atLeast(figures.batched_alerts_per_s, TARGETS.batched_alerts_per_s)),
    score_p99_ms: judged(atMost(figures.score_p99_ms, TARGETS.score_p99_ms)),
    e2e_p99_ms: judged(atMost(figures.e2e_p99_ms, TARGETS.e2e_p99_ms)),
    ratio_vs_noop: judged(atLeast(figures.ratio_vs_noop, TARGETS.ratio_vs_noop)),
    lost: lost === 0,
  };
  if (pacedResult) {
    console.log(`\nscore and e2e quantiles are from phase paced (${options.rate} alerts/s offered to a running worker).`);
    const wait = ceiling ? 'no decision waits on feature state in this run' : 'every decision waits on one Redis round trip (its features)';
    console.log(`a bare Redis PING every 10 ms beside it had a p99 of ${pacedResult.redisPingP99Ms?.toFixed(2)} ms: ${wait}.`);
  }
  if (ceiling) {
    console.log('features: constant (--features constant): one fixed vector per firing alert, no feature state. These figures are the ceiling of the rest of the scoring path, not Hush\'s, and are held to no speed target.');
  }
  const budget = ratioBudget(noop, single);
  if (budget !== null) {
    console.log(
      `ratio_vs_noop ${TARGETS.ratio_vs_noop} leaves a scored alert about ${budget.allowedMs.toFixed(3)} ms of CPU (the no-op's ${budget.noopMs.toFixed(3)} ms a job over ${TARGETS.ratio_vs_noop}, ` +
        `both phases saturating the box alike); phase single used ${budget.usedMs.toFixed(3)} ms an alert (worker, Redis and ClickHouse).`,
    );
  }
  if (single?.latency) {
    console.log(`saturated single-job scoring latency (phase single, ${options.concurrency} jobs in flight): p50 ${single.latency.scoreP50Ms.toFixed(2)} ms, p99 ${single.latency.scoreP99Ms.toFixed(2)} ms`);
  }
  console.log(
    JSON.stringify({
      ...figures,
      redis_ping_p99_ms: ms(pacedResult?.redisPingP99Ms),
      saturated_score_p50_ms: ms(single?.latency?.scoreP50Ms),
      saturated_score_p99_ms: ms(single?.latency?.scoreP99Ms),
      single_cpu_ms_per_alert: single ? cpuPerAlert(single) : null,
      noop_cpu_ms_per_job: noop ? cpuPerAlert(noop) : null,
      paced_alerts_per_s: options.rate,
      alerts: stream.length,
      firing: firingCount(stream),
      concurrency: options.concurrency,
      chunk_size: options.chunkSize,
      features: options.features,
      phases: results.map((r) => r.name),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', load_avg_1m: [round(loadStart, 2), round(os.loadavg()[0] ?? 0, 2)] },
      targets: TARGETS,
      meets,
    }),
  );
  if (lost > 0 || figures.failed_jobs > 0) process.exitCode = 1;
}

await main();
