/**
 * `npm run load [-- --rate R] [--duration S] [--via sdk,gateway]`: starts local Redis + ClickHouse and the
 * ingest roles (gateway, scoring, outcomes, one process each), runs the k6 ingest script when k6 is
 * installed (otherwise says how to get it), then the Node driver through each `--via` at a constant rate.
 * Between phases the scoring backlog clears and the undispatched notifications are removed (LoadFleet.settle).
 * Figures go to stdout, progress and k6's own output to stderr; the last line is one JSON object.
 * Exits 1 when a run misses p95 < 140 ms or errors < 0.1%.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AlertSender } from './alert-sender.js';
import { loadAlert } from './alert-sender.js';
import { runConstantRate } from './constant-rate.js';
import { GatewaySender } from './gateway-sender.js';
import { findK6, k6InstallHint, runK6, type K6Figures } from './k6-runner.js';
import { startLoadFleet, type LoadFleet } from './load-fleet.js';
import { THRESHOLDS, formatFigures, loadFigures, type LoadFigures } from './load-report.js';
import { SdkSender } from './sdk-sender.js';

const VIAS = ['sdk', 'gateway'] as const;
type Via = (typeof VIAS)[number];

interface Options {
  rate: number;
  durationSeconds: number;
  via: Via[];
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { rate: { type: 'string', default: '2000' }, duration: { type: 'string', default: '60' }, via: { type: 'string', default: VIAS.join(',') } },
    strict: true,
  });
  const positive = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const via = values.via.split(',').map((v) => v.trim());
  const unknown = via.filter((v) => !(VIAS as readonly string[]).includes(v));
  if (unknown.length > 0) throw new Error(`--via takes a comma-separated subset of ${VIAS.join(',')}, got "${values.via}"`);
  return { rate: positive('rate', values.rate), durationSeconds: positive('duration', values.duration), via: via as Via[] };
}

const log = (message: string): void => void process.stderr.write(`load: ${message}\n`);

function senderFor(via: Via, fleet: LoadFleet): AlertSender {
  return via === 'gateway'
    ? new GatewaySender({ url: fleet.gatewayUrl, token: fleet.token })
    : new SdkSender({ tenant: fleet.tenant, redisUrl: fleet.redisUrl, prefix: fleet.prefix });
}

async function runK6IfInstalled(fleet: LoadFleet, options: Options, stop: AbortSignal): Promise<K6Figures | null> {
  const k6 = findK6();
  if (!k6) {
    console.log(k6InstallHint());
    return null;
  }
  log(`k6 (${k6}): ${options.rate} alerts/s for ${options.durationSeconds} s through the gateway`);
  const figures = await runK6(k6, fileURLToPath(new URL('ingest.k6.js', import.meta.url)), `${os.tmpdir()}/hush-k6-summary-${fleet.runId}.json`, {
    HUSH_GATEWAY_URL: fleet.gatewayUrl,
    HUSH_TOKEN: fleet.token,
    RATE: String(options.rate),
    DURATION_S: String(options.durationSeconds),
    RUN_ID: fleet.runId,
  }, stop);
  console.log(
    `k6       ${figures.requests} requests  p50 ${figures.p50Ms.toFixed(1)} ms  p95 ${figures.p95Ms.toFixed(1)} ms  p99 ${figures.p99Ms.toFixed(1)} ms  errors ${(figures.errorRate * 100).toFixed(3)}%  not sent on time ${figures.dropped}  ${figures.thresholdsPassed ? 'PASS' : 'FAIL'}`,
  );
  return figures;
}

async function runDriver(via: Via, fleet: LoadFleet, options: Options, stop: AbortSignal): Promise<LoadFigures> {
  const sender = senderFor(via, fleet);
  const runId = `${fleet.runId}-${via}`;
  log(`node driver via ${via}: ${options.rate} alerts/s for ${options.durationSeconds} s`);
  try {
    const result = await runConstantRate({ ratePerSecond: options.rate, durationSeconds: options.durationSeconds, send: (index) => sender.send(loadAlert(runId, index)), signal: stop });
    for (const [kind, count] of result.errorKinds) log(`  ${sender.name}: ${count} × ${kind}`);
    const figures = loadFigures(sender.name, result);
    console.log(formatFigures(figures));
    return figures;
  } finally {
    await sender.close();
  }
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  log('starting local services and the ingest roles (gateway, scoring, outcomes)…');
  const fleet = await startLoadFleet();
  log(`run ${fleet.runId}: tenant ${fleet.tenant}, queues under ${fleet.prefix}`);
  const stop = abortOnSignals();
  try {
    const k6 = await runK6IfInstalled(fleet, options, stop);
    const driver: LoadFigures[] = [];
    for (const via of options.via) {
      stop.throwIfAborted();
      if (k6 !== null || driver.length > 0) log(`between phases: ${await fleet.settle()} notifications no dispatcher took removed`);
      driver.push(await runDriver(via, fleet, options, stop));
    }
    stop.throwIfAborted();
    const alertsWaiting = await fleet.alertsWaiting();
    console.log(`scoring backlog at the end: ${alertsWaiting} alert jobs waiting (the machine: ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)})`);
    const passed = (k6?.thresholdsPassed ?? true) && driver.every((figures) => figures.passed);
    console.log(
      JSON.stringify({
        rate: options.rate,
        duration_s: options.durationSeconds,
        thresholds: { p95_ms: THRESHOLDS.p95Ms, error_rate: THRESHOLDS.errorRate },
        k6,
        driver,
        alerts_waiting_after: alertsWaiting,
        cpus: os.cpus().length,
        load_average: os.loadavg()[0],
        passed,
      }),
    );
    return passed ? 0 : 1;
  } catch (thrown) {
    if (stop.aborted) return stop.reason === 'SIGINT' ? 130 : 143;
    throw thrown;
  } finally {
    await fleet.dispose();
  }
}

/**
 * Ctrl-C or a CI timeout mid-run: the running phase stops (k6 too) and the run ends through its usual
 * cleanup, so its processes, queues, feature keys and database do not pile up in the local services.
 */
function abortOnSignals(): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping; removing this run's processes, queues, keys and database…`);
    controller.abort(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

main().then(
  (code) => process.exit(code),
  (thrown: unknown) => {
    console.error(thrown instanceof Error ? (thrown.stack ?? thrown.message) : thrown);
    process.exit(2);
  },
);
