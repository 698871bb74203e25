import { modelPerformanceSql } from '../../shared/clickhouse/queries/model-performance.js';
import type { ColumnSpec, DashboardSpec, SqlPanelSpec } from '../panel-spec.js';
import { TENANT, timeFilter } from '../sql/grafana-macros.js';
import { PLACEHOLDER, toPanelSql } from '../sql/shared-query-sql.js';
import { historyTablePanel } from './history-table-panel.js';

const SHARE: Omit<ColumnSpec, 'name'> = { unit: 'percentunit', min: 0, max: 1 };
const COUNT: Omit<ColumnSpec, 'name'> = { unit: 'short', min: 0 };

function modelVersionsPanel(): SqlPanelSpec {
  const shared = modelPerformanceSql({ from: PLACEHOLDER.from, to: PLACEHOLDER.to, tenant: PLACEHOLDER.tenant });
  return {
    source: 'clickhouse',
    kind: 'table',
    title: 'Model versions — $tenant',
    description: 'Each model version that decided alerts in the range (empty model = cold start, everything notified): noise reduction, FNR, precision of notify, latency.',
    width: 24,
    sql: toPanelSql(`SELECT model_id, model_version, firing, noise_reduction, labeled, fnr, precision, e2e_p95_ms, inference_p99_ms FROM (${shared})`, { tenant: true }),
    columns: [
      { name: 'model_id', unit: 'string' },
      { name: 'model_version', unit: 'none', min: 0 },
      { name: 'firing', unit: 'short', min: 1 },
      { name: 'noise_reduction', ...SHARE },
      { name: 'labeled', ...COUNT },
      { name: 'fnr', ...SHARE },
      { name: 'precision', ...SHARE },
      { name: 'e2e_p95_ms', unit: 'ms', min: 0 },
      { name: 'inference_p99_ms', unit: 'ms', min: 0 },
    ],
  };
}

function driftSharePanel(): SqlPanelSpec {
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title: 'Drifted feature share — $tenant',
    description: 'Share of evaluated features that drifted in each drift window, per model and window kind (docs/drift.md).',
    width: 12,
    sql: `SELECT window_end AS time, concat(model_id, ' ', toString(window_kind)) AS series, drifted_share
    FROM drift_reports FINAL
    WHERE tenant = ${TENANT} AND ${timeFilter('window_end')}
    ORDER BY time, series`,
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, { name: 'series', unit: 'string' }, { name: 'drifted_share', ...SHARE }],
  };
}

function driftReportsPanel(): SqlPanelSpec {
  return historyTablePanel({
    title: 'Drift reports — $tenant',
    description: 'The newest 100 drift windows ending in the range, with the features that drifted and whether the dataset as a whole did.',
    table: 'drift_reports',
    timeColumn: 'window_end',
    orderBy: 'window_end DESC, window_kind, kind, model_id',
    limit: 100,
    columns: [
      { name: 'window_end', unit: 'dateTimeAsIso' },
      { name: 'window_kind', unit: 'string' },
      { name: 'kind', unit: 'string' },
      { name: 'model_id', unit: 'string' },
      { name: 'rows', ...COUNT },
      { name: 'evaluated_features', ...COUNT },
      { name: 'drifted_share', ...SHARE },
      { name: 'dataset_drift', unit: 'none', min: 0, max: 1 },
      { name: 'drifted', unit: 'string', sql: "arrayStringConcat(drifted_features, ', ')" },
    ],
  });
}

/** Live performance per model version, and drift of the features it sees (docs/evaluation.md, docs/drift.md). */
export function modelPerformanceDriftDashboard(): DashboardSpec {
  return {
    uid: 'hush-model-performance-drift',
    title: 'Hush — Model performance & drift',
    description: 'Per model version: noise reduction, FNR, precision and latency from the rollups; drift reports of the drift-window role.',
    tenantVariable: true,
    from: 'now-7d',
    panels: [modelVersionsPanel(), driftSharePanel(), driftReportsPanel()],
  };
}
