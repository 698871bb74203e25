/**
 * The reference of the pipeline benchmark: BullMQ workers on the `alerts` queue whose processor returns at
 * once, configured like the scoring role (same env variables, connection, concurrency and fetchers), so
 * the difference to scoring is exactly the scoring work. Runs until SIGTERM/SIGINT.
 */
import { Worker } from 'bullmq';
import { loadConfig } from '../../shared/config/config.js';
import { createRedis } from '../../shared/redis/connection.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { fetcherConcurrencies } from '../../workers/scoring/fetcher-concurrency.js';

const config = loadConfig();
const connection = createRedis(config.redisUrl);
const workers = fetcherConcurrencies(config.scoringConcurrency, config.scoringFetchers).map((concurrency, i) => {
  const worker = new Worker(QUEUE_NAMES.alerts, async () => undefined, { connection, prefix: config.queuePrefix, skipStalledCheck: i > 0, concurrency });
  worker.on('error', (err) => process.stderr.write(`noop worker error: ${err.message}\n`));
  return worker;
});

const stop = (): void => {
  void Promise.all(workers.map((worker) => worker.close())).then(
    () => {
      connection.disconnect();
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
