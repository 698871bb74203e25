import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import type { Outcome } from '../schemas/outcome.js';
import type { ParseResult } from '../schemas/parse-result.js';
import type { IngestResponse } from '../schemas/ingest-response.js';
import { parseAlert } from '../schemas/parse-alert.js';
import { parseOutcome } from '../schemas/parse-outcome.js';
import { TENANT_PATTERN } from '../schemas/alert.js';
import { TimeoutError } from '../shared/async/timeout-error.js';
import { withTimeout } from '../shared/async/with-timeout.js';
import { HushError } from '../shared/errors/index.js';
import { createRedis } from '../shared/redis/connection.js';
import { redisLocation } from '../shared/redis/redis-location.js';
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
  /**
   * Longest a send, or `close`, waits for Redis before rejecting with `HUSH_ERR_UNAVAILABLE` (the
   * connection waits through outages forever otherwise). A timed-out enqueue may still reach Redis later.
   * @defaultValue `10000`
   */
  timeoutMs?: number;
}

const DEFAULTS = { prefix: 'hush', timeoutMs: 10_000 };

/** Node fires longer timers at once (after 1 ms), so a longer bound would be no bound. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The producer SDK: collectors push alerts and outcomes straight into the fleet's queues, validated
 * exactly as the gateway validates them. Invalid items are returned as rejections, never sent.
 *
 * Sends wait at most `timeoutMs` for Redis, then reject with `HUSH_ERR_UNAVAILABLE`; the enqueue is not
 * cancelled and may still land when Redis comes back. A retry is then harmless if the alerts keep their
 * ids (the fleet takes an alert id once per tenant; an id derived from content changes with it), so set
 * `id` on alerts you may retry (docs/api.md, "The producer SDK").
 */
export class AlertProducer {
  private readonly connection: Redis;
  private readonly ownsConnection: boolean;
  private readonly location: string;
  private readonly alerts: AlertQueue;
  private readonly outcomes: OutcomeQueue;
  private readonly tenant: string;
  private readonly timeoutMs: number;
  /** Bounded enqueues not yet settled; `close` lets them settle before it closes the connection under them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  /** The queues' latest error: told in a timeout's message instead of printed (BullMQ prints them to the console when nobody listens). */
  private lastError: Error | undefined;

  constructor(options: AlertProducerOptions) {
    // Destructuring defaults, unlike a spread, also stand in for options given as `undefined`.
    const { tenant, redis, prefix = DEFAULTS.prefix, chunkSize, timeoutMs = DEFAULTS.timeoutMs } = options;
    if (!TENANT_PATTERN.test(tenant)) {
      throw new RangeError(`AlertProducer option tenant must match ${TENANT_PATTERN}, got ${JSON.stringify(tenant)}`);
    }
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new RangeError(`AlertProducer option timeoutMs must be a positive finite number of milliseconds up to ${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}`);
    }
    this.tenant = tenant;
    this.timeoutMs = timeoutMs;
    this.ownsConnection = typeof redis === 'string';
    this.location = redisLocation(redis);
    this.connection = typeof redis === 'string' ? createRedis(redis) : redis;
    this.alerts = new AlertQueue({ connection: this.connection, prefix, ...(chunkSize === undefined ? {} : { chunkSize }) });
    this.outcomes = new OutcomeQueue({ connection: this.connection, prefix });
    for (const queue of [this.alerts.bullQueue, this.outcomes.bullQueue]) queue.on('error', (err) => (this.lastError = err));
  }

  /**
   * Validates and enqueues one alert at once (lowest latency); the alerts of concurrent sends in one
   * event-loop turn share jobs, up to `chunkSize` a job.
   * @throws HushError `HUSH_ERR_UNAVAILABLE` when Redis has not confirmed the enqueue within `timeoutMs`.
   */
  async send(alert: unknown): Promise<IngestResponse> {
    const { valid, response } = this.validate([alert], parseAlert);
    await this.enqueue('send', valid.length, 'alert', () => this.alerts.addShared(valid));
    return response;
  }

  /**
   * Validates and enqueues many alerts in chunked jobs (highest throughput).
   * @throws HushError `HUSH_ERR_UNAVAILABLE` when Redis has not confirmed the enqueue within `timeoutMs`.
   */
  async sendBulk(alerts: readonly unknown[]): Promise<IngestResponse> {
    const { valid, response } = this.validate(alerts, parseAlert);
    await this.enqueue('sendBulk', valid.length, 'alert', () => this.alerts.addChunked(valid));
    return response;
  }

  /**
   * Validates and enqueues outcomes (feedback labels).
   * @throws HushError `HUSH_ERR_UNAVAILABLE` when Redis has not confirmed the enqueue within `timeoutMs`.
   */
  async sendOutcomes(outcomes: readonly unknown[]): Promise<IngestResponse> {
    const { valid, response } = this.validate(outcomes, parseOutcome);
    await this.enqueue('sendOutcomes', valid.length, 'outcome', () => this.outcomes.add(valid));
    return response;
  }

  /**
   * Lets the sends in flight settle (each does within its `timeoutMs`), then closes the queues and, if the
   * producer opened it, the connection: a send that timed out is dropped with it. Waits at most `timeoutMs`
   * for the queues, then rejects with `HUSH_ERR_UNAVAILABLE`, the connection closed all the same. Safe to
   * call twice; sends after it are refused.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      // Closing the connection under a pending send would leave it unsettled for good.
      await Promise.allSettled(this.inFlight);
      await withTimeout(Promise.all([this.alerts.close(), this.outcomes.close()]), this.timeoutMs);
    } catch (thrown) {
      if (!(thrown instanceof TimeoutError)) throw thrown;
      throw new HushError(
        'HUSH_ERR_UNAVAILABLE',
        `AlertProducer.close timed out after ${this.timeoutMs} ms: ${this.unreachable()}` +
          (this.ownsConnection ? '; the producer closed its connection anyway' : ''),
        { cause: thrown },
      );
    } finally {
      if (this.ownsConnection) this.connection.disconnect();
    }
  }

  private async enqueue(method: string, count: number, kind: 'alert' | 'outcome', add: () => Promise<void>): Promise<void> {
    if (count === 0) return;
    if (this.closing) throw new HushError('HUSH_ERR_CONFLICT', `AlertProducer.${method} after close(): the producer is closed; nothing was sent`);
    const bounded = withTimeout(add(), this.timeoutMs);
    this.inFlight.add(bounded);
    try {
      await bounded;
    } catch (thrown) {
      if (!(thrown instanceof TimeoutError)) throw thrown;
      throw new HushError('HUSH_ERR_UNAVAILABLE', this.timeoutMessage(method, count, kind), { cause: thrown });
    } finally {
      this.inFlight.delete(bounded);
    }
  }

  private timeoutMessage(method: string, count: number, kind: 'alert' | 'outcome'): string {
    const [items, verb, them] = count === 1 ? [`the ${kind}`, 'stays', 'it'] : [`the ${count} ${kind}s`, 'stay', 'them'];
    const pending = this.ownsConnection
      ? `${items} ${verb} queued in this producer and ${count === 1 ? 'is' : 'are'} enqueued if Redis comes back before close(), which drops ${them}`
      : `${items} ${verb} queued on the borrowed connection and ${count === 1 ? 'is' : 'are'} enqueued whenever it reconnects, even after close()`;
    const retry = kind === 'alert' ? 'resend with the same alert ids (the fleet takes an alert id once per tenant)' : 'resending is safe (the fleet keeps one outcome per alert)';
    return `AlertProducer.${method} timed out after ${this.timeoutMs} ms: ${this.unreachable()}; ${pending}. To retry, ${retry}.`;
  }

  private unreachable(): string {
    return `Redis at ${this.location} is unreachable or not answering${this.lastError === undefined ? '' : ` (last error: ${this.lastError.message})`}`;
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
