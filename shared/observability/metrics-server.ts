import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { withTimeout } from '../async/with-timeout.js';

/** A named readiness check; it resolves when the dependency answers and rejects otherwise. */
export type HealthCheck = () => Promise<void>;

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  registry: Registry;
  checks: Readonly<Record<string, HealthCheck>>;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** 0 picks a free port. @defaultValue `9464` */
  port?: number;
}

/** A running `/metrics` + `/healthz` endpoint. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves Prometheus metrics on `/metrics` and dependency health on `/healthz` (503 when a check fails). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, checks, host = '127.0.0.1', port = 9464 } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (path === '/healthz') {
      void runChecks(checks).then((report) =>
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'HUSH_ERR_NOT_FOUND', message: `no route ${path}` }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function runChecks(checks: Readonly<Record<string, HealthCheck>>): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), 2000);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, err instanceof Error ? err.message : String(err)] as const;
      }
    }),
  );
  return { ok: entries.every(([, state]) => state === 'ok'), checks: Object.fromEntries(entries) };
}
