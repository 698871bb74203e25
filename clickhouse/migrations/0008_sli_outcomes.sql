-- Per-minute (alert event minute) rollup of outcomes joined to their decisions: the FNR and precision
-- numerators. The MV joins each inserted block of outcomes to the decisions made in the 2 days up to
-- the newest decision (partition pruning on decision_lookup keeps that read small; 18.16 has no
-- dictionaries from DDL and a Join table would hold every decision in memory). Hence, honestly:
-- an outcome counts only if its decision was stored before it and at most 2 days before the newest
-- decision; every outcome row counts (a relabelled alert counts once per label; a retried outcome
-- batch that did commit counts twice). docs/analytics.md gives the exact reconciliation query.
CREATE TABLE IF NOT EXISTS sli_outcomes_minute (
  tenant String,
  service String,
  name String,
  model_id String,
  model_version UInt32,
  minute DateTime('UTC'),
  labeled UInt64,
  actionable UInt64,
  actionable_suppressed UInt64,
  noise_notified UInt64,
  noise_suppressed UInt64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (tenant, minute, service, name, model_id, model_version);

CREATE MATERIALIZED VIEW IF NOT EXISTS sli_outcomes_minute_mv TO sli_outcomes_minute AS
SELECT
  tenant, service, name, model_id, model_version, minute,
  count() AS labeled,
  countIf(outcome = 'actionable') AS actionable,
  countIf(outcome = 'actionable' AND decision = 'suppress') AS actionable_suppressed,
  countIf(outcome = 'noise' AND decision = 'notify') AS noise_notified,
  countIf(outcome = 'noise' AND decision = 'suppress') AS noise_suppressed
FROM outcomes
ANY INNER JOIN (
  SELECT tenant, alert_id, service, name, model_id, model_version, minute, decision
  FROM decision_lookup
  WHERE decided_at >= (SELECT max(decided_at) FROM decision_lookup) - INTERVAL 2 DAY
) USING (tenant, alert_id)
GROUP BY tenant, service, name, model_id, model_version, minute;

CREATE TABLE IF NOT EXISTS sli_outcomes_hour (
  tenant String,
  service String,
  name String,
  model_id String,
  model_version UInt32,
  hour DateTime('UTC'),
  labeled UInt64,
  actionable UInt64,
  actionable_suppressed UInt64,
  noise_notified UInt64,
  noise_suppressed UInt64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant, hour, service, name, model_id, model_version);

-- 18.16 does not cascade: rows an MV writes into sli_outcomes_minute do not trigger MVs on that table,
-- so the hourly rollup repeats the join (twice the lookup cost per outcome block, measured in
-- docs/analytics.md).
CREATE MATERIALIZED VIEW IF NOT EXISTS sli_outcomes_hour_mv TO sli_outcomes_hour AS
SELECT
  tenant, service, name, model_id, model_version,
  toStartOfHour(minute) AS hour,
  count() AS labeled,
  countIf(outcome = 'actionable') AS actionable,
  countIf(outcome = 'actionable' AND decision = 'suppress') AS actionable_suppressed,
  countIf(outcome = 'noise' AND decision = 'notify') AS noise_notified,
  countIf(outcome = 'noise' AND decision = 'suppress') AS noise_suppressed
FROM outcomes
ANY INNER JOIN (
  SELECT tenant, alert_id, service, name, model_id, model_version, minute, decision
  FROM decision_lookup
  WHERE decided_at >= (SELECT max(decided_at) FROM decision_lookup) - INTERVAL 2 DAY
) USING (tenant, alert_id)
GROUP BY tenant, service, name, model_id, model_version, hour;
