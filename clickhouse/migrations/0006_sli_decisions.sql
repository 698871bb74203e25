-- Per-minute and per-hour SLI rollups of decisions (docs/analytics.md), kept by materialized views so
-- dashboards and burn-rate queries never rescan raw decisions. Counts are summed on merge
-- (SummingMergeTree); AggregateFunction columns are merged as AggregatingMergeTree would.
-- *_le columns hold cumulative counts per bucket bound (e2e ms, inference ms, freshness s, bounds as in
-- shared/slo/sli-buckets.ts): element i = decisions at or under bound i. Read with sumForEachMerge.
-- Exactness: an MV sees every inserted block, so a decision inserted twice (a retried batch whose
-- first attempt did commit) is counted twice here, while decisions FINAL shows it once; 18.16 only
-- deduplicates retried blocks on Replicated tables. freshness = decided_at - event time, decided_at in
-- whole seconds, so values under one second are rounded down.
-- 18.16 reads a column used only inside a lambda as missing ("Unknown identifier"); every column the
-- arrayMap lambdas use is therefore also used by a quantile state outside them. Keep it that way.
CREATE TABLE IF NOT EXISTS sli_decisions_minute (
  tenant String,
  service String,
  name String,
  model_id String,
  model_version UInt32,
  minute DateTime('UTC'),
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
PARTITION BY toYYYYMM(minute)
ORDER BY (tenant, minute, service, name, model_id, model_version);

CREATE MATERIALIZED VIEW IF NOT EXISTS sli_decisions_minute_mv TO sli_decisions_minute AS
SELECT
  tenant, service, name, model_id, model_version,
  toStartOfMinute(event_time) AS minute,
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
GROUP BY tenant, service, name, model_id, model_version, minute;

CREATE TABLE IF NOT EXISTS sli_decisions_hour (
  tenant String,
  service String,
  name String,
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
ORDER BY (tenant, hour, service, name, model_id, model_version);

CREATE MATERIALIZED VIEW IF NOT EXISTS sli_decisions_hour_mv TO sli_decisions_hour AS
SELECT
  tenant, service, name, model_id, model_version,
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
GROUP BY tenant, service, name, model_id, model_version, hour;
