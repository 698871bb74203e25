import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type HealthCheck, type MetricsServer } from '../../shared/observability/metrics-server.js';

const servers: MetricsServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(checks: Record<string, HealthCheck> = {}, registry = new Registry()): Promise<{ server: MetricsServer; url: string; registry: Registry }> {
  const server = await startMetricsServer({ registry, checks, port: 0 });
  servers.push(server);
  return { server, url: `http://127.0.0.1:${server.port}`, registry };
}

describe('startMetricsServer', () => {
  it('serves the registry in the Prometheus text format on /metrics', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'hush_test_things_total', help: 'things counted by the test', registers: [registry] });
    counter.inc(3);
    const { url } = await start({}, registry);
    const res = await fetch(`${url}/metrics?debug=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    const body = await res.text();
    expect(body).toContain('# HELP hush_test_things_total things counted by the test');
    expect(body).toContain('hush_test_things_total 3');
  });

  it('answers 500 on /metrics when collecting a metric fails', async () => {
    const registry = new Registry();
    new Counter({
      name: 'hush_test_broken_total',
      help: 'a metric whose collect fails',
      registers: [registry],
      collect() {
        throw new Error('collector exploded');
      },
    });
    const { url } = await start({}, registry);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('collector exploded');
  });

  it('answers /healthz 200 with every check ok', async () => {
    const { url } = await start({ redis: async () => undefined, clickhouse: async () => undefined });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true, checks: { redis: 'ok', clickhouse: 'ok' } });
  });

  it('answers /healthz 200 when there is nothing to check', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: {} });
  });

  it('answers /healthz 503 naming the failing check and its reason', async () => {
    const { url } = await start({
      redis: async () => undefined,
      clickhouse: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:8124');
      },
      odd: () => Promise.reject('a plain string'),
    });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, checks: { redis: 'ok', clickhouse: 'connect ECONNREFUSED 127.0.0.1:8124', odd: 'a plain string' } });
  });

  it('answers /healthz 503 when a check hangs past its 2 s limit', async () => {
    const { url } = await start({ stuck: () => new Promise<void>(() => undefined), redis: async () => undefined });
    const started = Date.now();
    const res = await fetch(`${url}/healthz`);
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, checks: { stuck: 'timed out after 2000 ms', redis: 'ok' } });
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(10_000);
  });

  it('answers 404 with a HUSH_ERR_NOT_FOUND body for any other path', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/nope?x=1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'HUSH_ERR_NOT_FOUND', message: 'no route /nope' });
  });

  it('answers 405 to anything but GET', async () => {
    const { url } = await start();
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${url}/metrics`, { method });
      expect(res.status).toBe(405);
    }
  });

  it('stops listening once closed', async () => {
    const registry = new Registry();
    const server = await startMetricsServer({ registry, checks: {}, port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${server.port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await server.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('fails to start on a port that is already taken', async () => {
    const { server } = await start();
    await expect(startMetricsServer({ registry: new Registry(), checks: {}, port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
