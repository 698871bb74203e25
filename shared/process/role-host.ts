import { constants as osConstants } from 'node:os';
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
  /**
   * Install SIGTERM/SIGINT handlers, from before the first role starts: the first signal stops gracefully
   * and exits 0 (1 past `HUSH_STOP_TIMEOUT_MS`), a second one exits at once. @defaultValue `true`
   */
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
  // The role being started, if any: a stop waits for it to come up and stops it too.
  let starting: Promise<unknown> = Promise.resolve();
  let waitingFor = 'nothing';

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('stopping: finishing in-flight work');
      await starting.catch(() => undefined);
      for (const role of [...running].reverse()) {
        waitingFor = `role ${role.name} to stop`;
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

  if (options.handleSignals ?? true) {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        logger.warn({ signal, waitingFor }, 'second signal: exiting at once, without finishing in-flight work');
        process.exit(128 + osConstants.signals[signal]);
      }
      signalled = true;
      logger.info({ signal }, 'signal received');
      setTimeout(() => {
        logger.error({ stopTimeoutMs: config.stopTimeoutMs, waitingFor }, 'not stopped within HUSH_STOP_TIMEOUT_MS: exiting without finishing');
        process.exit(1);
      }, config.stopTimeoutMs).unref();
      void stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  try {
    for (const [name, start] of options.roles) {
      if (stopping) break;
      waitingFor = `role ${name} to start`;
      const pending = start({ config, logger: logger.child({ role: name }), registry });
      starting = pending;
      running.push(await pending);
      logger.info({ role: name }, 'role started');
    }
    if (stopping) {
      // Signalled while starting: the signal handler exits the process once the roles are stopped.
      await stopping;
      return await new Promise<never>(() => undefined);
    }
    const checks = Object.fromEntries(running.flatMap((role) => Object.entries(role.checks).map(([check, fn]) => [`${role.name}.${check}`, fn] as const)));
    metrics = await startMetricsServer({ registry, checks, host: config.metricsHost, port: config.metricsPort });
    logger.info({ port: metrics.port }, 'metrics and health endpoint listening');
  } catch (thrown) {
    await stop();
    throw thrown;
  }

  return { config, logger, metricsPort: metrics.port, stop };
}
