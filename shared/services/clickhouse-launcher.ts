import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { clickhouseLayout, writeClickHouseConfig } from './clickhouse-config.js';
import { pingClickHouse } from './clickhouse-ping.js';
import { ensureDebianPackage } from './ensure-debian-package.js';
import type { ManagedService } from './managed-service.js';

/** Options of {@link clickhouseService}. */
export interface ClickHouseServiceOptions {
  /** The hush home; config goes to `<home>/clickhouse`, data to `<home>/clickhouse/data`. */
  home: string;
  /** @defaultValue `8124` */
  httpPort?: number;
  /** @defaultValue `9001` */
  tcpPort?: number;
  /** `clickhouse-server`, or the `clickhouse` multi-tool (run as `clickhouse server`). @defaultValue see {@link findClickHouseBinary} */
  binary?: string;
  /** Progress lines (package installation). @defaultValue writes to stderr */
  log?: (message: string) => void;
}

/** Where Debian's package (first) and the upstream packages put the server. */
export const CLICKHOUSE_BINARY_CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'] as const;

/** The first installed ClickHouse server binary, or undefined. */
export function findClickHouseBinary(candidates: readonly string[] = CLICKHOUSE_BINARY_CANDIDATES): string | undefined {
  return candidates.find((path) => existsSync(path));
}

/** The arguments that start `binary` with `configFile`; the multi-tool needs its `server` sub-command. */
export function clickhouseArgs(binary: string, configFile: string): string[] {
  const config = `--config-file=${configFile}`;
  return basename(binary) === 'clickhouse' ? ['server', config] : [config];
}

/** A ClickHouse server on 127.0.0.1 with its config, data and logs under `<home>/clickhouse`. */
export function clickhouseService(options: ClickHouseServiceOptions): ManagedService {
  const { home, httpPort, tcpPort, binary, log } = { httpPort: 8124, tcpPort: 9001, binary: undefined, log: undefined, ...options };
  const layout = clickhouseLayout(home);
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    name: 'clickhouse',
    description: `clickhouse-server on 127.0.0.1:${httpPort} (tcp ${tcpPort})`,
    url,
    logFiles: [layout.errorLogFile, layout.consoleLogFile],
    dir: layout.dir,
    ping: (timeoutMs) => pingClickHouse(url, timeoutMs),
    async prepare() {
      let resolved = binary ?? findClickHouseBinary();
      if (resolved === undefined) {
        resolved = CLICKHOUSE_BINARY_CANDIDATES[0];
        await ensureDebianPackage('clickhouse-server', resolved, log ? { log } : {});
      }
      writeClickHouseConfig(layout, httpPort, tcpPort);
      return { binary: resolved, args: clickhouseArgs(resolved, layout.configFile), logFile: layout.consoleLogFile, cwd: layout.dir };
    },
  };
}
