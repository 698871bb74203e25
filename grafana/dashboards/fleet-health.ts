import type { DashboardSpec, PromPanelSpec, SqlPanelSpec } from '../panel-spec.js';
import { timeBucket, timeFilter } from '../sql/grafana-macros.js';

function prom(title: string, description: string, unit: PromPanelSpec['unit'], queries: PromPanelSpec['queries'], width = 8): PromPanelSpec {
  return { source: 'prometheus', kind: 'timeseries', title, description, width, unit, queries };
}

const quantile = (q: number, metric: string, by = 'le'): string => `histogram_quantile(${q}, sum by (${by}) (rate(${metric}_bucket[$__rate_interval])))`;

function decisionsStoredPanel(): SqlPanelSpec {
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title: 'Decisions stored, by alert event time',
    description: 'Decisions in ClickHouse per interval of their alerts\' event time, from the minute rollup: a gap here with traffic at the gateway means the writer is behind.',
    width: 8,
    sql: `SELECT ${timeBucket('minute')} AS time, sum(firing) AS decisions
    FROM sli_decisions_minute WHERE ${timeFilter('minute')}
    GROUP BY time ORDER BY time`,
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, { name: 'decisions', unit: 'short', min: 1 }],
  };
}

/** Queues, workers, scoring and the ClickHouse writer (docs/metrics.md). */
export function fleetHealthDashboard(): DashboardSpec {
  return {
    uid: 'hush-fleet-health',
    title: 'Hush — Fleet health',
    description: 'Queue depth, worker liveness, scoring throughput and latency, and the ClickHouse writer lag of every role.',
    tenantVariable: false,
    from: 'now-6h',
    panels: [
      prom('Queue depth (waiting jobs)', 'Jobs waiting per BullMQ queue: scale the role that consumes a queue that keeps growing.', 'short', [{ expr: 'sum by (queue) (hush_queue_jobs{state="waiting"})', legend: '{{queue}}' }]),
      prom('Active, delayed and failed jobs', 'Jobs being worked on, scheduled for later, and in the failed set (poison jobs with their reason).', 'short', [{ expr: 'sum by (queue, state) (hush_queue_jobs{state=~"active|delayed|failed"})', legend: '{{queue}} {{state}}' }]),
      prom('Processes up', 'Replicas answering /metrics, per Prometheus job (one job per role, docker/prometheus/prometheus.yml).', 'short', [{ expr: 'sum by (job) (up{job=~"hush-.+"})', legend: '{{job}}' }]),
      prom('Decisions per second', 'Scoring decisions by outcome and whether a model or the cold-start rule made them.', 'short', [{ expr: 'sum by (decision, model) (rate(hush_scoring_decisions_total[$__rate_interval]))', legend: '{{decision}} {{model}}' }]),
      prom('Scoring latency', 'Enqueue → decision p95 (SLO 140 ms) and dequeue → decision p99.', 's', [
        { expr: quantile(0.95, 'hush_scoring_e2e_latency_seconds'), legend: 'e2e p95' },
        { expr: quantile(0.99, 'hush_scoring_latency_seconds'), legend: 'dequeue → decision p99' },
      ]),
      prom('Gateway requests', 'HTTP requests answered per second, by status code.', 'short', [{ expr: 'sum by (status) (rate(hush_gateway_requests_total[$__rate_interval]))', legend: '{{status}}' }]),
      prom('ClickHouse writer lag (buffered rows)', 'Rows accepted by the batch writers and not yet stored, per table: grows while ClickHouse is slow or down (nothing is dropped).', 'short', [{ expr: 'sum by (table) (hush_clickhouse_buffered_rows)', legend: '{{table}}' }]),
      prom('ClickHouse insert retries', 'Failed inserts that were retried, per second and table.', 'short', [{ expr: 'sum by (table) (rate(hush_clickhouse_insert_retries_total[$__rate_interval]))', legend: '{{table}}' }]),
      prom('ClickHouse batch duration p95', 'First attempt → success of an insert batch, retries included.', 's', [{ expr: quantile(0.95, 'hush_clickhouse_batch_duration_seconds', 'le, table'), legend: '{{table}}' }]),
      decisionsStoredPanel(),
    ],
  };
}
