import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceDir } from './service-home.js';

/** Where one local ClickHouse keeps its files. */
export interface ClickHouseLayout {
  /** `<home>/clickhouse`: config.xml and users.xml. */
  dir: string;
  configFile: string;
  usersFile: string;
  /** `<home>/clickhouse/data/`: tables, metadata, tmp, user files, format schemas. */
  dataDir: string;
  logFile: string;
  errorLogFile: string;
  /** The process's own stdout/stderr (errors before the logger is configured land here). */
  consoleLogFile: string;
}

/** The file layout of a ClickHouse under `home`. */
export function clickhouseLayout(home: string): ClickHouseLayout {
  const dir = serviceDir(home, 'clickhouse');
  const logDir = join(dir, 'data', 'log');
  return {
    dir,
    configFile: join(dir, 'config.xml'),
    usersFile: join(dir, 'users.xml'),
    dataDir: join(dir, 'data'),
    logFile: join(logDir, 'clickhouse-server.log'),
    errorLogFile: join(logDir, 'clickhouse-server.err.log'),
    consoleLogFile: join(logDir, 'console.log'),
  };
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The server config: loopback only, the HTTP and native ports and nothing else (no interserver port),
 * every path inside the layout, logs rotated in the data dir, caches sized for a laptop. Valid for
 * ClickHouse 18.16 (Debian's) and current releases.
 */
export function clickhouseConfigXml(layout: ClickHouseLayout, httpPort: number, tcpPort: number): string {
  const data = `${layout.dataDir}/`;
  return `<?xml version="1.0"?>
<!-- Written by \`hush up\`; rewritten on every start. -->
<yandex>
  <logger>
    <level>warning</level>
    <log>${xmlText(layout.logFile)}</log>
    <errorlog>${xmlText(layout.errorLogFile)}</errorlog>
    <size>100M</size>
    <count>3</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${xmlText(data)}</path>
  <tmp_path>${xmlText(`${data}tmp/`)}</tmp_path>
  <user_files_path>${xmlText(`${data}user_files/`)}</user_files_path>
  <format_schema_path>${xmlText(`${data}format_schemas/`)}</format_schema_path>
  <users_config>${xmlText(layout.usersFile)}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

/** User `default` with an empty password, reachable from loopback only; default profile and quota. */
export function clickhouseUsersXml(): string {
  return `<?xml version="1.0"?>
<!-- Written by \`hush up\`; rewritten on every start. -->
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks>
        <ip>::1</ip>
        <ip>127.0.0.1</ip>
      </networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;
}

/** Creates the directories and writes config.xml and users.xml. */
export function writeClickHouseConfig(layout: ClickHouseLayout, httpPort: number, tcpPort: number): void {
  mkdirSync(join(layout.dataDir, 'log'), { recursive: true });
  writeFileSync(layout.configFile, clickhouseConfigXml(layout, httpPort, tcpPort));
  writeFileSync(layout.usersFile, clickhouseUsersXml());
}
