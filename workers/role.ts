import type { Registry } from 'prom-client';
import type { HushConfig } from '../shared/config/config.js';
import type { Logger } from '../shared/observability/logger.js';
import type { HealthCheck } from '../shared/observability/metrics-server.js';

/** What a process role receives from the process that hosts it. */
export interface RoleContext {
  config: HushConfig;
  logger: Logger;
  /** The process's metrics registry; roles register their metrics here. */
  registry: Registry;
}

/** A started role: its health checks and a graceful stop (finish in-flight work, flush, close). */
export interface RunningRole {
  name: string;
  checks: Readonly<Record<string, HealthCheck>>;
  stop(): Promise<void>;
}

/** Starts one process role (gateway, scoring, outcomes, …). */
export type RoleStarter = (context: RoleContext) => Promise<RunningRole>;
