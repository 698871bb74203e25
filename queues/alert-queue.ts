import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import { Coalescer } from '../shared/batching/coalescer.js';
import { QUEUE_NAMES } from './queue-names.js';
import { alertJobId } from './job-ids.js';
import type { AlertsJob } from './jobs.js';

/** Options of {@link AlertQueue}. */
export interface AlertQueueOptions {
  /** A Redis connection; the queue does not close it. */
  connection: Redis;
  /** BullMQ key prefix. @defaultValue `hush` */
  prefix?: string;
  /** Alerts per job when enqueuing in bulk. @defaultValue `200` */
  chunkSize?: number;
  /**
   * Merge the enqueues that concurrent callers make in one event-loop turn into one `addBulk` (one
   * Redis pipeline and socket write instead of one per call). @defaultValue `true`
   */
  coalesce?: boolean;
}

const DEFAULTS = { prefix: 'hush', chunkSize: 200, coalesce: true };

/** Jobs one merged `addBulk` carries at most; a larger backlog is split (one caller's jobs never are). */
const MAX_COALESCED_JOBS = 1000;

type AlertBulkJob = Parameters<Queue<AlertsJob>['addBulk']>[0][number];

/** Retries with backoff for transient faults; failed jobs stay in the failed set with their reason. */
export const ALERT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: false,
};

/** Enqueues validated alerts onto the `alerts` queue, one job per alert or per chunk. */
export class AlertQueue {
  private readonly queue: Queue<AlertsJob>;
  private readonly chunkSize: number;
  private readonly addJobs: (jobs: AlertBulkJob[]) => Promise<unknown>;

  constructor(options: AlertQueueOptions) {
    const { connection, prefix, chunkSize, coalesce } = { ...DEFAULTS, ...options };
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 10_000) {
      throw new RangeError(`AlertQueue option chunkSize must be an integer in [1, 10000], got ${chunkSize}`);
    }
    this.chunkSize = chunkSize;
    this.queue = new Queue<AlertsJob>(QUEUE_NAMES.alerts, { connection, prefix });
    if (coalesce) {
      // Each `addBulk` builds an ioredis pipeline (copying all of BullMQ's ~64 scripts onto it) and
      // makes a socket write: one per request, that was half the gateway's CPU at ingest rates. The
      // merge grows with load (more requests finish per turn). Re-running a caller's jobs after a
      // failed merged call is safe: job ids are idempotency keys.
      const coalescer = new Coalescer<AlertBulkJob, true>(
        async (jobs) => {
          await this.store(jobs);
          return jobs.map(() => true as const);
        },
        { maxBatchSize: MAX_COALESCED_JOBS },
      );
      this.addJobs = (jobs) => coalescer.submit(jobs);
    } else {
      this.addJobs = (jobs) => this.store(jobs);
    }
  }

  /**
   * One job goes straight to Redis with `add` (the same script as `addBulk`, without building a
   * pipeline); several share one pipeline.
   */
  private async store(jobs: readonly AlertBulkJob[]): Promise<void> {
    const [only] = jobs;
    if (jobs.length === 1 && only) {
      await this.queue.add(only.name, only.data, only.opts);
    } else {
      // addBulk only reads the array, so the coalescer's needs no copy.
      await this.queue.addBulk(jobs as AlertBulkJob[]);
    }
  }

  /** Enqueues each alert as its own job (one alert per job). */
  async addEach(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const enqueuedAt = Date.now();
    await this.addJobs(
      alerts.map((alert) => ({ name: 'alert', data: { alerts: [alert], enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId([alert]) } })),
    );
  }

  /** Enqueues alerts in chunks of `chunkSize` per job (bulk ingest). */
  async addChunked(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const enqueuedAt = Date.now();
    const jobs: AlertBulkJob[] = [];
    for (let i = 0; i < alerts.length; i += this.chunkSize) {
      const chunk = alerts.slice(i, i + this.chunkSize);
      jobs.push({ name: 'alerts', data: { alerts: chunk, enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId(chunk) } });
    }
    await this.addJobs(jobs);
  }

  /** The underlying BullMQ queue, for depth metrics and administration. */
  get bullQueue(): Queue<AlertsJob> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
