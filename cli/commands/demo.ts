import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { startLocalServices } from '../../shared/services/index.js';
import { hostRoles } from '../../shared/process/role-host.js';
import { createRedis } from '../../shared/redis/connection.js';
import { clickHouseOptionsFromConfig, createClickHouseClient } from '../../shared/clickhouse/client.js';
import { HushError } from '../../shared/errors/index.js';
import { ROLES } from '../../workers/roles.js';
import { writeWorld, WORLD_FILES } from '../../synth/index.js';
import { replay } from '../replay/replay.js';
import { buildReplayReport, formatReplayReport } from '../replay/replay-report.js';

const USAGE = 'hush demo [--days D] [--seed N]';

/** `hush demo`: services up, the whole fleet on local defaults, a synthetic stream replayed, a summary. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'start local services and the fleet, replay a synthetic stream, print noise reduction, FNR and latency',
  usage: USAGE,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { days: { type: 'string', default: '7' }, seed: { type: 'string', default: '42' } } });
    } catch (err) {
      throw new HushError('HUSH_ERR_VALIDATION', `${(err as Error).message}\nusage: ${USAGE}`);
    }
    const { values } = parsed;
    const days = Number(values.days);
    const seed = Number(values.seed);
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new HushError('HUSH_ERR_VALIDATION', `--days must be an integer in [1, 90], got "${values.days}"`);
    if (!Number.isInteger(seed) || seed < 0) throw new HushError('HUSH_ERR_VALIDATION', `--seed must be a non-negative integer, got "${values.seed}"`);

    console.log('1/4 local services (Redis, ClickHouse)…');
    const services = await startLocalServices();
    console.log('2/4 fleet: gateway, scoring, outcomes…');
    const host = await hostRoles({ roles: Object.entries(ROLES), config: { gatewayPort: 0, metricsPort: 0, logLevel: 'warn' }, handleSignals: true });
    const out = join(services.home, 'demo', `seed-${seed}-days-${days}`);
    const tenant = `demo-${Date.now().toString(36)}`;
    try {
      console.log(`3/4 synthetic world: ${days} days, seed ${seed} → ${out}`);
      const manifest = await writeWorld({ seed, days, out });
      console.log(`    ${manifest.counts.firing} firing alerts, ${(manifest.noiseShare * 100).toFixed(1)}% noise by ground truth`);
      console.log(`4/4 replaying as tenant ${tenant} (alerts + outcomes, event-time order)…`);
      const redis = createRedis(host.config.redisUrl);
      const clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(host.config));
      try {
        const result = await replay({
          alertsPath: join(out, WORLD_FILES.alerts),
          outcomesPath: join(out, WORLD_FILES.outcomes),
          tenant,
          redis,
          clickhouse,
          prefix: host.config.queuePrefix,
        });
        const report = await buildReplayReport(result, join(out, WORLD_FILES.truth));
        console.log(`\n${formatReplayReport(report)}`);
        console.log(
          report.suppressed === 0
            ? '\nCold start: no model is trained for this tenant yet, so every alert is notified and nothing is suppressed blindly.'
            : '',
        );
        console.log(`Services keep running (${services.redisUrl}, ${services.clickhouseUrl}); \`npx hush down\` stops them.`);
        return result.lost === 0 ? 0 : 1;
      } finally {
        redis.disconnect();
        await clickhouse.close();
      }
    } finally {
      await host.stop();
    }
  },
};
