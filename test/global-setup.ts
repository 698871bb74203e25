import type { TestProject } from 'vitest/node';
import { startLocalServices, stopLocalServices } from '../shared/services/index.js';
import { TestRunLease } from './helpers/test-run-lease.js';
import './helpers/services.js';

/**
 * Starts (or finds) the real Redis and ClickHouse the tests run against and hands their URLs to test
 * files, both as `inject('hushRedisUrl' | 'hushClickhouseUrl')` and as HUSH_REDIS_URL /
 * HUSH_CLICKHOUSE_URL. At the end it stops only what a test run launched, once no other run uses it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startLocalServices();
  process.env.HUSH_REDIS_URL = services.redisUrl;
  process.env.HUSH_CLICKHOUSE_URL = services.clickhouseUrl;
  project.provide('hushRedisUrl', services.redisUrl);
  project.provide('hushClickhouseUrl', services.clickhouseUrl);
  const lease = new TestRunLease(services.home);
  lease.acquire(services.started);

  return async function teardown() {
    const owned = lease.release();
    if (owned.length > 0) await stopLocalServices({ home: services.home, services: owned });
  };
}
