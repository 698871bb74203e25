import type { Alert } from '../../schemas/alert.js';
import type { MetricSample } from '../../schemas/metric-sample.js';
import type { Outcome } from '../../schemas/outcome.js';
import type { PagerDutyAlert } from '../../schemas/pagerduty.js';
import type { ParseResult } from '../../schemas/parse-result.js';
import type { AlertQueue } from '../../queues/alert-queue.js';
import type { OutcomeQueue } from '../../queues/outcome-queue.js';
import type { MetricsProducer } from '../../queues/metrics-queue.js';
import { HushError } from '../../shared/errors/index.js';
import { BatchRejectedError } from './errors/batch-rejected-error.js';
import type { Acceptance, IngestResponse, MetricsIngestResponse, PagerDutyIngestResponse, Rejection } from '../../schemas/ingest-response.js';
import type { GatewayMetrics } from './metrics.js';
import type { PagerDutyDedup } from './pagerduty-dedup.js';
import { withRedisTimeout } from './with-timeout.js';

/** Most items one request may carry; larger sets go in several requests. */
export const MAX_BATCH_ITEMS = 10_000;

/** Options of {@link Ingest}. */
export interface IngestOptions {
  alerts: AlertQueue;
  outcomes: OutcomeQueue;
  samples: MetricsProducer;
  pagerDuty: PagerDutyDedup;
  metrics: GatewayMetrics;
  redisTimeoutMs: number;
  /** Valid alerts above which a request is enqueued with `addChunked`. */
  bulkThreshold: number;
}

/** Samples a metrics route left out by rule, by the reason that labels `hush_gateway_metric_samples_total`. */
export type SkippedSamples = Partial<Record<'stale' | 'non_finite' | 'histogram', number>>;

/**
 * A request body as a list of items: an array is a batch (1 to {@link MAX_BATCH_ITEMS} items),
 * anything else is one item for the parser to judge.
 */
export function itemsOf(body: unknown, noun: string): { items: readonly unknown[]; batch: boolean } {
  if (body === undefined) throw new HushError('HUSH_ERR_VALIDATION', `body: send one ${noun} object or an array of them as JSON`);
  if (!Array.isArray(body)) return { items: [body], batch: false };
  if (body.length === 0) throw new HushError('HUSH_ERR_VALIDATION', `body: the array holds no ${noun}s`);
  if (body.length > MAX_BATCH_ITEMS) {
    throw new HushError('HUSH_ERR_VALIDATION', `body: at most ${MAX_BATCH_ITEMS} ${noun}s per request, got ${body.length}`);
  }
  return { items: body, batch: true };
}

/**
 * Turns parse results into what is stored and what is rejected, and stores it. Rules:
 * - one item for another tenant makes the whole request 403, so a token cannot probe other tenants;
 * - valid items are stored even when others are rejected (a good alert is never lost beside bad ones);
 * - nothing valid is a 400 naming the first bad field, with the full `rejected` list;
 * - 202 is answered only after Redis has stored the items; otherwise 503.
 */
export class Ingest {
  constructor(private readonly options: IngestOptions) {}

  async alerts(results: readonly ParseResult<Alert>[], batch: boolean): Promise<IngestResponse> {
    const { valid, rejected } = this.partition(results, batch, 'alert', this.options.metrics.alerts);
    const alerts = valid.map((v) => v.value);
    // A job costs the scoring worker and Redis the same whatever it holds (a hash, list entry, events and
    // three scripts), so small requests share jobs with the other requests of the same event-loop turn,
    // and large batches (replays, backfills) are stored as chunks of `chunkSize` alerts per job.
    const enqueue = alerts.length > this.options.bulkThreshold ? this.options.alerts.addChunked(alerts) : this.options.alerts.addShared(alerts);
    await withRedisTimeout(enqueue, this.options.redisTimeoutMs, 'store the alerts');
    this.options.metrics.alerts.inc({ result: 'accepted' }, alerts.length);
    return { accepted: valid.map(({ index, value }) => acceptance(index, value.id, value.status)), rejected };
  }

  /**
   * One PagerDuty event, given the id and times of the alert its dedup_key has open, then stored as
   * {@link alerts}; the answer adds the dedup_key a `resolve` of that alert must name, as PagerDuty's does.
   */
  async pagerDutyEvent(result: ParseResult<PagerDutyAlert>): Promise<PagerDutyIngestResponse> {
    if (!result.ok) {
      await this.alerts([result], false);
      // alerts() answers a request with nothing valid by throwing its 400 (403 for another tenant).
      throw new Error('Ingest.alerts accepted a request holding only an invalid PagerDuty event');
    }
    const { alert, dedupKey } = await withRedisTimeout(this.options.pagerDuty.pair(result.value), this.options.redisTimeoutMs, 'pair the event with its dedup_key');
    return { ...(await this.alerts([{ ok: true, value: alert }], false)), status: 'success', message: 'Event processed', dedup_key: dedupKey };
  }

  async outcomes(results: readonly ParseResult<Outcome>[], batch: boolean): Promise<IngestResponse> {
    const { valid, rejected } = this.partition(results, batch, 'outcome', this.options.metrics.outcomes);
    const outcomes = valid.map((v) => v.value);
    await withRedisTimeout(this.options.outcomes.add(outcomes), this.options.redisTimeoutMs, 'store the outcomes');
    this.options.metrics.outcomes.inc({ result: 'accepted' }, outcomes.length);
    return { accepted: valid.map(({ index, value }) => acceptance(index, value.alertId, value.outcome)), rejected };
  }

  /**
   * Metric samples, and the samples the route left out by rule (counted, and reported to the client).
   * No samples at all is a valid remote write (metadata only, or only staleness markers): 202, nothing stored.
   */
  async metricSamples(results: readonly ParseResult<MetricSample>[], batch: boolean, skipped: SkippedSamples = {}): Promise<MetricsIngestResponse> {
    let skippedTotal = 0;
    for (const [reason, count] of Object.entries(skipped)) {
      if (count > 0) this.options.metrics.samples.inc({ result: reason }, count);
      skippedTotal += count;
    }
    if (results.length === 0) return { accepted: 0, skipped: skippedTotal, rejected: [] };
    const { valid, rejected } = this.partition(results, batch, 'metric sample', this.options.metrics.samples);
    const samples = valid.map((v) => v.value);
    await withRedisTimeout(this.options.samples.push(samples), this.options.redisTimeoutMs, 'store the metric samples');
    this.options.metrics.samples.inc({ result: 'accepted' }, samples.length);
    return { accepted: samples.length, skipped: skippedTotal, rejected };
  }

  private partition<T>(
    results: readonly ParseResult<T>[],
    batch: boolean,
    noun: string,
    counter: GatewayMetrics['alerts'],
  ): { valid: { index: number; value: T }[]; rejected: Rejection[] } {
    const valid: { index: number; value: T }[] = [];
    const rejected: Rejection[] = [];
    results.forEach((result, index) => {
      if (result.ok) valid.push({ index, value: result.value });
      else rejected.push({ index, ...result.error });
    });
    if (rejected.length > 0) counter.inc({ result: 'rejected' }, rejected.length);
    const forbidden = rejected.find((r) => r.code === 'HUSH_ERR_FORBIDDEN_TENANT');
    if (forbidden) {
      if (valid.length > 0) counter.inc({ result: 'rejected' }, valid.length);
      throw new HushError('HUSH_ERR_FORBIDDEN_TENANT', describe(forbidden, batch));
    }
    if (valid.length === 0) {
      const first = rejected[0];
      if (!first) throw new HushError('HUSH_ERR_VALIDATION', `body: holds no ${noun}s`);
      const more = rejected.length > 1 ? ` (${rejected.length - 1} more rejected, see 'rejected')` : '';
      throw new BatchRejectedError(`${describe(first, batch)}${more}`, rejected);
    }
    return { valid, rejected };
  }
}

function acceptance(index: number, id: string, status: string): Acceptance {
  return { index, id, status };
}

/** `field: message` (prefixed with the batch position), unless the parser's message already names the field. */
function describe(rejection: Rejection, batch: boolean): string {
  const text = rejection.message.startsWith(rejection.field) ? rejection.message : `${rejection.field}: ${rejection.message}`;
  return batch ? `[${rejection.index}] ${text}` : text;
}
