export { startLocalServices, stopLocalServices } from './local-services.js';
export type {
  LocalServices,
  ServiceName,
  StartLocalServicesOptions,
  StopLocalServicesOptions,
  StoppedService,
} from './interfaces/local-services-options.js';
export { ensureDebianPackage, type EnsureDebianPackageOptions } from './ensure-debian-package.js';
export { redisService, redisArgs, type RedisServiceOptions } from './redis-launcher.js';
export { clickhouseService, clickhouseArgs, findClickHouseBinary, type ClickHouseServiceOptions } from './clickhouse-launcher.js';
export { pingRedis } from './redis-ping.js';
export { pingClickHouse } from './clickhouse-ping.js';
export {
  prometheusService,
  prometheusArgs,
  prometheusConfig,
  prometheusLayout,
  type PrometheusServiceOptions,
  type PrometheusScrapeJob,
  type PrometheusRemoteWrite,
  type PrometheusLayout,
} from './prometheus-launcher.js';
export { pingPrometheus } from './prometheus-ping.js';
export { resolveServiceHome, pidFilePath, PROJECT_ROOT } from './service-home.js';
