import type { Registry } from 'prom-client';
import type { TokenStore } from '../../../shared/auth/token-store.js';
import type { Logger } from '../../../shared/observability/logger.js';
import type { HealthCheck } from '../../../shared/observability/metrics-server.js';
import type { AlertQueue } from '../../../queues/alert-queue.js';
import type { OutcomeQueue } from '../../../queues/outcome-queue.js';

/** What {@link buildGatewayApp} needs; `main.ts` wires the real ones, tests their own. */
export interface GatewayDeps {
  tokens: TokenStore;
  alerts: AlertQueue;
  outcomes: OutcomeQueue;
  /** Largest accepted request body in bytes (`HUSH_GATEWAY_BODY_LIMIT`). */
  bodyLimit: number;
  logger: Logger;
  /** Registry the gateway's `hush_gateway_*` metrics are registered on. */
  registry: Registry;
  /**
   * Longest wait for Redis (token lookup, enqueue) before answering 503, so a dead Redis cannot
   * hang requests. @defaultValue `5000`
   */
  redisTimeoutMs?: number;
  /** Dependency checks run by `GET /healthz` (503 when one fails). @defaultValue `{}` */
  checks?: Readonly<Record<string, HealthCheck>>;
  /**
   * Batches with more valid alerts than this are enqueued in chunks (`addChunked`) instead of one
   * job per alert (`addEach`). @defaultValue `20`
   */
  bulkThreshold?: number;
}
