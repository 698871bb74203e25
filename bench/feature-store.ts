/**
 * Feature-store micro-benchmark: alerts/s through {@link FeatureStore.observe} for batches of 1 and 200,
 * Redis's own cost of the observe script (`INFO commandstats`, diffed around each phase so a shared
 * Redis is fine), the commands the script runs per alert, and the CPU this process spends per alert (the
 * worker's share of the store: building the calls, ioredis encoding them and decoding the replies).
 *
 *   node --import tsx bench/feature-store.ts
 *
 * Env: BENCH_REDIS_URL (default redis://127.0.0.1:6390, the project's shared Redis; a private
 * `redis-server --port 16395 --save '' --daemonize yes` gives cleaner numbers), BENCH_ALERTS (alerts of
 * the batch-200 phase, default 40000), BENCH_SINGLE (alerts of the batch-1 phase, default 3000), BENCH_STORE
 * (path of another feature-store module to compare, e.g. a copy of the previous version), BENCH_BREAKDOWN=1
 * (per-command cost inside the script), BENCH_KEEP=1 (leave the keys for inspection), BENCH_MAX_SET and
 * BENCH_LATENESS_MS (store options, for equivalence runs through the saturation and too-late paths).
 *
 * The alert stream is deterministic (seeded), so the printed digest of every returned vector must be the
 * same before and after a change of the scripts: the equivalence check of an optimisation.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import { createRedis } from '../shared/redis/connection.js';
import { unlinkMatching } from '../shared/redis/unlink-matching.js';
import { FeatureStore as CurrentStore } from '../workers/scoring/feature-store.js';
import { prng } from '../test/helpers/prng.js';

const URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6390';
const MAIN = Number(process.env.BENCH_ALERTS ?? 40_000);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 3_000);
const WARMUP = 20_000;
/** BENCH_STORE: path of another feature-store module to measure (e.g. a copy of the previous version). */
const FeatureStore: typeof CurrentStore = process.env.BENCH_STORE
  ? ((await import(process.env.BENCH_STORE)) as { FeatureStore: typeof CurrentStore }).FeatureStore
  : CurrentStore;
type FeatureStore = CurrentStore;
const T0 = Date.UTC(2024, 2, 6, 9, 0);

/** mulberry32: small seeded PRNG. */

const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const SOURCES = ['prometheus', 'datadog', 'pagerduty'] as const;

/**
 * A tenant's stream: 2,000 series over 40 services and 100 rules, ~30 firings per second of event time,
 * 5 % of them up to 10 min late, a resolve for ~1 in 3 firings, 2 % replays of earlier alerts.
 */
function* stream(tenant: string): Generator<Alert> {
  const random = prng(42);
  let clock = T0;
  let seq = 0;
  const recent: Alert[] = [];
  const open: Alert[] = [];
  for (;;) {
    const r = random();
    if (r < 0.02 && recent.length > 0) {
      yield recent[Math.floor(random() * recent.length)] as Alert;
      continue;
    }
    if (r < 0.27 && open.length > 0) {
      const firing = open.splice(Math.floor(random() * open.length), 1)[0] as Alert;
      seq += 1;
      const alert: Alert = { ...firing, id: `r-${seq}`, status: 'resolved', endsAt: Math.max(firing.startsAt, clock - Math.floor(random() * 60_000)) };
      remember(recent, alert);
      yield alert;
      continue;
    }
    clock += Math.floor(random() * 66);
    const series = Math.floor(random() ** 2 * 2000);
    const late = random() < 0.05 ? Math.floor(random() * 600_000) : 0;
    seq += 1;
    const alert: Alert = {
      id: `f-${seq}`,
      tenant,
      source: SOURCES[series % 3] as Alert['source'],
      name: `Rule${series % 100}`,
      service: `svc-${series % 40}`,
      severity: SEVERITIES[series % 4] as Alert['severity'],
      status: 'firing',
      startsAt: clock - late,
      endsAt: null,
      summary: '',
      labels: { series: String(series) },
      value: series % 5 === 0 ? null : series / 7,
      fingerprint: `fp-${series}`,
    };
    remember(recent, alert);
    if (open.length < 500) open.push(alert);
    yield alert;
  }
}

function remember(recent: Alert[], alert: Alert): void {
  recent.push(alert);
  if (recent.length > 1000) recent.shift();
}

function take(source: Iterator<Alert>, n: number): Alert[] {
  const out: Alert[] = [];
  for (let i = 0; i < n; i += 1) out.push(source.next().value as Alert);
  return out;
}

type Stats = Map<string, { calls: number; usec: number }>;

async function commandStats(redis: Redis): Promise<Stats> {
  const info = await redis.info('commandstats');
  const stats: Stats = new Map();
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (match) stats.set(match[1] as string, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

function diff(before: Stats, after: Stats): Stats {
  const out: Stats = new Map();
  for (const [name, value] of after) {
    const base = before.get(name) ?? { calls: 0, usec: 0 };
    if (value.calls > base.calls) out.set(name, { calls: value.calls - base.calls, usec: value.usec - base.usec });
  }
  return out;
}

/** CPU seconds Redis has used (user + system, all of its threads): unlike usec_per_call, which is wall time, it
 * does not grow when the box is busy and Redis waits for a core. Other clients of a shared Redis count too. */
async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string): number => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

async function phase(label: string, redis: Redis, store: FeatureStore, alerts: Alert[], batch: number, digest: ReturnType<typeof createHash>): Promise<void> {
  const before = await commandStats(redis);
  const cpuBefore = await redisCpu(redis);
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < alerts.length; i += batch) {
    const vectors = await store.observe(alerts.slice(i, i + batch));
    for (const vector of vectors) digest.update(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)).update('|');
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const cpu = (await redisCpu(redis)) - cpuBefore;
  const stats = diff(before, await commandStats(redis));
  const script = stats.get('evalsha') ?? { calls: 0, usec: 0 };
  const inner = [...stats].filter(([name]) => !['evalsha', 'eval', 'info', 'exec', 'multi'].includes(name));
  const innerCalls = inner.reduce((sum, [, s]) => sum + s.calls, 0);
  console.log(
    `${label}: ${alerts.length} alerts in ${seconds.toFixed(2)} s = ${Math.round(alerts.length / seconds)} alerts/s; ` +
      `evalsha ${script.calls} calls, usec_per_call ${(script.usec / Math.max(script.calls, 1)).toFixed(2)}; ` +
      `redis CPU per alert ${((cpu * 1e6) / alerts.length).toFixed(1)} us; ` +
      `client CPU per alert ${((client.user + client.system) / alerts.length).toFixed(1)} us; redis commands inside per alert ${(innerCalls / alerts.length).toFixed(1)}`,
  );
  return;
}

async function breakdown(redis: Redis, store: FeatureStore, alerts: Alert[]): Promise<void> {
  const before = await commandStats(redis);
  for (let i = 0; i < alerts.length; i += 200) await store.observe(alerts.slice(i, i + 200));
  const stats = diff(before, await commandStats(redis));
  const rows = [...stats].filter(([name]) => !['info'].includes(name)).sort((a, b) => b[1].usec - a[1].usec);
  console.log('per alert (batch 200):  command  calls  usec');
  for (const [name, s] of rows) console.log(`  ${name.padEnd(18)} ${(s.calls / alerts.length).toFixed(2).padStart(6)} ${(s.usec / alerts.length).toFixed(2).padStart(8)}`);
}

async function main(): Promise<void> {
  const redis = createRedis(URL, { lazyConnect: false });
  const tenant = `bench-${randomUUID().slice(0, 8)}`;
  // Equivalence runs: a small cap and lateness drive the saturation and too-late paths.
  const store = new FeatureStore({
    redis,
    ...(process.env.BENCH_MAX_SET ? { maxSetSize: Number(process.env.BENCH_MAX_SET) } : {}),
    ...(process.env.BENCH_LATENESS_MS ? { allowedLatenessMs: Number(process.env.BENCH_LATENESS_MS) } : {}),
  });
  const source = stream(tenant);
  const digest = createHash('sha256');
  try {
    console.log(`redis ${URL}, tenant ${tenant}`);
    await phase('warm-up  (batch 200)', redis, store, take(source, WARMUP), 200, digest);
    await phase('batch   1', redis, store, take(source, SINGLE), 1, digest);
    await phase('batch 200', redis, store, take(source, MAIN), 200, digest);
    if (process.env.BENCH_BREAKDOWN === '1') await breakdown(redis, store, take(source, 10_000));
    console.log(`vector digest ${digest.digest('hex').slice(0, 16)} (must not change between script versions)`);
  } finally {
    if (process.env.BENCH_KEEP === '1') {
      console.log(`kept keys hush:{${tenant}}:*`);
    } else {
      await unlinkMatching(redis, `hush:{${tenant}}:*`);
    }
    await redis.quit();
  }
}

await main();
