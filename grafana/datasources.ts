import { CLICKHOUSE_PLUGIN } from './clickhouse-plugin.js';

/** Data sources the dashboards and alert rules refer to by uid. */
export const DATASOURCES = {
  clickhouse: { type: CLICKHOUSE_PLUGIN.id, uid: 'hush-clickhouse' },
  prometheus: { type: 'prometheus', uid: 'hush-prometheus' },
} as const;

/**
 * Grafana's data source provisioning file: ClickHouse over HTTP (port 8123, database `hush`) and
 * Prometheus, at the host names of the compose services. `$HUSH_CLICKHOUSE_PASSWORD` is read from
 * Grafana's environment when it starts (empty for the default user).
 */
export function datasourceProvisioning(): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Hush ClickHouse',
        ...DATASOURCES.clickhouse,
        access: 'proxy',
        isDefault: true,
        editable: false,
        jsonData: {
          version: CLICKHOUSE_PLUGIN.version,
          host: 'clickhouse',
          port: 8123,
          protocol: 'http',
          secure: false,
          username: 'default',
          defaultDatabase: 'hush',
        },
        secureJsonData: { password: '$HUSH_CLICKHOUSE_PASSWORD' },
      },
      {
        name: 'Hush Prometheus',
        ...DATASOURCES.prometheus,
        access: 'proxy',
        url: 'http://prometheus:9090',
        editable: false,
        jsonData: { timeInterval: '15s' },
      },
    ],
  };
}
