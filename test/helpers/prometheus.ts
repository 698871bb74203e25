import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusService, type PrometheusServiceOptions } from '../../shared/services/index.js';
import { waitFor } from './fleet.js';
import { freePort } from './free-port.js';

/** A real Prometheus (Debian package) run by a test, in its own temporary home and port. */
export interface TestPrometheus {
  url: string;
  /** `GET <url>/api/v1/<path>`: the `data` of a successful answer; throws on any other. */
  api<T>(path: string): Promise<T>;
  /** The last lines Prometheus logged, for failure messages. */
  logTail(): string;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the home. */
  stop(): Promise<void>;
}

const running = new Set<() => void>();
process.once('exit', () => {
  for (const kill of running) kill();
});

/**
 * Starts Prometheus with `options` (its launcher writes the config), as a child of the test process
 * so it never outlives the test run, and waits until it reports ready.
 */
export async function startPrometheus(options: Omit<PrometheusServiceOptions, 'home' | 'port'>): Promise<TestPrometheus> {
  const home = mkdtempSync(join(tmpdir(), 'hush-prometheus-'));
  const service = prometheusService({ ...options, home, port: await freePort() });
  const command = await service.prepare();
  const log = openSync(command.logFile, 'a');
  const child = spawn(command.binary, command.args, { cwd: command.cwd, stdio: ['ignore', log, log] });
  closeSync(log);
  const kill = () => child.kill('SIGKILL');
  running.add(kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logTail = () => {
    try {
      return readFileSync(command.logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    running.delete(kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${logTail()}`);
        return service.ping(1_000);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: () => `prometheus ready at ${service.url}:\n${logTail()}` },
    );
  } catch (thrown) {
    await stop();
    throw thrown;
  }
  return {
    url: service.url,
    logTail,
    stop,
    async api<T>(path: string): Promise<T> {
      const response = await fetch(`${service.url}/api/v1/${path}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus ${path}: ${response.status} ${body.error ?? ''}`);
      return body.data;
    },
  };
}
