import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import type { Outcome } from '../schemas/outcome.js';
import type { ParseResult } from '../schemas/parse-result.js';
import type { IngestResponse } from '../schemas/ingest-response.js';
import { parseAlert } from '../schemas/parse-alert.js';
import { parseOutcome } from '../schemas/parse-outcome.js';
import { TENANT_PATTERN } from '../schemas/alert.js';
import { createRedis } from '../shared/redis/connection.js';
import { AlertQueue } from './alert-queue.js';
import { OutcomeQueue } from './outcome-queue.js';

/** Options of {@link AlertProducer}. */
export interface AlertProducerOptions {
  /** The tenant every alert belongs to (as a gateway token would fix it). */
  tenant: string;
  /** A Redis URL (the producer opens and closes its connection) or a connection it borrows. */
  redis: string | Redis;
  /** BullMQ key prefix; must match the fleet's `HUSH_QUEUE_PREFIX`. @defaultValue `hush` */
  prefix?: string;
  /** Alerts per job for {@link AlertProducer.sendBulk}. @defaultValue `200` */
  chunkSize?: number;
}

/**
 * The producer SDK: collectors push alerts and outcomes straight into the fleet's queues, validated
 * exactly as the gateway validates them. Invalid items are returned as rejections, never sent.
 */
export class AlertProducer {
  private readonly connection: Redis;
  private readonly ownsConnection: boolean;
  private readonly alerts: AlertQueue;
  private readonly outcomes: OutcomeQueue;
  private readonly tenant: string;

  constructor(options: AlertProducerOptions) {
    if (!TENANT_PATTERN.test(options.tenant)) {
      throw new RangeError(`AlertProducer option tenant must match ${TENANT_PATTERN}, got ${JSON.stringify(options.tenant)}`);
    }
    this.tenant = options.tenant;
    this.ownsConnection = typeof options.redis === 'string';
    this.connection = typeof options.redis === 'string' ? createRedis(options.redis) : options.redis;
    const prefix = options.prefix ?? 'hush';
    this.alerts = new AlertQueue({ connection: this.connection, prefix, ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }) });
    this.outcomes = new OutcomeQueue({ connection: this.connection, prefix });
  }

  /**
   * Validates and enqueues one alert at once (lowest latency); the alerts of concurrent sends in one
   * event-loop turn share jobs, up to `chunkSize` a job.
   */
  async send(alert: unknown): Promise<IngestResponse> {
    const { valid, response } = this.validate([alert], parseAlert);
    await this.alerts.addShared(valid);
    return response;
  }

  /** Validates and enqueues many alerts in chunked jobs (highest throughput). */
  async sendBulk(alerts: readonly unknown[]): Promise<IngestResponse> {
    const { valid, response } = this.validate(alerts, parseAlert);
    await this.alerts.addChunked(valid);
    return response;
  }

  /** Validates and enqueues outcomes (feedback labels). */
  async sendOutcomes(outcomes: readonly unknown[]): Promise<IngestResponse> {
    const { valid, response } = this.validate(outcomes, parseOutcome);
    await this.outcomes.add(valid);
    return response;
  }

  async close(): Promise<void> {
    await Promise.all([this.alerts.close(), this.outcomes.close()]);
    if (this.ownsConnection) this.connection.disconnect();
  }

  private validate<T extends Alert | Outcome>(items: readonly unknown[], parse: (input: unknown, context: { tenant: string }) => ParseResult<T>): { valid: T[]; response: IngestResponse } {
    const valid: T[] = [];
    const response: IngestResponse = { accepted: [], rejected: [] };
    items.forEach((item, index) => {
      const result = parse(item, { tenant: this.tenant });
      if (!result.ok) {
        response.rejected.push({ index, ...result.error });
        return;
      }
      valid.push(result.value);
      const value: Alert | Outcome = result.value;
      response.accepted.push('alertId' in value ? { index, id: value.alertId, status: value.outcome } : { index, id: value.id, status: value.status });
    });
    return { valid, response };
  }
}
