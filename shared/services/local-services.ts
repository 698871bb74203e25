import { HushError } from '../errors/index.js';
import { clickhouseService } from './clickhouse-launcher.js';
import type {
  LocalServices,
  ServiceName,
  StartLocalServicesOptions,
  StopLocalServicesOptions,
  StoppedService,
} from './interfaces/local-services-options.js';
import { loopbackPort } from './loopback-port.js';
import type { ManagedService } from './managed-service.js';
import { redisService } from './redis-launcher.js';
import { checkRunDirectory, ensureWritableHome, pidFilePath, resolveServiceHome, serviceDir } from './service-home.js';
import { ensureServiceRunning, stopRecordedService } from './service-runner.js';

const ALL_SERVICES: readonly ServiceName[] = ['redis', 'clickhouse'];

const writeToStderr = (message: string): void => {
  process.stderr.write(`hush: ${message}\n`);
};

const START_DEFAULTS = {
  services: ALL_SERVICES,
  clickhouseTcpPort: 9001,
  readyTimeoutMs: 60_000,
  env: process.env,
  log: writeToStderr,
} satisfies StartLocalServicesOptions;

const STOP_DEFAULTS = {
  services: ALL_SERVICES,
  stopTimeoutMs: 15_000,
  env: process.env,
  log: writeToStderr,
} satisfies StopLocalServicesOptions;

/**
 * Starts Redis and ClickHouse on loopback ports with their data under the hush home, installing them
 * from Debian's packages when missing, and waits until they answer. Idempotent: a service already
 * answering on its port is reused, neither restarted nor recorded as hush's own. A URL variable
 * (`HUSH_REDIS_URL`, `HUSH_CLICKHOUSE_URL`) pointing at another host means that service is external
 * and is not managed.
 */
export async function startLocalServices(options: StartLocalServicesOptions = {}): Promise<LocalServices> {
  const settings = { ...START_DEFAULTS, ...options };
  const { env, log } = settings;
  for (const [option, value] of [['redisPort', settings.redisPort], ['clickhouseHttpPort', settings.clickhouseHttpPort], ['clickhouseTcpPort', settings.clickhouseTcpPort]] as const) {
    if (value !== undefined) checkPort(option, value);
  }
  if (!(settings.readyTimeoutMs > 0)) throw new HushError('HUSH_ERR_CONFIG', `readyTimeoutMs must be a positive number of milliseconds, got ${settings.readyTimeoutMs}`);
  checkServices(settings.services);
  const home = resolveServiceHome(settings.home, env);

  const redisPort = settings.redisPort ?? loopbackPort(env.HUSH_REDIS_URL, 6379, 'HUSH_REDIS_URL');
  const httpPort = settings.clickhouseHttpPort ?? loopbackPort(env.HUSH_CLICKHOUSE_URL, 8123, 'HUSH_CLICKHOUSE_URL');
  const redis = redisPort === null ? null : redisService({ home, port: redisPort ?? 6390, binary: settings.redisBinary, log });
  const clickhouse = httpPort === null
    ? null
    : clickhouseService({ home, httpPort: httpPort ?? 8124, tcpPort: settings.clickhouseTcpPort, binary: settings.clickhouseBinary, log });

  const started: ServiceName[] = [];
  // One after the other: two package installations at once would fight over the dpkg lock.
  for (const [name, service, externalUrl] of [['redis', redis, env.HUSH_REDIS_URL], ['clickhouse', clickhouse, env.HUSH_CLICKHOUSE_URL]] as const) {
    if (!settings.services.includes(name)) continue;
    if (!service) {
      log(`${name} is external (${maskUrl(externalUrl ?? '')}); not managed by hush`);
      continue;
    }
    ensureWritableHome(home);
    if ((await ensureServiceRunning(service, pidFilePath(home, name), settings.readyTimeoutMs, log)) === 'started') started.push(name);
  }
  return { redisUrl: urlOf(redis, env.HUSH_REDIS_URL), clickhouseUrl: urlOf(clickhouse, env.HUSH_CLICKHOUSE_URL), started, home };
}

/**
 * Stops the services hush launched from this home (those with a PID file), SIGKILLing any that ignore
 * SIGTERM for `stopTimeoutMs`, and removes their PID files. Services hush did not start are untouched.
 * @throws HushError `HUSH_ERR_CONFIG` when the home's PID-file directory cannot be read or written.
 */
export async function stopLocalServices(options: StopLocalServicesOptions = {}): Promise<{ stopped: StoppedService[]; home: string }> {
  const settings = { ...STOP_DEFAULTS, ...options };
  if (!(settings.stopTimeoutMs >= 0)) throw new HushError('HUSH_ERR_CONFIG', `stopTimeoutMs must be a number of milliseconds >= 0, got ${settings.stopTimeoutMs}`);
  checkServices(settings.services);
  const home = resolveServiceHome(settings.home, settings.env);
  checkRunDirectory(home);
  // Both at once: each waits for its own process to exit.
  const results = await Promise.all(
    settings.services.map((name) => stopRecordedService(name, pidFilePath(home, name), serviceDir(home, name), settings.stopTimeoutMs, settings.log)),
  );
  return { stopped: results.filter((r): r is StoppedService => r !== null), home };
}

function urlOf(service: ManagedService | null, externalUrl: string | undefined): string {
  return service ? service.url : (externalUrl ?? '');
}

function checkPort(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new HushError('HUSH_ERR_CONFIG', `${option} must be an integer port in [1, 65535], got ${value}`);
  }
}

function checkServices(services: readonly string[]): void {
  const unknown = services.filter((s) => !ALL_SERVICES.includes(s as ServiceName));
  if (unknown.length > 0) throw new HushError('HUSH_ERR_CONFIG', `services must name ${ALL_SERVICES.join(' and/or ')}, got "${unknown.join(', ')}"`);
}

function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw;
  }
}
