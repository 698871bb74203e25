/**
 * `npm run bench:gateway [-- --requests N] [--concurrency C] [--rate R] [--duration S] [--cpu-prof DIR]`:
 * the gateway's CPU cost per single-alert `POST /api/v1/alerts`. Starts `hush worker gateway` as a child
 * on the local Redis (own queue prefix, removed afterwards) and, as the baseline of the same run, a bare
 * `node:http` server that reads, parses and answers the same requests (the floor any Node gateway pays).
 * Both get N requests at a fixed concurrency (CPU per request from /proc/<pid>/stat, so the figure holds
 * on a busy machine), then the gateway gets a constant-rate phase for its latency percentiles.
 * Figures go to stdout; the last line is one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadAlert } from '../test/load/alert-sender.js';
import { runConstantRate } from '../test/load/constant-rate.js';
import { GatewaySender } from '../test/load/gateway-sender.js';
import { summariseLatency } from '../test/load/latency-summary.js';
import { HushProcess, REPO_ROOT, hushEnvironment, type HushEnv } from '../test/helpers/fleet.js';
import { deleteKeysUnder } from '../test/helpers/redis-prefix.js';
import { startLocalServices } from '../shared/services/index.js';

interface Options {
  requests: number;
  concurrency: number;
  rate: number;
  durationSeconds: number;
  cpuProfDir: string | undefined;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '64' },
      rate: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '10' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const positive = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  return {
    requests: positive('requests', values.requests),
    concurrency: positive('concurrency', values.concurrency),
    rate: positive('rate', values.rate),
    durationSeconds: positive('duration', values.duration),
    cpuProfDir: values['cpu-prof'],
  };
}

const log = (message: string): void => void process.stderr.write(`bench:gateway: ${message}\n`);

/** `getconf CLK_TCK`: 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process (all its threads) in µs, from /proc/<pid>/stat. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the `(comm)` that may hold spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

interface ClosedLoopFigures {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
}

/** `requests` sends, `concurrency` at a time; the target's CPU time over the run divided by the requests. */
async function closedLoop(pid: number, send: (index: number) => Promise<void>, requests: number, concurrency: number): Promise<ClosedLoopFigures> {
  let next = 0;
  let errors = 0;
  const cpuBefore = cpuMicros(pid);
  const start = performance.now();
  const lane = async (): Promise<void> => {
    while (next < requests) {
      const index = next++;
      await send(index).catch(() => void (errors += 1));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMicros(pid) - cpuBefore;
  return { requests, errors, requestsPerSecond: requests / seconds, cpuMicrosPerRequest: cpu / requests };
}

/** The baseline: a bare HTTP server that reads the body, parses the JSON and answers 202 with a small JSON body. */
const FLOOR_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const alert = JSON.parse(body);
    const out = JSON.stringify({ accepted: [{ index: 0, id: alert.id, status: alert.status }], rejected: [] });
    res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
// Dies with the bench: its stdin is the bench's pipe.
process.stdin.resume().on('end', () => process.exit(0));
`;

async function startFloorServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', FLOOR_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').once('data', (line: string) => resolve(Number(line.trim())));
    child.once('exit', (code) => reject(new Error(`the baseline server exited (${code}) before listening`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/**
 * `hush worker gateway` as a child (like the tests' `startWorker`, which cannot pass `--cpu-prof`:
 * Node refuses it in NODE_OPTIONS); resolves once it listens.
 */
async function startGateway(env: HushEnv, cpuProfDir: string | undefined): Promise<HushProcess> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/hush.js', 'worker', 'gateway'], { cwd: REPO_ROOT, env: hushEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = new HushProcess('gateway', child);
  // A bench that dies must not leave a gateway behind.
  process.once('exit', () => void (proc.alive && child.kill('SIGKILL')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 120 s:\n${proc.tail()}`)), 120_000);
    void proc.exited.then((exit) => reject(new Error(`the gateway exited (${JSON.stringify(exit)}) while starting:\n${proc.tail()}`)));
    proc.onLogLine((line) => {
      const address = line.msg === 'gateway listening' ? (line.address as { port?: number }[] | undefined) : undefined;
      if (address?.[0]?.port === undefined) return;
      proc.gatewayPort = address[0].port;
      clearTimeout(timer);
      resolve();
    });
  }).catch(async (thrown: unknown) => {
    await proc.kill9();
    throw thrown;
  });
  return proc;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const services = await startLocalServices();
  const runId = randomBytes(4).toString('hex');
  const tenant = `bench-${runId}`;
  const token = `bench-token-${randomBytes(12).toString('hex')}`;
  const env: HushEnv = {
    redisUrl: services.redisUrl,
    clickhouseUrl: services.clickhouseUrl,
    clickhouseDatabase: `hush_bench_gateway_${runId}`,
    queuePrefix: `hush-bench-gateway-${runId}`,
    tokens: { [tenant]: token },
  };
  const warmup = Math.min(5_000, options.requests);
  const floor = await startFloorServer();
  const gateway = await startGateway(env, options.cpuProfDir);
  try {
    const floorSender = new GatewaySender({ url: floor.url, token, connections: options.concurrency });
    const gatewaySender = new GatewaySender({ url: gateway.gatewayUrl, token, connections: options.concurrency });
    const sendTo = (sender: GatewaySender, phase: string) => (index: number) => sender.send(loadAlert(`${runId}-${phase}`, index));

    log(`warming up (${warmup} requests each)`);
    await closedLoop(floor.child.pid ?? -1, sendTo(floorSender, 'floor-warm'), warmup, options.concurrency);
    await closedLoop(gateway.pid, sendTo(gatewaySender, 'warm'), warmup, options.concurrency);

    log(`closed loop: ${options.requests} requests at concurrency ${options.concurrency}`);
    const base = await closedLoop(floor.child.pid ?? -1, sendTo(floorSender, 'floor'), options.requests, options.concurrency);
    const loop = await closedLoop(gateway.pid, sendTo(gatewaySender, 'loop'), options.requests, options.concurrency);

    log(`constant rate: ${options.rate} requests/s for ${options.durationSeconds} s`);
    const cpuBefore = cpuMicros(gateway.pid);
    const rated = await runConstantRate({ ratePerSecond: options.rate, durationSeconds: options.durationSeconds, send: sendTo(gatewaySender, 'rate') });
    const ratedCpu = (cpuMicros(gateway.pid) - cpuBefore) / rated.offered;
    const latency = summariseLatency(rated.latenciesMs);
    await Promise.all([floorSender.close(), gatewaySender.close()]);

    const load = os.loadavg()[0] ?? 0;
    console.log(`baseline (bare node:http)  ${base.cpuMicrosPerRequest.toFixed(0)} µs CPU/request  ${base.requestsPerSecond.toFixed(0)} requests/s`);
    console.log(
      `gateway                    ${loop.cpuMicrosPerRequest.toFixed(0)} µs CPU/request  ${loop.requestsPerSecond.toFixed(0)} requests/s  errors ${loop.errors}  (${(loop.cpuMicrosPerRequest / base.cpuMicrosPerRequest).toFixed(1)}× the baseline)`,
    );
    console.log(
      `gateway at ${options.rate}/s          ${ratedCpu.toFixed(0)} µs CPU/request  p50 ${latency.p50.toFixed(1)} ms  p95 ${latency.p95.toFixed(1)} ms  p99 ${latency.p99.toFixed(1)} ms  errors ${rated.errors}/${rated.offered}`,
    );
    console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(2)}`);
    console.log(
      JSON.stringify({
        requests: options.requests,
        concurrency: options.concurrency,
        cpu_us_per_request: Math.round(loop.cpuMicrosPerRequest),
        requests_per_s: Math.round(loop.requestsPerSecond),
        errors: loop.errors,
        baseline_cpu_us_per_request: Math.round(base.cpuMicrosPerRequest),
        baseline_requests_per_s: Math.round(base.requestsPerSecond),
        rate: options.rate,
        duration_s: options.durationSeconds,
        rate_cpu_us_per_request: Math.round(ratedCpu),
        p50_ms: Number(latency.p50.toFixed(2)),
        p95_ms: Number(latency.p95.toFixed(2)),
        p99_ms: Number(latency.p99.toFixed(2)),
        rate_errors: rated.errors,
        cpus: os.cpus().length,
        load_average: Number(load.toFixed(2)),
      }),
    );
  } finally {
    floor.child.kill('SIGTERM');
    await gateway.stop().catch((thrown: unknown) => log(`gateway stop: ${String(thrown)}`));
    await deleteKeysUnder(services.redisUrl, env.queuePrefix).catch((thrown: unknown) => log(`queues under ${env.queuePrefix} not removed: ${String(thrown)}`));
  }
}

main().then(
  () => process.exit(0),
  (thrown: unknown) => {
    console.error(thrown instanceof Error ? (thrown.stack ?? thrown.message) : thrown);
    process.exit(1);
  },
);
