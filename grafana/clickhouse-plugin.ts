/**
 * The Grafana ClickHouse data source plugin the provisioning is written for, pinned: panel SQL relies
 * on its macro expansion (`$__timeFilter`, `$__fromTime`, `$__toTime`, `$__interval_s`), and its
 * `jsonData` keys are those of the 4.x configuration. 4.11.1 supports Grafana 10.4 … 11.x.
 */
export const CLICKHOUSE_PLUGIN = { id: 'grafana-clickhouse-datasource', version: '4.11.1' } as const;

/** `GF_INSTALL_PLUGINS` value for the official Grafana image: the plugin at its pinned version. */
export const GF_INSTALL_PLUGINS = `${CLICKHOUSE_PLUGIN.id} ${CLICKHOUSE_PLUGIN.version}`;
