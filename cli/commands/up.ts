import type { CliCommand } from '../command.js';
import { ensureDevToken } from '../../shared/auth/token-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import { startLocalServices, type StartLocalServicesOptions } from '../../shared/services/index.js';

/** `hush up`: local Redis and ClickHouse (installed when missing), and the `dev` tenant's token. */
export function createUpCommand(options: StartLocalServicesOptions = {}): CliCommand {
  return {
    name: 'up',
    summary: 'start local Redis and ClickHouse under .hush/ (installing them when missing) and print their URLs and the dev token',
    usage: 'hush up   (HUSH_HOME, HUSH_REDIS_URL, HUSH_CLICKHOUSE_URL choose the directory and ports)',
    async run(argv) {
      if (argv.length > 0) {
        console.error(`hush up: unexpected argument "${argv[0]}"`);
        return 2;
      }
      const services = await startLocalServices(options);
      const redis = createRedis(services.redisUrl, { maxRetriesPerRequest: 3 });
      let dev: { tenant: string; token: string };
      try {
        dev = await ensureDevToken(redis);
      } finally {
        redis.disconnect();
      }
      const started = services.started.length > 0 ? services.started.join(', ') : 'none (all were already running)';
      console.log(
        [
          `HUSH_REDIS_URL=${services.redisUrl}`,
          `HUSH_CLICKHOUSE_URL=${services.clickhouseUrl}`,
          `tenant ${dev.tenant} token: ${dev.token}   (local development only)`,
          `started: ${started}; data and logs in ${services.home}; \`hush down\` stops what hush started`,
        ].join('\n'),
      );
      return 0;
    },
  };
}

/** `hush up` with its defaults. */
export const upCommand: CliCommand = createUpCommand();
