/** A local service that `hush up` manages. */
export type ServiceName = 'redis' | 'clickhouse';

/** Options of {@link startLocalServices}. */
export interface StartLocalServicesOptions {
  /** Directory for data, logs and PID files. @defaultValue `HUSH_HOME`, else `<project root>/.hush` */
  home?: string;
  /** Which services to start. @defaultValue `['redis', 'clickhouse']` */
  services?: readonly ServiceName[];
  /** Redis port on 127.0.0.1. @defaultValue the port of a loopback `HUSH_REDIS_URL`, else `6390` */
  redisPort?: number;
  /** ClickHouse HTTP port on 127.0.0.1. @defaultValue the port of a loopback `HUSH_CLICKHOUSE_URL`, else `8124` */
  clickhouseHttpPort?: number;
  /** ClickHouse native (TCP) port on 127.0.0.1. @defaultValue `9001` */
  clickhouseTcpPort?: number;
  /** How long a started service may take to answer before start fails. @defaultValue `60000` (ms) */
  readyTimeoutMs?: number;
  /** The `redis-server` binary; when set, nothing is installed. @defaultValue `/usr/bin/redis-server`, installed from Debian's `redis-server` when missing */
  redisBinary?: string;
  /** The ClickHouse server binary (`clickhouse-server`, or the `clickhouse` multi-tool); when set, nothing is installed. @defaultValue the first of `/usr/sbin/clickhouse-server`, `/usr/bin/clickhouse-server`, `/usr/bin/clickhouse`, installed from Debian's `clickhouse-server` when none exists */
  clickhouseBinary?: string;
  /** Where `HUSH_HOME`, `HUSH_REDIS_URL` and `HUSH_CLICKHOUSE_URL` are read from. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per progress step. @defaultValue writes `hush: <message>` to stderr */
  log?: (message: string) => void;
}

/** Options of {@link stopLocalServices}. */
export interface StopLocalServicesOptions {
  /** Directory whose PID files name the processes to stop. @defaultValue `HUSH_HOME`, else `<project root>/.hush` */
  home?: string;
  /** Which services to stop. @defaultValue `['redis', 'clickhouse']` */
  services?: readonly ServiceName[];
  /** Grace period between SIGTERM and SIGKILL. @defaultValue `15000` (ms) */
  stopTimeoutMs?: number;
  /** Where `HUSH_HOME` is read from. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per progress step. @defaultValue writes `hush: <message>` to stderr */
  log?: (message: string) => void;
}

/** What {@link startLocalServices} found or did. */
export interface LocalServices {
  redisUrl: string;
  clickhouseUrl: string;
  /** Services this call launched (and recorded as hush's own); services already answering are not listed. */
  started: ServiceName[];
  /** The home directory in use. */
  home: string;
}

/** One process {@link stopLocalServices} ended. */
export interface StoppedService {
  name: ServiceName;
  pid: number;
  /** `SIGKILL` when the process ignored SIGTERM for the whole grace period. */
  signal: 'SIGTERM' | 'SIGKILL';
}
