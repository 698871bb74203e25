import { Registry, collectDefaultMetrics } from 'prom-client';
import { describeConfig, loadConfig, type HushConfig } from '../config/config.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server.js';
import { coerceError } from '../errors/index.js';
import type { RoleStarter, RunningRole } from '../../workers/role.js';

/** Options of {@link hostRoles}. */
export interface RoleHostOptions {
  /** Roles to start in this process, by name. */
  roles: ReadonlyArray<readonly [string, RoleStarter]>;
  /** Overrides of the environment configuration. */
  config?: Partial<HushConfig>;
  /** Install SIGTERM/SIGINT handlers that stop gracefully and exit 0. @defaultValue `true` */
  handleSignals?: boolean;
}

/** A process hosting one or more roles behind one `/metrics` + `/healthz` endpoint. */
export interface RoleHost {
  readonly config: HushConfig;
  readonly logger: Logger;
  readonly metricsPort: number;
  /** Stops every role (reverse start order), then the metrics endpoint; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts roles in this process with shared config, logging and metrics; stops them on SIGTERM. */
export async function hostRoles(options: RoleHostOptions): Promise<RoleHost> {
  const config = loadConfig(options.config);
  const processName = options.roles.map(([name]) => name).join('+');
  const logger = createLogger(processName, config.logLevel);
  logger.info({ config: describeConfig(config) }, 'effective configuration');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hush_process_' });

  const running: RunningRole[] = [];
  let metrics: MetricsServer | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('stopping: finishing in-flight work');
      for (const role of [...running].reverse()) {
        try {
          await role.stop();
        } catch (thrown) {
          logger.error({ err: coerceError(thrown), role: role.name }, 'role failed to stop cleanly');
        }
      }
      await metrics?.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  try {
    for (const [name, start] of options.roles) {
      running.push(await start({ config, logger: logger.child({ role: name }), registry }));
      logger.info({ role: name }, 'role started');
    }
    const checks = Object.fromEntries(running.flatMap((role) => Object.entries(role.checks).map(([check, fn]) => [`${role.name}.${check}`, fn] as const)));
    metrics = await startMetricsServer({ registry, checks, host: config.metricsHost, port: config.metricsPort });
    logger.info({ port: metrics.port }, 'metrics and health endpoint listening');
  } catch (thrown) {
    await stop();
    throw thrown;
  }

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'signal received');
      void stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { config, logger, metricsPort: metrics.port, stop };
}
