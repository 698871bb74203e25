import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadConfig } from '../../shared/config/config.js';
import { createRedis } from '../../shared/redis/connection.js';
import { clickHouseOptionsFromConfig, createClickHouseClient } from '../../shared/clickhouse/client.js';
import { HushError } from '../../shared/errors/index.js';
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
      throw new HushError('HUSH_ERR_VALIDATION', `${(err as Error).message}\nusage: ${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new HushError('HUSH_ERR_VALIDATION', `expected exactly one alerts file\nusage: ${USAGE}`);
    if (!TENANT_PATTERN.test(values.tenant)) throw new HushError('HUSH_ERR_VALIDATION', `--tenant must match ${TENANT_PATTERN}, got "${values.tenant}"`);
    const alertsPath = positionals[0] as string;
    // The truth file is read only once every decision is in: check it, and the others, before replaying.
    for (const path of [alertsPath, values.outcomes, values.truth]) if (path !== undefined) await requireReadableFile(path);
    const config = loadConfig();
    const redis = createRedis(config.redisUrl);
    const clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
    try {
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
