import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AlertQueue } from '../../queues/alert-queue.js';
import { loadConfig } from '../../shared/config/config.js';
import { createRedis } from '../../shared/redis/connection.js';
import { startGateway } from '../../workers/gateway/main.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { ACME_TOKEN, REDIS_URL, alert } from './harness.js';

/** A logger whose JSON lines the test can read (to learn the port the gateway picked). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function postSlowly(port: number, body: string): { sendRest: () => void; response: Promise<{ status: number; body: string }> } {
  const half = Math.floor(body.length / 2);
  let sendRest = () => undefined as void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/alerts', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${ACME_TOKEN}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
    sendRest = () => void req.end(body.slice(half));
  });
  return { sendRest, response };
}

describe('startGateway', () => {
  it('serves on the configured port, checks Redis, and finishes in-flight requests when stopped', async () => {
    const prefix = `test-${randomUUID()}`;
    const config = loadConfig({ redisUrl: REDIS_URL, queuePrefix: prefix, gatewayHost: '127.0.0.1', gatewayPort: 0, tokens: new Map([[ACME_TOKEN, 'acme']]) }, {});
    const { logger, lines } = capturingLogger();
    const registry = new Registry();
    const role = await startGateway({ config, logger, registry });
    const redis = createRedis(REDIS_URL);
    const queue = new AlertQueue({ connection: redis, prefix });
    try {
      expect(role.name).toBe('gateway');
      await expect(role.checks.redis?.()).resolves.toBeUndefined();
      const listening = lines.find((l) => l.msg === 'gateway listening') as { address: { port: number }[] } | undefined;
      const port = listening?.address[0]?.port ?? 0;
      expect(port).toBeGreaterThan(0);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, checks: { redis: 'ok' } });

      const inFlight = postSlowly(port, JSON.stringify(alert({ id: 'in-flight' })));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stopStarted = Date.now();
      const stopped = role.stop();
      inFlight.sendRest();
      const res = await inFlight.response;
      await stopped;
      expect(res.status).toBe(202);
      // Keep-alive clients must not hold the shutdown open.
      expect(Date.now() - stopStarted).toBeLessThan(2_000);
      const jobs = await queue.bullQueue.getJobs(['waiting'], 0, -1, true);
      expect(jobs.flatMap((j) => j.data.alerts.map((a) => a.id))).toEqual(['in-flight']);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      expect(await registry.metrics()).toContain('hush_gateway_requests_total{route="/api/v1/alerts",status="202"} 1');
      await role.stop(); // safe to call twice
    } finally {
      await role.stop();
      await queue.close();
      // The gateway also created the outcomes queue and every metrics partition under the prefix.
      await obliterateAll(redis, prefix);
      redis.disconnect();
    }
  });
});
