/**
 * Analytics benchmark (issue 5): loads `--days` × `--per-day` decisions (default 30 × 1M) and a share
 * of outcomes into its own database, generated inside ClickHouse, day by day in event-time order so
 * that the SLI materialized views and the outcome→decision lookup run as in production; then times
 * every dashboard query over the whole range (`--runs` timed runs after one warm-up; the median
 * counts). Baseline, measured in the same run: noise reduction by tenant computed from raw
 * `decisions FINAL` instead of the rollups.
 *
 *   npm run bench:analytics [-- --days 30 --per-day 1000000 --label-every 5 --runs 5 --keep | --reuse]
 *
 * `--keep` leaves the database in place; `--reuse` times the queries again on what a `--keep` run left.
 *
 * Progress goes to stderr, the table to stdout; the last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import { startLocalServices } from '../shared/services/index.js';
import { createClickHouseClient, dropDatabase, ensureDatabase, type ClickHouseClient, type ClickHouseOptions } from '../shared/clickhouse/client.js';
import { migrate } from '../shared/clickhouse/migrator.js';
import { insertDecisionsSql, insertOutcomesSql } from './analytics/generate-sql.js';
import { dashboardQueries } from './analytics/dashboard-queries.js';

const DATABASE = 'hush_bench_analytics';
const TARGET_MS = 1000;
/** The benchmark's day 0 (fixed, so that runs are comparable). */
const START = Date.UTC(2026, 0, 1) / 1000;

interface Options {
  days: number;
  perDay: number;
  labelEvery: number;
  runs: number;
  keep: boolean;
  /** Time the queries on the data a previous `--keep` run left, without loading. */
  reuse: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      days: { type: 'string', default: '30' },
      'per-day': { type: 'string', default: '1000000' },
      'label-every': { type: 'string', default: '5' },
      runs: { type: 'string', default: '5' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
    return n;
  };
  return {
    days: int('days', values.days, 1),
    perDay: int('per-day', values['per-day'], 1000),
    labelEvery: int('label-every', values['label-every'], 1),
    runs: int('runs', values.runs, 1),
    keep: values.keep || values.reuse,
    reuse: values.reuse,
  };
}

function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function count(client: ClickHouseClient, query: string): Promise<number> {
  const [row] = await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: number }>();
  return Number(row?.n ?? 0);
}

async function load(client: ClickHouseClient, options: Options): Promise<{ decisionsS: number; outcomesS: number }> {
  let decisionsMs = 0;
  let outcomesMs = 0;
  for (let day = 0; day < options.days; day++) {
    const spec = { day, perDay: options.perDay, start: START, labelEvery: options.labelEvery };
    const d = await timed(() => client.command({ query: insertDecisionsSql(spec) }));
    const o = await timed(() => client.command({ query: insertOutcomesSql(spec) }));
    decisionsMs += d;
    outcomesMs += o;
    progress(`day ${day + 1}/${options.days}: decisions ${(d / 1000).toFixed(1)} s, outcomes (with the decision lookup join) ${(o / 1000).toFixed(1)} s`);
  }
  return { decisionsS: decisionsMs / 1000, outcomesS: outcomesMs / 1000 };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const services = await startLocalServices({ services: ['clickhouse'] });
  const connection: ClickHouseOptions = {
    url: services.clickhouseUrl,
    database: DATABASE,
    username: process.env.HUSH_CLICKHOUSE_USER ?? 'default',
    password: process.env.HUSH_CLICKHOUSE_PASSWORD ?? '',
    requestTimeoutMs: 600_000,
  };
  if (!options.reuse) {
    progress(`loading ${options.days} day(s) × ${options.perDay} decisions (1 in ${options.labelEvery} labelled) into ${DATABASE}`);
    await dropDatabase(connection);
  }
  await ensureDatabase(connection);
  const client = createClickHouseClient(connection);
  try {
    await migrate(client);
    const loaded = options.reuse ? { decisionsS: 0, outcomesS: 0 } : await load(client, options);
    const sizes = {
      decisions: await count(client, 'SELECT count() AS n FROM decisions'),
      outcomes: await count(client, 'SELECT count() AS n FROM outcomes'),
      sli_decisions_minute: await count(client, 'SELECT count() AS n FROM sli_decisions_minute'),
      sli_decisions_hour: await count(client, 'SELECT count() AS n FROM sli_decisions_hour'),
      sli_outcomes_minute: await count(client, 'SELECT count() AS n FROM sli_outcomes_minute'),
      labelled_in_rollup: await count(client, 'SELECT sum(labeled) AS n FROM sli_outcomes_minute'),
    };
    progress(`rows: ${JSON.stringify(sizes)}`);

    const from = START * 1000;
    const to = (START + options.days * 86400) * 1000;
    const times: Record<string, number> = {};
    const table: string[] = [];
    for (const query of dashboardQueries(from, to)) {
      let rows = 0;
      await query.run(client);
      const runs: number[] = [];
      for (let i = 0; i < options.runs; i++) runs.push(await timed(async () => { rows = await query.run(client); }));
      times[query.name] = Math.round(median(runs));
      table.push(`${query.name.padEnd(42)} ${String(times[query.name]).padStart(7)} ms  (${rows} rows; runs ${runs.map((r) => Math.round(r)).join(', ')})`);
      progress(`${query.name}: ${times[query.name]} ms`);
    }
    const baselineMs = Math.round(await timed(() => client.query({
      query: `SELECT tenant, countIf(decision = 'suppress') / count() AS noise_reduction FROM decisions FINAL GROUP BY tenant`,
      format: 'JSONEachRow',
    }).then((r) => r.json())));
    const maxQueryMs = Math.max(...Object.values(times));

    console.log(`\nanalytics over ${options.days} day(s) × ${options.perDay} alerts/day (median of ${options.runs} runs, target ≤ ${TARGET_MS} ms)`);
    for (const line of table) console.log(line);
    console.log(`${'baseline: noise by tenant from decisions FINAL'.padEnd(42)} ${String(baselineMs).padStart(7)} ms  (1 run)`);
    console.log(`load: decisions ${loaded.decisionsS.toFixed(1)} s, outcomes ${loaded.outcomesS.toFixed(1)} s; rows ${JSON.stringify(sizes)}`);
    console.log(JSON.stringify({
      max_query_ms: maxQueryMs,
      target_ms: TARGET_MS,
      ok: maxQueryMs <= TARGET_MS,
      queries_ms: times,
      baseline_raw_final_ms: baselineMs,
      days: options.days,
      per_day: options.perDay,
      load_decisions_s: Number(loaded.decisionsS.toFixed(1)),
      load_outcomes_s: Number(loaded.outcomesS.toFixed(1)),
      rows: sizes,
    }));
  } finally {
    await client.close();
    if (!options.keep) await dropDatabase(connection);
  }
}

await main();
