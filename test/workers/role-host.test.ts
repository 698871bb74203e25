import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { hostRoles, type RoleHost } from '../../shared/process/role-host.js';
import type { RoleStarter } from '../../workers/role.js';
import { REPO_ROOT, createE2eWorld, hushEnvironment, startWorker } from '../helpers/fleet.js';
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
