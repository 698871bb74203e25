import type { ColumnSpec, SqlPanelSpec } from '../panel-spec.js';
import { TENANT, timeFilter } from '../sql/grafana-macros.js';

/** A result column, with the SQL expression behind it when it is not a plain column of the table. */
export type HistoryColumn = ColumnSpec & { sql?: string };

/** A table of one tenant's rows of a history table (ReplacingMergeTree, read `FINAL`) in the range. */
export interface HistoryTable {
  title: string;
  description: string;
  table: string;
  /** The time column the range filters on. */
  timeColumn: string;
  orderBy: string;
  columns: HistoryColumn[];
  /** @defaultValue `200` */
  limit?: number;
}

/** The table panel of a history table: the SQL selects exactly the declared columns. */
export function historyTablePanel(table: HistoryTable): SqlPanelSpec {
  const select = table.columns.map((c) => (c.sql === undefined ? c.name : `${c.sql} AS ${c.name}`)).join(', ');
  return {
    source: 'clickhouse',
    kind: 'table',
    title: table.title,
    description: table.description,
    width: 12,
    sql: `SELECT ${select}
    FROM ${table.table} FINAL
    WHERE tenant = ${TENANT} AND ${timeFilter(table.timeColumn)}
    ORDER BY ${table.orderBy}
    LIMIT ${table.limit ?? 200}`,
    columns: table.columns.map(({ sql: _sql, ...column }) => column),
  };
}
