import type { ClickHouseClient } from '@clickhouse/client';
import { decisionRow, featureRow, msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { prng } from '../helpers/prng.js';

/** Shape of a stored, scored and labelled alert history. */
export interface HistoryOptions {
  n: number;
  /** Event time of the first alert; alerts are one minute apart. */
  start: number;
  /** First alert index (ids are `a-<index>`), so a second call can continue a history. @defaultValue 0 */
  offset?: number;
  /** P(actionable) of a critical (feature 0 = 1) and of another alert. @defaultValue [0.9, 0.05] */
  actionableRate?: readonly [number, number];
  /** Share of critical alerts. @defaultValue 0.2 */
  criticalShare?: number;
  /** Every this-many-th alert gets no outcome. @defaultValue 10 */
  unlabelledEvery?: number;
  seed?: number;
}

/**
 * Stores, as the scoring and outcomes workers would, a history of cold-start decisions with their
 * features and (mostly) outcomes. Feature 0 (critical) carries the signal; the rest is noise in [0, 4).
 */
export async function storeLabelledHistory(clickhouse: ClickHouseClient, tenant: string, options: HistoryOptions): Promise<void> {
  const { n, start, offset = 0, actionableRate = [0.9, 0.05], criticalShare = 0.2, unlabelledEvery = 10, seed = 7 } = options;
  const random = prng(seed + offset);
  const features = [];
  const decisions = [];
  const outcomes = [];
  for (let k = 0; k < n; k += 1) {
    const i = offset + k;
    const eventTime = start + k * 60_000;
    const values = new Float32Array(FEATURE_COUNT);
    const critical = random() < criticalShare ? 1 : 0;
    values[0] = critical;
    for (let f = 1; f < FEATURE_COUNT; f += 1) values[f] = Math.fround(random() * 4);
    const actionable = random() < actionableRate[critical ? 0 : 1];
    const alertId = `a-${i}`;
    features.push(featureRow({ tenant, alertId, eventTime, featureSchemaVersion: FEATURE_SCHEMA_VERSION, values }));
    decisions.push(decisionRow({ tenant, alertId, service: `svc-${i % 3}`, name: 'Rule', eventTime, modelId: '', modelVersion: 0, score: null, threshold: 0.5, decision: 'notify', shadowModelId: null, shadowScore: null, scoringLatencyUs: 1, e2eLatencyUs: 1, decidedAt: eventTime }));
    if (i % unlabelledEvery === unlabelledEvery - 1) continue;
    const at = eventTime + 3_600_000;
    outcomes.push({ tenant, alert_id: alertId, outcome: actionable ? 'actionable' : 'noise', at: toDateTime(at), at_ms: msPart(at), source: 'human', received_at: toDateTime(at), received_at_ms: msPart(at) });
  }
  await clickhouse.insert({ table: 'features', values: features, format: 'JSONEachRow' });
  await clickhouse.insert({ table: 'decisions', values: decisions, format: 'JSONEachRow' });
  await clickhouse.insert({ table: 'outcomes', values: outcomes, format: 'JSONEachRow' });
}
