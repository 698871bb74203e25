import type { ServiceName } from './interfaces/local-services-options.js';

/** A service a launcher describes: those `hush up` manages, and Prometheus, which tests and operators start on demand. */
export type LaunchedServiceName = ServiceName | 'prometheus';

/** How to run a server process: resolved after the binary is installed and its config is written. */
export interface LaunchCommand {
  binary: string;
  args: string[];
  /** Receives the process's stdout and stderr. */
  logFile: string;
  cwd: string;
}

/** One local service as the start/stop logic sees it; built by a launcher. */
export interface ManagedService {
  name: LaunchedServiceName;
  /** For messages, e.g. `redis-server on 127.0.0.1:6390`. */
  description: string;
  /** The URL clients use. */
  url: string;
  /** Files that explain a failed start. */
  logFiles: readonly string[];
  /** The server's working directory: with its program, how hush tells the server it launched from any other process. */
  dir: string;
  /** Whether the service answers on its port. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Installs the binary when missing, creates directories and config, and says how to launch it. */
  prepare(): Promise<LaunchCommand>;
}

/**
 * Text every process of a service has in `/proc/<pid>/cmdline`; checked before a recorded PID is
 * signalled, so a PID reused by an unrelated process is never killed.
 */
export const PROGRAM_MARKERS: Readonly<Record<LaunchedServiceName, string>> = {
  redis: 'redis-server',
  clickhouse: 'clickhouse',
  prometheus: 'prometheus',
};
