import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClickHouseClient, dropDatabase, type ClickHouseClient, type ClickHouseOptions } from '../../shared/clickhouse/client.js';
import { deleteKeysUnder } from './redis-prefix.js';
import { serviceUrls } from './services.js';

/** The repository root: child processes run `node bin/hush.js …` from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where and as whom a Hush child process runs: everything it reads from the environment. */
export interface HushEnv {
  redisUrl: string;
  clickhouseUrl: string;
  clickhouseDatabase: string;
  queuePrefix: string;
  /** tenant → API token (8+ characters). */
  tokens?: Readonly<Record<string, string>>;
  /** More HUSH_* variables (they win over the ones above). */
  extra?: Readonly<Record<string, string>>;
}

/** How a child process ended. */
export interface HushExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MAX_CAPTURED_CHARS = 400_000;
const running = new Set<HushProcess>();

/** A `node bin/hush.js fleet|worker <role>` child process with its ports and captured output. */
export class HushProcess {
  metricsPort = 0;
  /** The gateway's HTTP port (fleet and gateway roles only). */
  gatewayPort: number | undefined;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<HushExit>;
  private exit: HushExit | undefined;
  private captured = '';
  private pendingStdout = '';
  private readonly lineListeners = new Set<(line: Record<string, unknown>) => void>();

  constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      });
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.capture(chunk));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** The last few hundred KB of stdout + stderr, for failure messages. */
  output(): string {
    return this.captured;
  }

  /** `GET /healthz` of the process: its status and JSON report. */
  async health(): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** `GET /metrics` text. */
  async metrics(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return res.text();
  }

  /** The gateway's base URL (`http://127.0.0.1:<port>`). */
  get gatewayUrl(): string {
    if (this.gatewayPort === undefined) throw new Error(`${this.label} runs no gateway`);
    return `http://127.0.0.1:${this.gatewayPort}`;
  }

  /** Polls `/healthz` until it answers 200 (or the process dies, or the time is up). */
  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    let last = 'no answer';
    await waitFor(
      async () => {
        if (!this.alive) throw new Error(`${this.label} exited (${JSON.stringify(this.exit)}) before it was healthy:\n${this.tail()}`);
        try {
          const { status, body } = await this.health();
          last = `${status} ${JSON.stringify(body)}`;
          return status === 200;
        } catch (thrown) {
          last = String(thrown);
          return false;
        }
      },
      { timeoutMs, what: () => `${this.label} healthy (last /healthz: ${last})\n${this.tail()}` },
    );
  }

  /** SIGTERM, then waits for the exit; SIGKILLs and throws if it takes longer than `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<HushExit> {
    if (!this.alive) return this.exit as HushExit;
    this.child.kill('SIGTERM');
    const timedOut = Symbol('timeout');
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([this.exited, new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), timeoutMs)))]);
    clearTimeout(timer);
    if (result === timedOut) {
      await this.kill9();
      throw new Error(`${this.label} did not exit within ${timeoutMs} ms of SIGTERM:\n${this.tail()}`);
    }
    return result;
  }

  /** `kill -9`: no chance to flush or finish anything. Resolves once the process is gone. */
  async kill9(): Promise<HushExit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Calls `listener` with every JSON log line from now on; returns an unsubscribe function. */
  onLogLine(listener: (line: Record<string, unknown>) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** The last `chars` characters of the output. */
  tail(chars = 4_000): string {
    return this.captured.slice(-chars);
  }

  private capture(chunk: string): void {
    this.captured += chunk;
    if (this.captured.length > MAX_CAPTURED_CHARS) this.captured = this.captured.slice(-MAX_CAPTURED_CHARS / 2);
  }

  private onStdout(chunk: string): void {
    this.capture(chunk);
    this.pendingStdout += chunk;
    let newline = this.pendingStdout.indexOf('\n');
    while (newline >= 0) {
      const line = this.pendingStdout.slice(0, newline);
      this.pendingStdout = this.pendingStdout.slice(newline + 1);
      newline = this.pendingStdout.indexOf('\n');
      if (!line.startsWith('{')) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const listener of this.lineListeners) listener(parsed);
    }
  }
}

/** The child's environment: the parent's, without any HUSH_* variable, plus exactly `env`. */
export function hushEnvironment(env: HushEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('HUSH_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS') out[key] = value;
  return {
    ...out,
    HUSH_REDIS_URL: env.redisUrl,
    HUSH_CLICKHOUSE_URL: env.clickhouseUrl,
    HUSH_CLICKHOUSE_DATABASE: env.clickhouseDatabase,
    HUSH_QUEUE_PREFIX: env.queuePrefix,
    HUSH_TOKENS: Object.entries(env.tokens ?? {})
      .map(([tenant, token]) => `${tenant}=${token}`)
      .join(','),
    HUSH_GATEWAY_PORT: '0',
    HUSH_METRICS_PORT: '0',
    HUSH_LOG_LEVEL: 'info',
    ...env.extra,
  };
}

/** Options of {@link startHush}. */
export interface StartHushOptions {
  /** Wait for `/healthz` 200, not only for the endpoint to listen. @defaultValue `true` */
  waitHealthy?: boolean;
  /** @defaultValue `60000` (two cores, other test files running) */
  timeoutMs?: number;
}

/**
 * Spawns `node bin/hush.js <args…>` with `env`, learns its ports from its JSON log (both are 0 = any
 * port, so parallel test files never collide) and waits until `/healthz` is ok.
 */
export async function startHush(args: readonly string[], env: HushEnv, options: StartHushOptions = {}): Promise<HushProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, env: hushEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = new HushProcess(args.join(' '), child);
  running.add(proc);
  const started = new Promise<void>((resolve) => {
    const off = proc.onLogLine((line) => {
      if (line.msg === 'gateway listening') {
        const address = line.address as { port?: number }[] | undefined;
        proc.gatewayPort = address?.[0]?.port;
      }
      if (line.msg === 'metrics and health endpoint listening' && typeof line.port === 'number') {
        proc.metricsPort = line.port;
        off();
        resolve();
      }
    });
  });
  try {
    const died = proc.exited.then((exit) => {
      throw new Error(`${proc.label} exited (${JSON.stringify(exit)}) while starting:\n${proc.tail()}`);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${proc.label} did not start within ${timeoutMs} ms:\n${proc.tail()}`)), timeoutMs);
    });
    died.catch(() => undefined);
    await Promise.race([started, died, timeout]).finally(() => clearTimeout(timer));
    if (options.waitHealthy ?? true) await proc.waitHealthy(timeoutMs);
    return proc;
  } catch (thrown) {
    await proc.kill9();
    throw thrown;
  }
}

/** `hush fleet`: gateway + scoring + outcomes in one process. */
export function startFleet(env: HushEnv, options?: StartHushOptions): Promise<HushProcess> {
  return startHush(['fleet'], env, options);
}

/** `hush worker <role>`: one role in its own process. */
export function startWorker(role: 'gateway' | 'scoring' | 'outcomes', env: HushEnv, options?: StartHushOptions): Promise<HushProcess> {
  return startHush(['worker', role], env, options);
}

/** SIGKILLs every child process still running (for `afterAll`, after the graceful stops a test asserts). */
export async function killAllHushProcesses(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.kill9()));
}

// A crashed test worker must not leave fleets behind.
process.once('exit', () => {
  for (const proc of running) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Polls `check` every `intervalMs` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string | (() => string) } = {},
): Promise<void> {
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? options.what() : (options.what ?? 'condition');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A unique lowercase name part: `<prefix>_<12 hex>` style ids for databases, prefixes and tenants. */
export function uniqueName(prefix: string, separator = '_'): string {
  return `${prefix}${separator}${randomBytes(6).toString('hex')}`;
}

/** What one e2e test file runs against: its own database, queue prefix, tenant and token. */
export interface E2eWorld {
  env: HushEnv;
  tenant: string;
  token: string;
  /** A client on the file's database (direct to ClickHouse, never through a test proxy). */
  clickhouse: ClickHouseClient;
  clickhouseOptions: ClickHouseOptions;
  /** Closes the client, drops the database, obliterates the file's queues and the tenant's state (features, thresholds, champion). */
  dispose(): Promise<void>;
}

/** A fresh `hush_e2e_<random>` database, `e2e-<random>` queue prefix and tenant with a token. */
export function createE2eWorld(name: string): E2eWorld {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  const tenant = uniqueName(name, '-');
  const token = `tok-${randomBytes(12).toString('hex')}`;
  const clickhouseOptions: ClickHouseOptions = {
    url: clickhouseUrl,
    database: uniqueName(`hush_e2e_${name.replaceAll('-', '_')}`),
    username: process.env.HUSH_CLICKHOUSE_USER ?? 'default',
    password: process.env.HUSH_CLICKHOUSE_PASSWORD ?? '',
  };
  const clickhouse = createClickHouseClient(clickhouseOptions);
  const queuePrefix = uniqueName(`e2e-${name}`, '-');
  return {
    env: { redisUrl, clickhouseUrl, clickhouseDatabase: clickhouseOptions.database, queuePrefix, tokens: { [tenant]: token } },
    tenant,
    token,
    clickhouse,
    clickhouseOptions,
    dispose: async () => {
      await clickhouse.close();
      await dropDatabase(clickhouseOptions);
      await deleteKeysUnder(redisUrl, queuePrefix);
      await deleteKeysUnder(redisUrl, `hush:{${tenant}}`);
    },
  };
}

/** Rows of a query as JSON objects (64-bit integers as numbers). */
export async function queryRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The tables of the client's database, by name. */
export async function tableNames(client: ClickHouseClient): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(client, 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name');
  return rows.map((r) => r.name);
}

