import type { Registry } from 'prom-client';
import type { TokenStore } from '../../../shared/auth/token-store.js';
import type { Logger } from '../../../shared/observability/logger.js';
import type { HealthCheck } from '../../../shared/observability/metrics-server.js';
import type { AlertQueue } from '../../../queues/alert-queue.js';
import type { OutcomeQueue } from '../../../queues/outcome-queue.js';
import type { MetricsProducer } from '../../../queues/metrics-queue.js';
import type { PagerDutyDedup } from '../pagerduty-dedup.js';
import type { MlDepsSource } from './ml-deps.js';

/** What {@link buildGatewayApp} needs; `main.ts` wires the real ones, tests their own. */
export interface GatewayDeps {
  tokens: TokenStore;
  alerts: AlertQueue;
  outcomes: OutcomeQueue;
  /** Where metric samples go (the partitioned metrics queues). */
  samples: MetricsProducer;
  /** Pairs PagerDuty events with the alert their dedup_key has open. */
  pagerDuty: PagerDutyDedup;
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
   * Requests with more valid alerts than this are enqueued in chunks of their own (`addChunked`); smaller
   * ones share jobs with the other requests of the same event-loop turn (`addShared`). @defaultValue `20`
   */
  bulkThreshold?: number;
  /**
   * Model registry, training queue and thresholds for the ML routes. Without them those routes answer
   * 503 `HUSH_ERR_UNAVAILABLE`; ingest never depends on them. @defaultValue none
   */
  ml?: MlDepsSource;
  /**
   * Longest wait for an ML route's backends (opening ClickHouse, a query, Redis) before answering 503.
   * @defaultValue `10000`
   */
  mlTimeoutMs?: number;
}
