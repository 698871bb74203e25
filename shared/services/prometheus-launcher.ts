import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HushError } from '../errors/index.js';
import { ensureDebianPackage } from './ensure-debian-package.js';
import type { ManagedService } from './managed-service.js';
import { pingPrometheus } from './prometheus-ping.js';

/** One scrape job: Prometheus reads `http://<target><metricsPath>` for each target. */
export interface PrometheusScrapeJob {
  /** The `job` label of the scraped series. */
  name: string;
  /** `host:port` of each endpoint, e.g. `127.0.0.1:9464`. */
  targets: readonly string[];
  /** @defaultValue `/metrics` */
  metricsPath?: string;
}

/** One remote-write destination, e.g. the Hush gateway's `/api/v1/metrics/write`. */
export interface PrometheusRemoteWrite {
  url: string;
  /** Sent as `Authorization: Bearer <token>` (a Hush tenant token). @defaultValue none */
  bearerToken?: string;
}

/** Options of {@link prometheusService}. */
export interface PrometheusServiceOptions {
  /** The hush home; config, data and log go to `<home>/prometheus`. */
  home: string;
  /** @defaultValue `9190` (not Prometheus's 9090, so a system Prometheus keeps its port) */
  port?: number;
  /** @defaultValue `/usr/bin/prometheus`, installed from Debian's `prometheus` when missing */
  binary?: string;
  /** How often every target is scraped. @defaultValue `15` (seconds) */
  scrapeIntervalSeconds?: number;
  /** Jobs besides the one Prometheus always has: scraping itself (job `prometheus`). @defaultValue `[]` */
  scrapeJobs?: readonly PrometheusScrapeJob[];
  /** Where scraped samples are also sent. @defaultValue `[]` */
  remoteWrite?: readonly PrometheusRemoteWrite[];
  /** Progress lines (package installation). @defaultValue writes to stderr */
  log?: (message: string) => void;
}

const DEFAULT_BINARY = '/usr/bin/prometheus';
const DEFAULTS = { port: 9190, binary: undefined, scrapeIntervalSeconds: 15, scrapeJobs: [], remoteWrite: [], log: undefined };

/** Where a launched Prometheus keeps its files under the hush home. */
export interface PrometheusLayout {
  dir: string;
  configFile: string;
  dataDir: string;
  logFile: string;
}

export function prometheusLayout(home: string): PrometheusLayout {
  const dir = join(home, 'prometheus');
  return { dir, configFile: join(dir, 'prometheus.yml'), dataDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') };
}

/**
 * The configuration document. It is written as JSON, which is YAML too, so no value (a token, a URL)
 * can change the document's structure through YAML quoting rules.
 */
export function prometheusConfig(options: Required<Pick<PrometheusServiceOptions, 'port' | 'scrapeIntervalSeconds' | 'scrapeJobs' | 'remoteWrite'>>): object {
  const interval = `${options.scrapeIntervalSeconds}s`;
  const self: PrometheusScrapeJob = { name: 'prometheus', targets: [`127.0.0.1:${options.port}`] };
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [self, ...options.scrapeJobs].map((job) => ({
      job_name: job.name,
      metrics_path: job.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...job.targets] }],
    })),
    remote_write: options.remoteWrite.map((destination) => ({
      url: destination.url,
      ...(destination.bearerToken === undefined ? {} : { authorization: { type: 'Bearer', credentials: destination.bearerToken } }),
    })),
  };
}

/** The arguments of a loopback-only Prometheus with the config and data of `layout`. */
export function prometheusArgs(port: number, layout: PrometheusLayout): string[] {
  return [
    `--config.file=${layout.configFile}`,
    `--storage.tsdb.path=${layout.dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ];
}

/**
 * A Prometheus server on 127.0.0.1 with its config, data and log under `<home>/prometheus`; it scrapes
 * itself and the given jobs and may remote-write what it scrapes. The config is rewritten from the
 * options at every `prepare()`.
 */
export function prometheusService(options: PrometheusServiceOptions): ManagedService {
  const settings = { ...DEFAULTS, ...options };
  const { home, port, binary, log } = settings;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HushError('HUSH_ERR_CONFIG', `prometheusService option port must be an integer port in [1, 65535], got ${port}`);
  if (!Number.isInteger(settings.scrapeIntervalSeconds) || settings.scrapeIntervalSeconds < 1) {
    throw new HushError('HUSH_ERR_CONFIG', `prometheusService option scrapeIntervalSeconds must be a positive integer, got ${settings.scrapeIntervalSeconds}`);
  }
  const layout = prometheusLayout(home);
  const url = `http://127.0.0.1:${port}`;
  return {
    name: 'prometheus',
    description: `prometheus on 127.0.0.1:${port}`,
    url,
    logFiles: [layout.logFile],
    dir: layout.dir,
    ping: (timeoutMs) => pingPrometheus(url, timeoutMs),
    async prepare() {
      const resolved = binary ?? DEFAULT_BINARY;
      if (binary === undefined) await ensureDebianPackage('prometheus', DEFAULT_BINARY, log ? { log } : {});
      mkdirSync(layout.dataDir, { recursive: true });
      writeFileSync(layout.configFile, `${JSON.stringify(prometheusConfig(settings), null, 2)}\n`);
      return { binary: resolved, args: prometheusArgs(port, layout), logFile: layout.logFile, cwd: layout.dir };
    },
  };
}
