import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The k6 release `npm run load` suggests building when k6 is missing. */
export const K6_MODULE = 'go.k6.io/k6@v1.8.1';

/** Figures of one k6 run, from its summary export. */
export interface K6Figures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errorRate: number;
  /** Requests k6 could not start on schedule (no free virtual user): the offered rate was not reached. */
  dropped: number;
  /** k6 exits 99 when a threshold failed. */
  thresholdsPassed: boolean;
}

/** The k6 binary: `K6_BIN`, else `k6` on `PATH`; null when neither exists. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.K6_BIN) return existsSync(env.K6_BIN) ? env.K6_BIN : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'k6');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** How to get k6 where it is missing. */
export function k6InstallHint(): string {
  return `k6 is not installed; build it with \`go install ${K6_MODULE}\` (needs Go and the Go module proxy) and put $(go env GOPATH)/bin on PATH, or set K6_BIN to its path`;
}

/** The scenario the k6 script judges; its warm-up scenario is left out of the figures. */
const MEASURED = '{scenario:ingest}';

interface SummaryExport {
  metrics: Record<string, { count?: number; value?: number; [stat: string]: number | undefined } | undefined>;
}

/**
 * Runs a k6 script with `env`, its output going to stderr; resolves with the figures of its summary.
 * `signal` stops k6 (SIGTERM) and rejects.
 */
export async function runK6(binary: string, script: string, summaryPath: string, env: Record<string, string>, signal?: AbortSignal): Promise<K6Figures> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(binary, ['run', '--quiet', '--summary-export', summaryPath, script], { env: { ...process.env, ...env }, stdio: ['ignore', process.stderr, process.stderr], signal });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 && code !== 99) throw new Error(`k6 exited with code ${code}`);
  const { metrics } = JSON.parse(readFileSync(summaryPath, 'utf8')) as SummaryExport;
  rmSync(summaryPath, { force: true });
  const duration = metrics[`http_req_duration${MEASURED}`] ?? {};
  const failed = metrics[`http_req_failed${MEASURED}`];
  return {
    requests: (failed?.passes ?? 0) + (failed?.fails ?? 0),
    p50Ms: duration.med ?? 0,
    p95Ms: duration['p(95)'] ?? 0,
    p99Ms: duration['p(99)'] ?? 0,
    errorRate: failed?.value ?? 0,
    dropped: metrics[`dropped_iterations${MEASURED}`]?.count ?? 0,
    thresholdsPassed: code === 0,
  };
}
