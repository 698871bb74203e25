import { randomUUID } from 'node:crypto';
import { createClickHouseClient, dropDatabase, ensureDatabase, type ClickHouseClient, type ClickHouseOptions } from '../../shared/clickhouse/client.js';

/** The server the tests use: the shared test service, or HUSH_CLICKHOUSE_URL. */
export const CLICKHOUSE_URL = process.env.HUSH_CLICKHOUSE_URL ?? 'http://127.0.0.1:8124';

/** A fresh `hush_test_<random>` database; `drop()` removes it. */
export interface TestDatabase {
  options: ClickHouseOptions;
  client: ClickHouseClient;
  drop: () => Promise<void>;
}

export async function createTestDatabase(overrides: Partial<ClickHouseOptions> = {}): Promise<TestDatabase> {
  const options: ClickHouseOptions = {
    url: CLICKHOUSE_URL,
    database: `hush_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    username: process.env.HUSH_CLICKHOUSE_USER ?? 'default',
    password: process.env.HUSH_CLICKHOUSE_PASSWORD ?? '',
    ...overrides,
  };
  await ensureDatabase(options);
  const client = createClickHouseClient(options);
  return {
    options,
    client,
    drop: async () => {
      await client.close();
      await dropDatabase(options);
    },
  };
}
