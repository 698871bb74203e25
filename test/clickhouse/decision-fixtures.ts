import { decisionRow, type DecisionRecord, type DecisionRow } from '../../shared/clickhouse/rows.js';

/** A decision row for `alertId`, as the scoring path would record it. */
export function decision(tenant: string, alertId: string, overrides: Partial<DecisionRecord> = {}): DecisionRow {
  return decisionRow({
    tenant,
    alertId,
    service: 'checkout',
    name: 'HighLatency',
    eventTime: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
    modelId: 'gbt-7',
    modelVersion: 7,
    score: 0.25,
    threshold: 0.5,
    decision: 'suppress',
    shadowModelId: null,
    shadowScore: null,
    scoringLatencyUs: 140,
    e2eLatencyUs: 900,
    decidedAt: Date.UTC(2025, 2, 14, 9, 26, 54),
    ...overrides,
  });
}
