/**
 * Rollback benchmark (issue 3): `rollback_seconds`, from the registry's rollback call until every scoring
 * replica decides with the previous champion again, on a fleet of real `hush worker scoring` processes,
 * and `score_p99_ms` of the same fleet scoring a shadow challenger beside the champion.
 *
 *   npm run bench:rollback [-- --replicas N] [--rate ALERTS_PER_S] [--steady-seconds S]
 *
 * Figures go to stdout; the last line is one JSON object. Progress goes to stderr.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startLocalServices } from '../shared/services/index.js';
import { measureRollbackLatency } from './noise/rollback-latency.js';

const TARGETS = { rollback_seconds: 2, score_p99_ms: 5 } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { replicas: { type: 'string', default: '3' }, rate: { type: 'string', default: '200' }, 'steady-seconds': { type: 'string', default: '3' } },
    strict: true,
  });
  const services = await startLocalServices();
  const loadBefore = os.loadavg()[0] ?? 0;
  const result = await measureRollbackLatency({
    redisUrl: services.redisUrl,
    clickhouseUrl: services.clickhouseUrl,
    replicas: Number(values.replicas),
    alertsPerSecond: Number(values.rate),
    steadySeconds: Number(values['steady-seconds']),
  });
  const machine = { cpus: os.cpus().length, load_average_1m: Number(Math.max(loadBefore, os.loadavg()[0] ?? 0).toFixed(2)) };
  console.log(
    `rollback_seconds ${result.rollback_seconds.toFixed(3)} (target ≤ ${TARGETS.rollback_seconds}) over ${result.replicas} replicas: ` +
      result.replica_rollback_seconds.map((s) => s.toFixed(3)).join(', '),
  );
  console.log(`score_p99_ms ${result.score_p99_ms.toFixed(2)} (target ≤ ${TARGETS.score_p99_ms}) with a shadow challenger, over ${result.score_decisions} decisions`);
  console.log(`redis_ping_p99_ms ${result.redis_ping_p99_ms.toFixed(2)}: a bare Redis PING from an idle connection in the same window (${result.redis_pings} pings), the box's floor under score_p99_ms`);
  console.log(`machine: ${machine.cpus} cpus, 1-minute load average up to ${machine.load_average_1m} (other work on the machine inflates both figures)`);
  console.log(JSON.stringify({ ...result, targets: TARGETS, machine }));
}

main().catch((thrown: unknown) => {
  process.stderr.write(`bench:rollback failed: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}\n`);
  process.exit(1);
});
