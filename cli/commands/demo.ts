import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { startLocalServices } from '../../shared/services/index.js';
import { hostRoles } from '../../shared/process/role-host.js';
import { createRedis } from '../../shared/redis/connection.js';
import { clickHouseOptionsFromConfig, createClickHouseClient } from '../../shared/clickhouse/client.js';
import { usageError } from '../command-args.js';
import { UsageError } from '../errors/usage-error.js';
import { ROLES } from '../../workers/roles.js';
import { writeWorld } from '../../synth/index.js';
import { AlertmanagerGrouping, AutoPause, SeverityFilter } from '../../shared/baselines/index.js';
import { runLearningLoop } from '../loop/learning-loop.js';
import { removeRunQueues } from '../demo/run-queues.js';
import { formatReplayReport } from '../replay/replay-report.js';
import { scoreBaselinesOnStream } from '../replay/score-baselines.js';

const USAGE = 'hush demo [--days D] [--seed N]';

/** Share of the world's time replayed with outcomes (trained on); the rest is the live stream. */
const HISTORY_SHARE = 0.6;

const percent = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

/**
 * `hush demo`: services up, the whole fleet on local defaults, and the learning loop on a synthetic
 * world: cold start on its history, training, evaluation, then the live stream, beside the baselines.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'start local services and the fleet, run the learning loop on a synthetic world, print noise reduction, FNR and latency',
  usage: USAGE,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { days: { type: 'string', default: '7' }, seed: { type: 'string', default: '42' } } });
    } catch (err) {
      throw usageError((err as Error).message, USAGE);
    }
    const { values } = parsed;
    const days = Number(values.days);
    const seed = Number(values.seed);
    if (!Number.isInteger(days) || days < 2 || days > 90) throw new UsageError(`--days must be an integer in [2, 90], got "${values.days}"`);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got "${values.seed}"`);

    console.log('1/5 local services (Redis, ClickHouse)…');
    const services = await startLocalServices();
    console.log('2/5 fleet: every role in this process…');
    const runId = Date.now().toString(36);
    // Queues of this run only, removed at the end: nothing dispatches a demo's notifications.
    const queuePrefix = `hush-demo-${runId}`;
    const host = await hostRoles({ roles: Object.entries(ROLES), config: { gatewayPort: 0, metricsPort: 0, logLevel: 'warn', queuePrefix }, handleSignals: true });
    const worldDir = join(services.home, 'demo', `seed-${seed}-days-${days}`);
    const tenant = `demo-${runId}`;
    const redis = createRedis(host.config.redisUrl);
    const clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(host.config));
    try {
      console.log(`3/5 synthetic world: ${days} days, seed ${seed} → ${worldDir}`);
      const manifest = await writeWorld({ seed, days, out: worldDir });
      console.log(`    ${manifest.counts.firing} firing alerts, ${(manifest.noiseShare * 100).toFixed(1)}% noise by ground truth`);
      const start = Date.parse(manifest.start);
      const cutoff = start + Math.round((Date.parse(manifest.end) - start) * HISTORY_SHARE);
      console.log(`4/5 learning loop as tenant ${tenant}: history with outcomes (cold start), training, evaluation…`);
      const loop = await runLearningLoop({ worldDir, cutoff, tenant, redis, clickhouse, prefix: host.config.queuePrefix, log: (line) => console.log(`    ${line}`) });
      console.log(`\nCold start (history, no model yet: every alert notified, nothing suppressed blindly):\n${formatReplayReport(loop.history)}`);
      console.log(`\nModel ${loop.training.modelId}: trained in ${loop.trainSeconds.toFixed(1)} s; evaluation ${loop.evaluation.action}: ${loop.evaluation.reason}`);
      console.log(`\n5/5 live stream (no outcomes), judged against the held-back truth:\n${formatReplayReport(loop.live)}`);
      const baselines = await scoreBaselinesOnStream([new AlertmanagerGrouping(), new AutoPause(), new SeverityFilter()], loop.liveAlertsPath, loop.liveTruthPath, manifest.tenant);
      console.log('\nHeuristic baselines on the same live stream:');
      for (const b of baselines) console.log(`  ${b.baseline.padEnd(24)} noise reduction ${percent(b.noise_reduction)}  FNR ${percent(b.fnr)}`);
      console.log(`\nServices keep running (${services.redisUrl}, ${services.clickhouseUrl}); \`npx hush down\` stops them.`);
      return loop.live.lost === 0 ? 0 : 1;
    } finally {
      await clickhouse.close();
      await host.stop();
      try {
        const queues = await removeRunQueues(redis, queuePrefix);
        if ('kept' in queues) console.log(`${queues.rows} rows wait in ${queues.kept}; \`HUSH_QUEUE_PREFIX=${queuePrefix} npx hush worker scoring\` inserts them.`);
      } catch (error) {
        console.log(`The demo's queues stay in Redis under ${queuePrefix}:* (removing them failed: ${(error as Error).message}).`);
      }
      redis.disconnect();
    }
  },
};
