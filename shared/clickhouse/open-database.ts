import type { HushConfig } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, ensureDatabase, type ClickHouseClient } from './client.js';
import { migrate } from './migrator.js';

/** Connects to the configured database, creating it and applying pending migrations (idempotent). */
export async function openDatabase(config: HushConfig, logger?: Logger): Promise<ClickHouseClient> {
  const options = clickHouseOptionsFromConfig(config);
  await ensureDatabase(options);
  const client = createClickHouseClient(options);
  try {
    await migrate(client, logger ? { logger } : {});
  } catch (thrown) {
    await client.close();
    throw thrown;
  }
  return client;
}
