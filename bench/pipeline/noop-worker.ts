/**
 * The reference of the pipeline benchmark: a BullMQ worker on the `alerts` queue whose processor returns
 * at once, configured like the scoring role (same env variables, connection and concurrency), so the
 * difference to scoring is exactly the scoring work. Runs until SIGTERM/SIGINT.
 */
import { Worker } from 'bullmq';
import { loadConfig } from '../../shared/config/config.js';
import { createRedis } from '../../shared/redis/connection.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';

const config = loadConfig();
const connection = createRedis(config.redisUrl);
const worker = new Worker(QUEUE_NAMES.alerts, async () => undefined, {
  connection,
  prefix: config.queuePrefix,
  concurrency: config.scoringConcurrency,
});
worker.on('error', (err) => process.stderr.write(`noop worker error: ${err.message}\n`));

const stop = (): void => {
  void worker.close().then(
    () => {
      connection.disconnect();
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
