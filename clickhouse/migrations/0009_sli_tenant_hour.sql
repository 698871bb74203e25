-- Per-tenant, per-model hourly rollup of decisions: the same counters and states as 0006 without the
-- service and rule dimensions, so that 30-day SLO reports, model comparisons, latency percentiles and
-- the 6 h / 3 d burn-rate windows merge a few thousand t-digests rather than a million
-- (docs/analytics.md has the measured difference). Same exactness as 0006.
CREATE TABLE IF NOT EXISTS sli_tenant_hour (
  tenant String,
  model_id String,
  model_version UInt32,
  hour DateTime('UTC'),
  firing UInt64,
  suppressed UInt64,
  notified UInt64,
  cold_start UInt64,
  e2e_le AggregateFunction(sumForEach, Array(UInt64)),
  inference_le AggregateFunction(sumForEach, Array(UInt64)),
  freshness_le AggregateFunction(sumForEach, Array(UInt64)),
  e2e_us_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt32),
  inference_us_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt32),
  freshness_s_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64)
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant, hour, model_id, model_version);

-- Columns used inside the arrayMap lambdas are also used outside them (18.16 bug, see 0006).
CREATE MATERIALIZED VIEW IF NOT EXISTS sli_tenant_hour_mv TO sli_tenant_hour AS
SELECT
  tenant, model_id, model_version,
  toStartOfHour(event_time) AS hour,
  count() AS firing,
  countIf(decision = 'suppress') AS suppressed,
  countIf(decision = 'notify') AS notified,
  countIf(isNull(score)) AS cold_start,
  sumForEachState(arrayMap(b -> toUInt64(e2e_latency_us <= b * 1000), [5, 10, 25, 50, 100, 140, 250, 500, 1000, 2500, 5000, 10000])) AS e2e_le,
  sumForEachState(arrayMap(b -> toUInt64(scoring_latency_us <= b * 1000), [1, 2, 5, 10, 15, 25, 50, 100, 250, 1000])) AS inference_le,
  sumForEachState(arrayMap(b -> toUInt64(toInt64(decided_at) - toInt64(event_time) <= b), [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600])) AS freshness_le,
  quantilesTDigestState(0.5, 0.95, 0.99)(e2e_latency_us) AS e2e_us_q,
  quantilesTDigestState(0.5, 0.95, 0.99)(scoring_latency_us) AS inference_us_q,
  quantilesTDigestState(0.5, 0.95, 0.99)(greatest(toInt64(decided_at) - toInt64(event_time), toInt64(0))) AS freshness_s_q
FROM decisions
GROUP BY tenant, model_id, model_version, hour;
