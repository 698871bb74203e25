import type { Dashboard, DataSourceRef, FieldConfigSource, Panel, VariableModel } from '@grafana/schema';
import { CLICKHOUSE_PLUGIN } from './clickhouse-plugin.js';
import { DATASOURCES } from './datasources.js';
import type { ColumnSpec, DashboardSpec, PanelSpec } from './panel-spec.js';

/** Dashboard JSON schema version of Grafana 11.6, the version `@grafana/schema` 11.6 describes. */
const SCHEMA_VERSION = 41;
const GRID_COLUMNS = 24;
const DEFAULT_HEIGHT = 8;

/** The query behind the `tenant` variable: every tenant with decisions. */
export const TENANT_VARIABLE_SQL = 'SELECT DISTINCT tenant FROM sli_tenant_hour ORDER BY tenant';

function datasourceOf(panel: PanelSpec): DataSourceRef {
  return { ...DATASOURCES[panel.source] };
}

function targetsOf(panel: PanelSpec): Record<string, unknown>[] {
  if (panel.source === 'prometheus') {
    return panel.queries.map((q, i) => ({ refId: String.fromCharCode(65 + i), datasource: datasourceOf(panel), expr: q.expr, legendFormat: q.legend, range: true }));
  }
  const timeseries = panel.kind === 'timeseries';
  return [{
    refId: 'A',
    datasource: datasourceOf(panel),
    pluginVersion: CLICKHOUSE_PLUGIN.version,
    editorType: 'sql',
    queryType: timeseries ? 'timeseries' : 'table',
    // The plugin's Format enum: 0 time series, 1 table.
    format: timeseries ? 0 : 1,
    rawSql: panel.sql,
  }];
}

function columnOverride(column: ColumnSpec): FieldConfigSource['overrides'][number] {
  const properties = [
    { id: 'unit', value: column.unit ?? 'short' },
    ...(column.min === undefined ? [] : [{ id: 'min', value: column.min }]),
    ...(column.max === undefined ? [] : [{ id: 'max', value: column.max }]),
  ];
  return { matcher: { id: 'byName', options: column.name }, properties };
}

/**
 * Defaults from the first value column: a time series splits long results into one field per label
 * set (`noise_reduction tenant=acme`), which by-name overrides do not match.
 */
function fieldConfigOf(panel: PanelSpec): FieldConfigSource {
  if (panel.source === 'prometheus') return { defaults: { unit: panel.unit }, overrides: [] };
  const value = panel.columns.find((c) => c.unit !== 'string' && c.unit !== 'dateTimeAsIso');
  const defaults = value === undefined ? {} : { unit: value.unit ?? 'short', min: value.min, max: value.max };
  return { defaults, overrides: panel.columns.map(columnOverride) };
}

function optionsOf(panel: PanelSpec): Record<string, unknown> {
  if (panel.kind === 'table') return { showHeader: true, cellHeight: 'sm' };
  return { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'desc' } };
}

/** Panels left to right, a new row whenever the next one does not fit. */
function layout(panels: readonly PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((panel, i) => {
    const h = panel.height ?? DEFAULT_HEIGHT;
    if (x + panel.width > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: panel.width, h };
    x += panel.width;
    rowHeight = Math.max(rowHeight, h);
    return {
      id: i + 1,
      type: panel.kind,
      title: panel.title,
      description: panel.description,
      gridPos,
      datasource: datasourceOf(panel),
      targets: targetsOf(panel),
      fieldConfig: fieldConfigOf(panel),
      options: optionsOf(panel),
    };
  });
}

function tenantVariable(): VariableModel {
  return {
    type: 'query',
    name: 'tenant',
    label: 'Tenant',
    datasource: { ...DATASOURCES.clickhouse },
    query: TENANT_VARIABLE_SQL,
    refresh: 1,
    sort: 1,
    multi: false,
    includeAll: false,
    hide: 0,
    skipUrlSync: false,
    options: [],
  };
}

/** The provisioned dashboard JSON of a spec, typed by Grafana's own schema. */
export function dashboardJson(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['hush'],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: '1m',
    time: { from: spec.from, to: 'now' },
    annotations: { list: [] },
    templating: { list: spec.tenantVariable ? [tenantVariable()] : [] },
    panels: layout(spec.panels),
  };
}
