/** What a dashboard says, before it becomes Grafana JSON (dashboard-json.ts). */

/** How a result column is shown, and the range every value must lie in (the acceptance test checks it). */
export interface ColumnSpec {
  name: string;
  /** Grafana unit id. @defaultValue `'short'` */
  unit?: 'percentunit' | 'ms' | 's' | 'short' | 'none' | 'string' | 'dateTimeAsIso';
  min?: number;
  max?: number;
}

/** Visualisations the dashboards use. */
export type PanelKind = 'timeseries' | 'table';

interface PanelBase {
  title: string;
  description: string;
  kind: PanelKind;
  /** Grid columns out of 24. */
  width: number;
  /** Grid rows. @defaultValue `8` */
  height?: number;
}

/** A panel answered by ClickHouse through the plugin. */
export interface SqlPanelSpec extends PanelBase {
  source: 'clickhouse';
  /** SQL with the plugin's macros and the tenant variable (sql/grafana-macros.ts). */
  sql: string;
  /** Every column the SQL returns, in order. */
  columns: ColumnSpec[];
}

/** A panel answered by Prometheus. */
export interface PromPanelSpec extends PanelBase {
  source: 'prometheus';
  queries: { expr: string; legend: string }[];
  unit: NonNullable<ColumnSpec['unit']>;
}

export type PanelSpec = SqlPanelSpec | PromPanelSpec;

/** One provisioned dashboard. */
export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** Whether the dashboard has the `tenant` variable its SQL refers to. */
  tenantVariable: boolean;
  /** Default time range, Grafana relative syntax. */
  from: string;
  panels: PanelSpec[];
}
