import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { usageError } from '../command-args.js';
import { UsageError } from '../errors/usage-error.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { createRedis } from '../../shared/redis/connection.js';
import { clickHouseOptionsFromConfig, createClickHouseClient } from '../../shared/clickhouse/client.js';
import type { ClickHouseClient } from '@clickhouse/client';
import { HushError, coerceError } from '../../shared/errors/index.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { requireReadableFile } from '../replay/ndjson-reader.js';
import { replay } from '../replay/replay.js';
import { buildReplayReport, formatReplayReport } from '../replay/replay-report.js';

const USAGE = `hush replay <alerts.ndjson> [--outcomes outcomes.ndjson] [--truth truth.ndjson] [--tenant T] [--single] [--json]
  --outcomes FILE   feedback replayed in event-time order beside the alerts
  --truth FILE      ground truth (hush synth truth.ndjson) for FNR and precision
  --tenant T        tenant of the stream (default demo)
  --single          one job per alert instead of chunks of 500
  --json            print the report as one JSON object`;

/** `hush replay`: pushes a recorded stream through the running fleet and reports its decisions. */
export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'replay an NDJSON alert stream through the running fleet and wait for every decision',
  usage: USAGE,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          outcomes: { type: 'string' },
          truth: { type: 'string' },
          tenant: { type: 'string', default: 'demo' },
          single: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      });
    } catch (err) {
      throw usageError((err as Error).message, USAGE);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw usageError('expected exactly one alerts file', USAGE);
    if (!TENANT_PATTERN.test(values.tenant)) throw new UsageError(`--tenant must match ${TENANT_PATTERN}, got "${values.tenant}"`);
    const alertsPath = positionals[0] as string;
    // The truth file is read only once every decision is in: check it, and the others, before replaying.
    for (const path of [alertsPath, values.outcomes, values.truth]) if (path !== undefined) await requireReadableFile(path);
    const config = loadConfig();
    const redis = createRedis(config.redisUrl);
    // A failure is reported once, by the check below or the command that fails; unlistened, ioredis prints every retry.
    redis.on('error', () => undefined);
    const clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
    try {
      await requireServices(config, clickhouse);
      const result = await replay({
        alertsPath,
        ...(values.outcomes ? { outcomesPath: values.outcomes } : {}),
        tenant: values.tenant,
        redis,
        clickhouse,
        prefix: config.queuePrefix,
        single: values.single,
      });
      for (const line of result.rejected.slice(0, 5)) console.error(`rejected ${line.file}:${line.line}: ${line.message}`);
      if (result.rejected.length > 5) console.error(`… and ${result.rejected.length - 5} more rejected lines`);
      const report = await buildReplayReport(result, values.truth);
      console.log(values.json ? JSON.stringify(report) : formatReplayReport(report));
      return result.lost === 0 ? 0 : 1;
    } finally {
      redis.disconnect();
      await clickhouse.close();
    }
  },
};

/**
 * Fails with `HUSH_ERR_UNAVAILABLE`, naming the setting, when Redis or ClickHouse does not answer: the
 * replay's own connection waits for Redis to come back, which suits a blip mid-replay, not a wrong URL.
 */
async function requireServices(config: HushConfig, clickhouse: ClickHouseClient): Promise<void> {
  const probe = createRedis(config.redisUrl, { maxRetriesPerRequest: 1 });
  // The connection's own error (ECONNREFUSED …) says more than the command's "max retries" one.
  let connectionError: Error | undefined;
  probe.on('error', (error: Error) => (connectionError = error));
  try {
    await probe.ping();
  } catch (thrown) {
    const cause = connectionError ?? coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `Redis (HUSH_REDIS_URL) does not answer: ${cause.message}; \`npx hush up\` starts the local services`, { cause });
  } finally {
    probe.disconnect();
  }
  const ping = await clickhouse.ping();
  if (!ping.success) {
    throw new HushError('HUSH_ERR_UNAVAILABLE', `ClickHouse (HUSH_CLICKHOUSE_URL) does not answer: ${ping.error.message}; \`npx hush up\` starts the local services`, { cause: ping.error });
  }
}
