import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Which worker a child process runs: the real scoring role, the scoring role with constant features
 * (`constant-features-worker.ts`), or the no-op reference.
 */
export type WorkerKind = 'scoring' | 'scoring-constant-features' | 'noop';

const ENTRY: Record<WorkerKind, string[]> = {
  scoring: ['bin/hush.js', 'worker', 'scoring'],
  'scoring-constant-features': ['--import', 'tsx', 'bench/pipeline/constant-features-worker.ts'],
  noop: ['--import', 'tsx', 'bench/pipeline/noop-worker.ts'],
};

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
    const child = spawn(process.execPath, ENTRY[kind], {
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
    // The benchmark's stdout ends with one JSON line; the worker's own logs go to stderr, the first few
    // in full and the rest counted (a retried fault can log once per job).
    const echo = new LineEcho(kind);
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => echo.write(chunk));
    child.once('exit', () => echo.finish());
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

/** Echoes a child's output lines to stderr, at most `limit` of them, then counts the rest. */
class LineEcho {
  private shown = 0;
  private suppressed = 0;
  private partial = '';

  constructor(
    private readonly kind: WorkerKind,
    private readonly limit = 5,
  ) {}

  write(chunk: Buffer): void {
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  finish(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    if (this.suppressed > 0) process.stderr.write(`  [${this.kind} worker] ${this.suppressed} more log lines not shown\n`);
  }

  private line(line: string): void {
    if (this.shown < this.limit) {
      this.shown += 1;
      process.stderr.write(`  [${this.kind} worker] ${line.length > 600 ? `${line.slice(0, 600)}…` : line}\n`);
    } else {
      this.suppressed += 1;
    }
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

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat; null where unavailable. */
export function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, v) => sum + v, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
