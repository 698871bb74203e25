import { HushError } from '../errors/index.js';

/** Effective process configuration; every field has a documented environment variable and default. */
export interface HushConfig {
  /** `HUSH_REDIS_URL` @defaultValue `redis://127.0.0.1:6390` (the port `hush up` uses) */
  redisUrl: string;
  /** `HUSH_QUEUE_PREFIX`: BullMQ key prefix; use a `{hash tag}` on Redis Cluster. @defaultValue `hush` */
  queuePrefix: string;
  /** `HUSH_CLICKHOUSE_URL` @defaultValue `http://127.0.0.1:8124` (the port `hush up` uses) */
  clickhouseUrl: string;
  /** `HUSH_CLICKHOUSE_DATABASE` @defaultValue `hush` */
  clickhouseDatabase: string;
  /** `HUSH_CLICKHOUSE_USER` @defaultValue `default` */
  clickhouseUser: string;
  /** `HUSH_CLICKHOUSE_PASSWORD` (secret, masked when printed) @defaultValue empty */
  clickhousePassword: string;
  /** `HUSH_GATEWAY_HOST` @defaultValue `127.0.0.1` */
  gatewayHost: string;
  /** `HUSH_GATEWAY_PORT` @defaultValue `8080` */
  gatewayPort: number;
  /** `HUSH_GATEWAY_BODY_LIMIT`: largest accepted request body in bytes. @defaultValue `1048576` */
  gatewayBodyLimit: number;
  /** `HUSH_TOKENS`: `tenant=token` pairs separated by commas (secret, masked when printed). @defaultValue empty */
  tokens: ReadonlyMap<string, string>;
  /** `HUSH_METRICS_PORT`: `/metrics` and `/healthz` of worker roles (0 picks a free port). @defaultValue `9464` */
  metricsPort: number;
  /** `HUSH_METRICS_HOST` @defaultValue `127.0.0.1` */
  metricsHost: string;
  /** `HUSH_SCORING_CONCURRENCY`: jobs one scoring worker processes at once. @defaultValue `128` */
  scoringConcurrency: number;
  /**
   * `HUSH_SCORING_FETCHERS`: BullMQ workers one scoring process runs on the alerts queue, sharing
   * `HUSH_SCORING_CONCURRENCY` (never more than it). A BullMQ worker fetches its jobs one Redis round trip
   * at a time, and starts none of them until it has fetched as many as its concurrency allows or the queue
   * is empty: a single one holds jobs back whenever Redis answers late. @defaultValue `8`
   */
  scoringFetchers: number;
  /**
   * `HUSH_SCORING_MAX_ALERTS_IN_FLIGHT`: alerts one scoring worker works on at once, across its jobs;
   * bulk jobs beyond it wait their turn (with their locks renewed). @defaultValue `16384`
   */
  scoringMaxAlertsInFlight: number;
  /**
   * `HUSH_SCORING_FLUSH_MS`: longest a row of the scoring role's journal waits for its ClickHouse batch to
   * fill; no job waits for it (a job completes once its rows are staged in Redis). @defaultValue `1000`
   */
  scoringFlushMs: number;
  /**
   * `HUSH_JOURNAL_MAX_BYTES`: Redis memory the scoring role's row journal may take while ClickHouse is
   * slow or down; beyond it, scoring waits (backpressure). @defaultValue `1073741824` (1 GiB)
   */
  journalMaxBytes: number;
  /**
   * `HUSH_SCORING_STOP_GRACE_MS`: how long a stopping scoring replica, its jobs finished, keeps inserting
   * its journal rows into ClickHouse. If ClickHouse is still down then, it exits anyway and leaves those
   * rows in the journal for another replica or its restart. @defaultValue `20000`
   */
  scoringStopGraceMs: number;
  /**
   * `HUSH_STOP_TIMEOUT_MS`: how long a process, on SIGTERM or SIGINT, waits for its roles to stop (and a role
   * still starting to come up) before it exits 1 without them, e.g. while Redis is down and BullMQ cannot
   * close. Keep it above `HUSH_SCORING_STOP_GRACE_MS` and below the orchestrator's kill delay. @defaultValue `25000`
   */
  stopTimeoutMs: number;
  /**
   * `HUSH_JOB_LOCK_MS`: how long a worker's lock on a job lasts without renewal; a crashed worker's jobs
   * are handed to another worker within about 1.5× this (a retried job is harmless: scoring is idempotent).
   * @defaultValue `10000`
   */
  jobLockMs: number;
  /** `HUSH_DEFAULT_THRESHOLD`: score at or above which an alert is notified, until a service has its own. @defaultValue `0.5` */
  defaultThreshold: number;
  /** `HUSH_LOG_LEVEL` @defaultValue `info` */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Parser<T> = (raw: string, variable: string) => T;

const text: Parser<string> = (raw) => raw;

function integer(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new HushError('HUSH_ERR_CONFIG', `${variable} must be an integer in [${min}, ${max}], got "${raw}"`);
    }
    return value;
  };
}

function fraction(): Parser<number> {
  return (raw, variable) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new HushError('HUSH_ERR_CONFIG', `${variable} must be a number in [0, 1], got "${raw}"`);
    }
    return value;
  };
}

function url(protocols: readonly string[]): Parser<string> {
  return (raw, variable) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new HushError('HUSH_ERR_CONFIG', `${variable} must be a URL, got "${raw}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new HushError('HUSH_ERR_CONFIG', `${variable} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    }
    return raw;
  };
}

const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Parses `tenant=token,tenant2=token2`; a token maps to exactly one tenant. */
export const parseTokens: Parser<ReadonlyMap<string, string>> = (raw, variable) => {
  const byToken = new Map<string, string>();
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const tenant = pair.slice(0, eq);
    const token = pair.slice(eq + 1);
    if (eq <= 0 || !TENANT_PATTERN.test(tenant) || token.length < 8) {
      throw new HushError('HUSH_ERR_CONFIG', `${variable} entries must be tenant=token with a valid tenant and a token of 8+ characters, got "${pair.slice(0, 40)}"`);
    }
    byToken.set(token, tenant);
  }
  return byToken;
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const logLevel: Parser<HushConfig['logLevel']> = (raw, variable) => {
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new HushError('HUSH_ERR_CONFIG', `${variable} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
};

interface Setting<K extends keyof HushConfig> {
  variable: string;
  fallback: string;
  parse: Parser<HushConfig[K]>;
  secret?: boolean;
}

const SETTINGS: { [K in keyof HushConfig]: Setting<K> } = {
  redisUrl: { variable: 'HUSH_REDIS_URL', fallback: 'redis://127.0.0.1:6390', parse: url(['redis:', 'rediss:']) },
  queuePrefix: { variable: 'HUSH_QUEUE_PREFIX', fallback: 'hush', parse: text },
  clickhouseUrl: { variable: 'HUSH_CLICKHOUSE_URL', fallback: 'http://127.0.0.1:8124', parse: url(['http:', 'https:']) },
  clickhouseDatabase: { variable: 'HUSH_CLICKHOUSE_DATABASE', fallback: 'hush', parse: text },
  clickhouseUser: { variable: 'HUSH_CLICKHOUSE_USER', fallback: 'default', parse: text },
  clickhousePassword: { variable: 'HUSH_CLICKHOUSE_PASSWORD', fallback: '', parse: text, secret: true },
  gatewayHost: { variable: 'HUSH_GATEWAY_HOST', fallback: '127.0.0.1', parse: text },
  gatewayPort: { variable: 'HUSH_GATEWAY_PORT', fallback: '8080', parse: integer(0, 65535) },
  gatewayBodyLimit: { variable: 'HUSH_GATEWAY_BODY_LIMIT', fallback: '1048576', parse: integer(1024, 256 * 1024 * 1024) },
  tokens: { variable: 'HUSH_TOKENS', fallback: '', parse: parseTokens, secret: true },
  metricsPort: { variable: 'HUSH_METRICS_PORT', fallback: '9464', parse: integer(0, 65535) },
  metricsHost: { variable: 'HUSH_METRICS_HOST', fallback: '127.0.0.1', parse: text },
  scoringConcurrency: { variable: 'HUSH_SCORING_CONCURRENCY', fallback: '128', parse: integer(1, 10_000) },
  scoringFetchers: { variable: 'HUSH_SCORING_FETCHERS', fallback: '8', parse: integer(1, 64) },
  scoringMaxAlertsInFlight: { variable: 'HUSH_SCORING_MAX_ALERTS_IN_FLIGHT', fallback: '16384', parse: integer(1, 1_000_000) },
  scoringFlushMs: { variable: 'HUSH_SCORING_FLUSH_MS', fallback: '1000', parse: integer(0, 60_000) },
  journalMaxBytes: { variable: 'HUSH_JOURNAL_MAX_BYTES', fallback: '1073741824', parse: integer(1_048_576, Number.MAX_SAFE_INTEGER) },
  scoringStopGraceMs: { variable: 'HUSH_SCORING_STOP_GRACE_MS', fallback: '20000', parse: integer(0, 3_600_000) },
  stopTimeoutMs: { variable: 'HUSH_STOP_TIMEOUT_MS', fallback: '25000', parse: integer(1000, 3_600_000) },
  jobLockMs: { variable: 'HUSH_JOB_LOCK_MS', fallback: '10000', parse: integer(1000, 600_000) },
  defaultThreshold: { variable: 'HUSH_DEFAULT_THRESHOLD', fallback: '0.5', parse: fraction() },
  logLevel: { variable: 'HUSH_LOG_LEVEL', fallback: 'info', parse: logLevel },
};

/**
 * Resolves the configuration: explicit value, then environment variable, then default; validated once.
 * Throws `HUSH_ERR_CONFIG` naming the variable on the first invalid value.
 */
export function loadConfig(explicit: Partial<HushConfig> = {}, env: NodeJS.ProcessEnv = process.env): HushConfig {
  const resolved: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS) as (keyof HushConfig)[]) {
    const setting = SETTINGS[key] as Setting<typeof key>;
    const value = explicit[key];
    // Explicit values pass the same parser as the environment's, so "validated once" holds for both.
    resolved[key] =
      value === undefined
        ? setting.parse(env[setting.variable] ?? setting.fallback, setting.variable)
        : value instanceof Map
          ? setting.parse([...value].map(([token, tenant]) => `${tenant}=${token}`).join(','), setting.variable)
          : setting.parse(String(value), setting.variable);
  }
  return resolved as unknown as HushConfig;
}

/** The configuration as printed at start: secrets masked, maps flattened. */
export function describeConfig(config: HushConfig): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const key of Object.keys(SETTINGS) as (keyof HushConfig)[]) {
    const setting = SETTINGS[key];
    const value = config[key];
    if (setting.secret) {
      out[setting.variable] = value instanceof Map ? `${value.size} configured` : value === '' ? '' : '***';
    } else {
      out[setting.variable] = typeof value === 'number' ? value : String(value);
    }
  }
  return out;
}
