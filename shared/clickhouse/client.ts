import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { HushConfig } from '../config/config.js';
import { HushError, coerceError } from '../errors/index.js';
import { clickHouseErrorCode } from './clickhouse-error.js';
import { sqlIdentifier } from './sql-escape.js';

const DATABASE_ALREADY_EXISTS = 82;

export type { ClickHouseClient } from '@clickhouse/client';

/** How to reach one Hush database. */
export interface ClickHouseOptions {
  /** Server HTTP URL. @defaultValue from `HUSH_CLICKHOUSE_URL` */
  url: string;
  /** Database every statement runs in. @defaultValue from `HUSH_CLICKHOUSE_DATABASE` */
  database: string;
  /** @defaultValue from `HUSH_CLICKHOUSE_USER` */
  username: string;
  /** @defaultValue from `HUSH_CLICKHOUSE_PASSWORD` */
  password: string;
  /** Per-request socket timeout in ms. @defaultValue `30000` */
  requestTimeoutMs?: number;
  /**
   * gzip request bodies (inserts) and responses. On loopback it only costs CPU on both ends.
   * @defaultValue `true`, `false` for a loopback URL
   */
  compression?: boolean;
  /** Sockets kept open to the server. @defaultValue `10` */
  maxOpenConnections?: number;
  /** Extra settings for every statement; only settings 18.16 knows (it rejects unknown ones). */
  settings?: ClickHouseSettings;
}

/**
 * Settings every Hush statement runs with; all exist on 18.16 and current releases.
 * 64-bit integers come back as JSON numbers (counts and epoch-ms fit in 2^53), and unknown
 * JSONEachRow fields are an error rather than silently dropped columns.
 */
export const DEFAULT_CLICKHOUSE_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  input_format_skip_unknown_fields: 0,
};

/** Connection options from the process configuration. */
export function clickHouseOptionsFromConfig(config: Pick<HushConfig, 'clickhouseUrl' | 'clickhouseDatabase' | 'clickhouseUser' | 'clickhousePassword'>): ClickHouseOptions {
  return {
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
  };
}

/** A client bound to `options.database`. Its own logging is off: callers log errors with context. */
export function createClickHouseClient(options: ClickHouseOptions): ClickHouseClient {
  if (!options.database) throw new HushError('HUSH_ERR_CONFIG', 'HUSH_CLICKHOUSE_DATABASE must not be empty');
  const compression = options.compression ?? !isLoopback(options.url);
  return createClient({
    url: options.url,
    database: options.database,
    username: options.username,
    password: options.password,
    request_timeout: options.requestTimeoutMs ?? 30_000,
    max_open_connections: options.maxOpenConnections ?? 10,
    compression: { request: compression, response: compression },
    application: 'hush',
    clickhouse_settings: { ...DEFAULT_CLICKHOUSE_SETTINGS, ...options.settings },
    log: { level: ClickHouseLogLevel.OFF },
  });
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false; // The client reports the malformed URL itself.
  }
}

/** Creates `options.database` if it is missing (through the server's `default` database). */
export async function ensureDatabase(options: ClickHouseOptions): Promise<void> {
  const admin = createClickHouseClient({ ...options, database: 'default' });
  try {
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(options.database)}` });
  } catch (thrown) {
    // Two processes starting at once can both pass 18.16's IF NOT EXISTS check; the loser sees 82.
    if (clickHouseErrorCode(thrown) === DATABASE_ALREADY_EXISTS) return;
    throw new HushError('HUSH_ERR_CLICKHOUSE', `cannot create ClickHouse database "${options.database}" at ${options.url}: ${coerceError(thrown).message}`, { cause: thrown });
  } finally {
    await admin.close();
  }
}

/** Drops `options.database` if it exists (tests and `hush down --purge`). */
export async function dropDatabase(options: ClickHouseOptions): Promise<void> {
  const admin = createClickHouseClient({ ...options, database: 'default' });
  try {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(options.database)}` });
  } finally {
    await admin.close();
  }
}
