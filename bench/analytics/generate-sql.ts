import { sqlNumber } from '../../shared/clickhouse/sql-escape.js';

/**
 * The benchmark's synthetic day, generated inside ClickHouse from `numbers()` so that 30M rows never
 * pass through Node. Everything is a hash of the alert's global number `g`, so a run is reproducible.
 * Shape: 8 tenants, each with 200 (service, rule) series (20 services × 10 rules) firing with
 * probability ∝ 1/rank (a few flapping rules make most of the noise, as in real alert streams), one
 * model version per 10-day period (cold start for one tenant on day 0), ~50% suppressed,
 * latencies with rare spikes, a `--label-share` of alerts labelled an hour later.
 */
const SERIES_PER_TENANT = 200;

export interface DaySpec {
  day: number;
  perDay: number;
  /** epoch seconds of day 0, 00:00 UTC */
  start: number;
  /** 1 in `labelEvery` alerts gets an outcome. */
  labelEvery: number;
}

function base(spec: DaySpec): string {
  const g = `(${sqlNumber(spec.day * spec.perDay)} + number)`;
  return `SELECT
      ${g} AS g,
      cityHash64(g, 1) AS h1, cityHash64(g, 2) AS h2, cityHash64(g, 3) AS h3, cityHash64(g, 4) AS h4,
      concat('tenant-', toString(h1 % 8)) AS tenant,
      concat('b', toString(g)) AS alert_id,
      toUInt32(exp(((h2 % 100000) / 100000) * log(${sqlNumber(SERIES_PER_TENANT)}))) - 1 AS k,
      concat('svc-', toString(k % 20)) AS service,
      concat('rule-', toString(intDiv(k, 20))) AS name,
      toDateTime(${sqlNumber(spec.start + spec.day * 86400)} + intDiv(number * 86400, ${sqlNumber(spec.perDay)})) AS event_time,
      (h3 % 10000) / 10000 AS u
    FROM numbers(${sqlNumber(spec.perDay)})`;
}

/** One day of decisions; the SLI materialized views fill the rollups as it is inserted. */
export function insertDecisionsSql(spec: DaySpec): string {
  const version = 1 + Math.floor(spec.day / 10);
  return `INSERT INTO decisions
    SELECT tenant, alert_id, service, name, event_time, toUInt16(h4 % 1000) AS event_time_ms,
      if(cold, '', ${`'gbt-${version}'`}) AS model_id, if(cold, 0, ${sqlNumber(version)}) AS model_version,
      if(cold, NULL, toFloat32(u)) AS score, toFloat32(0.5) AS threshold,
      CAST(if(NOT cold AND u < 0.5, 'suppress', 'notify') AS Enum8('notify' = 1, 'suppress' = 2)) AS decision,
      '' AS shadow_model_id, CAST(NULL AS Nullable(Float32)) AS shadow_score,
      toUInt32(200 + h4 % 3000 + if(h4 % 1000 = 7, 40000, 0)) AS scoring_latency_us,
      toUInt32(2000 + (h4 / 1000) % 100000 + if(h4 % 50 = 3, 200000, 0)) AS e2e_latency_us,
      event_time + (h4 % 30) + if(h4 % 200 = 11, 120, 0) AS decided_at
    FROM (SELECT *, ${spec.day === 0 ? "tenant = 'tenant-7'" : '0'} AS cold FROM (${base(spec)}))`;
}

/** The same day's labels: actionable mostly where the score is high, a few percent of the suppressed too. */
export function insertOutcomesSql(spec: DaySpec): string {
  return `INSERT INTO outcomes
    SELECT tenant, alert_id,
      CAST(if(((h4 / 7) % 1000) / 1000 < if(u >= 0.5, 0.6, 0.02), 'actionable', 'noise') AS Enum8('actionable' = 1, 'noise' = 2)) AS outcome,
      event_time + 3600 AS at, toUInt16(0) AS at_ms,
      CAST('human' AS Enum8('human' = 1, 'incident' = 2, 'auto' = 3)) AS source,
      event_time + 3600 AS received_at, toUInt16(0) AS received_at_ms
    FROM (${base(spec)})
    WHERE h4 % ${sqlNumber(spec.labelEvery)} = 0`;
}
