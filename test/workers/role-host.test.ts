import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { hostRoles, type RoleHost } from '../../shared/process/role-host.js';
import type { RoleStarter } from '../../workers/role.js';
import { HushProcess, REPO_ROOT, createE2eWorld, hushEnvironment, startWorker, waitFor, type HushExit } from '../helpers/fleet.js';
import { ROLES } from '../../workers/roles.js';

/** A fake role that records its start and stop in `log`. */
function role(name: string, log: string[], options: { failStart?: boolean; failStop?: boolean; check?: () => Promise<void> } = {}): readonly [string, RoleStarter] {
  return [
    name,
    async ({ config, registry, logger }) => {
      expect(config.metricsPort).toBe(0);
      expect(registry).toBeDefined();
      expect(typeof logger.info).toBe('function');
      if (options.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
      return {
        name,
        checks: { ping: options.check ?? (async () => undefined) },
        async stop() {
          log.push(`stop ${name}`);
          if (options.failStop) throw new Error(`${name} stop failed`);
        },
      };
    },
  ] as const;
}

const quiet = { metricsPort: 0, logLevel: 'silent' as const };

async function host(roles: ReadonlyArray<readonly [string, RoleStarter]>): Promise<RoleHost> {
  return hostRoles({ roles, config: quiet, handleSignals: false });
}

describe('hostRoles', () => {
  it('starts roles in order behind one metrics and health endpoint', async () => {
    const log: string[] = [];
    const h = await host([role('a', log), role('b', log, { check: async () => Promise.reject(new Error('b is down')) })]);
    try {
      expect(log).toEqual(['start a', 'start b']);
      expect(h.metricsPort).toBeGreaterThan(0);
      expect(h.config.logLevel).toBe('silent');
      const health = await fetch(`http://127.0.0.1:${h.metricsPort}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, checks: { 'a.ping': 'ok', 'b.ping': 'b is down' } });
      const metrics = await (await fetch(`http://127.0.0.1:${h.metricsPort}/metrics`)).text();
      expect(metrics).toContain('hush_process_process_cpu_seconds_total');
    } finally {
      await h.stop();
    }
  });

  it('stops roles in reverse start order, then the endpoint, and only once however often stop is called', async () => {
    const log: string[] = [];
    const h = await host([role('a', log), role('b', log), role('c', log)]);
    const url = `http://127.0.0.1:${h.metricsPort}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    const first = h.stop();
    const second = h.stop();
    await Promise.all([first, second]);
    await h.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('keeps stopping the other roles when one fails to stop', async () => {
    const log: string[] = [];
    const h = await host([role('a', log), role('b', log, { failStop: true }), role('c', log)]);
    await h.stop();
    expect(log.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
  });

  it('stops the roles already started when a later one fails to start, and rethrows', async () => {
    const log: string[] = [];
    await expect(host([role('a', log), role('b', log), role('c', log, { failStart: true })])).rejects.toThrow('c cannot start');
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('refuses an invalid configuration before starting any role', async () => {
    const log: string[] = [];
    const before = process.env.HUSH_SCORING_CONCURRENCY;
    process.env.HUSH_SCORING_CONCURRENCY = '0';
    try {
      const attempt = hostRoles({ roles: [role('a', log)], config: quiet, handleSignals: false });
      await expect(attempt).rejects.toBeInstanceOf(HushError);
      await expect(attempt).rejects.toMatchObject({ code: 'HUSH_ERR_CONFIG', message: expect.stringContaining('HUSH_SCORING_CONCURRENCY') });
    } finally {
      if (before === undefined) delete process.env.HUSH_SCORING_CONCURRENCY;
      else process.env.HUSH_SCORING_CONCURRENCY = before;
    }
    expect(log).toEqual([]);
  });
});

// Child processes load the whole CLI through tsx and, for scoring, migrate a database: allow for a busy box.
describe('a worker process', { timeout: 90_000 }, () => {
  it('exits 0 after a graceful stop on SIGTERM', async () => {
    const world = createE2eWorld('rolehost');
    try {
      const worker = await startWorker('scoring', world.env);
      expect((await worker.health()).status).toBe(200);
      expect(await worker.metrics()).toContain('hush_scoring_jobs_total');
      const exit = await worker.stop();
      expect(exit).toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain('"msg":"stopped"');
    } finally {
      await world.dispose();
    }
  });

  /** Runs signal-host-fixture.ts and waits for the log line `until`. */
  async function fixtureHost(env: Record<string, string>, until: string): Promise<HushProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/workers/signal-host-fixture.ts'], {
      cwd: REPO_ROOT,
      env: { ...hushEnvironment({ redisUrl: 'redis://127.0.0.1:1', clickhouseUrl: 'http://127.0.0.1:1', clickhouseDatabase: 'unused', queuePrefix: 'unused' }), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const host = new HushProcess('signal-host', child);
    await waitFor(() => host.output().includes(`"msg":"${until}"`) || !host.alive, { timeoutMs: 30_000, what: () => `"${until}" in ${host.tail()}` });
    return host;
  }

  async function exitWithin(host: HushProcess, ms: number): Promise<HushExit | 'still running'> {
    const timer = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref());
    const exit = await Promise.race([host.exited, timer]);
    if (exit === 'still running') await host.kill9();
    return exit;
  }

  it('on SIGTERM during startup, lets the starting role come up, stops it and exits 0', async () => {
    const host = await fixtureHost({ FIXTURE_START_MS: '1500' }, 'fake starting');
    process.kill(host.pid, 'SIGTERM');
    expect(await exitWithin(host, 15_000)).toEqual({ code: 0, signal: null });
    expect(host.output()).toContain('"msg":"fake stopping"');
    expect(host.output()).toContain('"msg":"stopped"');
    expect(host.output()).not.toContain('metrics and health endpoint listening');
  });

  it('exits 1 naming what it waited for when its roles do not stop within HUSH_STOP_TIMEOUT_MS', async () => {
    const host = await fixtureHost({ FIXTURE_STOP: 'hang', HUSH_STOP_TIMEOUT_MS: '1000' }, 'metrics and health endpoint listening');
    process.kill(host.pid, 'SIGTERM');
    expect(await exitWithin(host, 15_000)).toEqual({ code: 1, signal: null });
    expect(host.output()).toMatch(/"waitingFor":"role fake to stop".*"msg":"not stopped within HUSH_STOP_TIMEOUT_MS: exiting without finishing"/);
  });

  it('exits at once, 128 + the signal number, on a second SIGTERM or SIGINT', async () => {
    for (const [second, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const host = await fixtureHost({ FIXTURE_STOP: 'hang', HUSH_STOP_TIMEOUT_MS: '60000' }, 'metrics and health endpoint listening');
      process.kill(host.pid, 'SIGTERM');
      await waitFor(() => host.output().includes('"msg":"fake stopping"'), { timeoutMs: 10_000, what: 'the role to be stopping' });
      process.kill(host.pid, second);
      expect(await exitWithin(host, 10_000)).toEqual({ code, signal: null });
      expect(host.output()).toContain('"msg":"second signal: exiting at once, without finishing in-flight work"');
    }
  });

  it('exits 2 naming the roles when asked for an unknown role', async () => {
    const env = hushEnvironment({ redisUrl: 'redis://127.0.0.1:1', clickhouseUrl: 'http://127.0.0.1:1', clickhouseDatabase: 'unused', queuePrefix: 'unused' });
    const child = spawn(process.execPath, ['bin/hush.js', 'worker', 'bogus'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain(`hush worker: expected exactly one role of ${Object.keys(ROLES).join(', ')}, got "bogus"`);
  });
});
