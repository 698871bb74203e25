import type { Redis } from 'ioredis';
import type { BatchWriter, EncodedRow } from '../../shared/clickhouse/batch-writer.js';
import type { JournalDrain } from '../../shared/clickhouse/journal-drain.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { createRedis } from '../../shared/redis/connection.js';
import { serviceUrls } from '../helpers/services.js';
import { createTestDatabase, type TestDatabase } from './clickhouse-test-db.js';

/** Real Redis and a fresh, migrated ClickHouse database for a journal test file. */
export async function journalServices(): Promise<{ redis: Redis; db: TestDatabase }> {
  const redis = createRedis(serviceUrls().redisUrl);
  const db = await createTestDatabase();
  await migrate(db.client);
  return { redis, db };
}

/** Stops (and forgets) a test's drains and their writers: a drain stops once its rows are inserted, the writers send them without their flush delay. */
export async function stopDrains(drains: JournalDrain[], writers: BatchWriter<EncodedRow>[]): Promise<void> {
  await Promise.all([...drains.splice(0).map((d) => d.stop()), ...writers.map((w) => w.stopDelaying())]);
  await Promise.all(writers.splice(0).map((w) => w.shutdown()));
}
