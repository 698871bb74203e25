import { describe, expect, it } from 'vitest';
import { DriftQueue } from '../../queues/drift-queue.js';
import { createRedis } from '../../shared/redis/connection.js';
import { TcpProxy } from '../clickhouse/tcp-proxy.js';
import { freePort } from '../helpers/free-port.js';
import { createE2eWorld, startHush, waitFor, type HushProcess } from '../helpers/fleet.js';

/** The `msg` of every stdout line of `proc`; a line that is not JSON is returned whole, so the assertion shows it. */
function messages(proc: HushProcess): string[] {
  return proc
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg);
      } catch {
        return `not JSON: ${line}`;
      }
    });
}

// Both roles did their first Redis work before they reported started, so with Redis down they never opened
// their /healthz port (a Kubernetes liveness probe restarted them) and, in a fleet, drift held back metrics.
describe('the drift and metrics roles started while Redis is unreachable', { timeout: 60_000 }, () => {
  it('start with /healthz failing, then schedule the drift checks and own the metrics partitions once Redis is back', async () => {
    const world = createE2eWorld('redis-down-start');
    const redis = new URL(world.env.redisUrl);
    const proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port) });
    proxy.port = await freePort();
    const env = { ...world.env, redisUrl: `redis://127.0.0.1:${proxy.port}` };
    const direct = createRedis(world.env.redisUrl);
    const drift = new DriftQueue({ connection: direct, prefix: world.env.queuePrefix });
    const roles: HushProcess[] = [];
    try {
      roles.push(...(await Promise.all(['drift', 'metrics'].map((role) => startHush(['worker', role], env, { waitHealthy: false, timeoutMs: 20_000 })))));
      for (const role of roles) {
        expect((await role.health()).status).toBe(503);
        await waitFor(() => messages(role).filter((msg) => msg === 'Redis connection failing; retrying until it is back').length === 2, {
          timeoutMs: 5_000,
          what: () => `a warning from each connection of ${role.label}:\n${role.tail()}`,
        });
      }
      expect(await drift.scheduled(world.tenant)).toEqual([]);

      await proxy.start();
      for (const role of roles) await role.waitHealthy(15_000);
      await waitFor(async () => (await drift.scheduled(world.tenant)).length === 2, { timeoutMs: 10_000, what: "the tenant's tumbling and sliding drift checks" });
      const [driftRole, metricsRole] = roles as [HushProcess, HushProcess];
      await waitFor(() => messages(metricsRole).includes('metrics partitions owned'), { timeoutMs: 10_000, what: () => `the metrics partitions owned in:\n${metricsRole.tail()}` });
      expect(messages(driftRole)).toContain('drift checks scheduled');

      for (const role of roles) expect(await role.stop()).toEqual({ code: 0, signal: null });
      for (const role of roles) expect(messages(role).filter((msg) => msg.startsWith('not JSON: '))).toEqual([]);
    } finally {
      await Promise.all(roles.map((role) => role.kill9()));
      await drift.close();
      direct.disconnect();
      await proxy.stop();
      await world.dispose();
    }
  });
});
