import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Which worker a child process runs: the real scoring role or the no-op reference. */
export type WorkerKind = 'scoring' | 'noop';

/** Environment of one worker child: the same variables a deployment sets. */
export interface ChildWorkerEnv {
  queuePrefix: string;
  clickhouseDatabase: string;
  concurrency: number;
  redisUrl: string;
  clickhouseUrl: string;
}

/** A worker running in its own process, so producer and worker do not share one event loop. */
export class ChildWorker {
  private exited: Promise<number | null>;

  private constructor(
    readonly kind: WorkerKind,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Spawns the worker and resolves once it is registered on the queue (its Redis connection is up). */
  static async start(kind: WorkerKind, env: ChildWorkerEnv, queue: Queue, timeoutMs = 60_000): Promise<ChildWorker> {
    const args = kind === 'scoring' ? ['bin/hush.js', 'worker', 'scoring'] : ['--import', 'tsx', 'bench/pipeline/noop-worker.ts'];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HUSH_QUEUE_PREFIX: env.queuePrefix,
        HUSH_CLICKHOUSE_DATABASE: env.clickhouseDatabase,
        HUSH_SCORING_CONCURRENCY: String(env.concurrency),
        HUSH_REDIS_URL: env.redisUrl,
        HUSH_CLICKHOUSE_URL: env.clickhouseUrl,
        HUSH_METRICS_PORT: '0',
        HUSH_LOG_LEVEL: 'warn',
      },
    });
    // The benchmark's stdout ends with one JSON line; the worker's own logs go to stderr.
    child.stdout?.pipe(process.stderr, { end: false });
    child.stderr?.pipe(process.stderr, { end: false });
    const worker = new ChildWorker(kind, child);
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void worker.exited.then((code) => (exitCode = code));
    while ((await queue.getWorkersCount()) === 0) {
      if (exitCode !== undefined) throw new Error(`${kind} worker exited with code ${exitCode} before it registered`);
      if (Date.now() > deadline) {
        await worker.stop();
        throw new Error(`${kind} worker did not register on the queue within ${timeoutMs} ms`);
      }
      await sleep(50);
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU seconds (user + system) the child has used so far; null where /proc is unavailable. */
  cpuSeconds(): number | null {
    return this.child.pid === undefined ? null : processCpuSeconds(this.child.pid);
  }

  /** SIGTERM (graceful stop), SIGKILL after `timeoutMs`; safe to call twice. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** CPU seconds (user + system) of a process from /proc; null when unreadable. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm) ": state is index 0, so utime (14th) and stime (15th) are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
