import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import { Coalescer } from '../shared/batching/coalescer.js';
import { addJobs, type BulkJob } from './add-jobs.js';
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
}

const DEFAULTS = { prefix: 'hush', chunkSize: 200 };

/** Jobs one merged `addBulk` carries at most; a larger backlog is split (one caller's jobs never are). */
const MAX_COALESCED_JOBS = 1000;

type AlertBulkJob = BulkJob<AlertsJob>;

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
  private readonly sharedAlerts: Coalescer<Alert, true>;

  constructor(options: AlertQueueOptions) {
    const { connection, prefix, chunkSize } = { ...DEFAULTS, ...options };
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 10_000) {
      throw new RangeError(`AlertQueue option chunkSize must be an integer in [1, 10000], got ${chunkSize}`);
    }
    this.chunkSize = chunkSize;
    this.queue = new Queue<AlertsJob>(QUEUE_NAMES.alerts, { connection, prefix });
    // Enqueues that concurrent callers make in one event-loop turn share one `addBulk`: each builds an
    // ioredis pipeline (copying all of BullMQ's ~64 scripts onto it) and makes a socket write, which was
    // half the gateway's CPU at ingest rates one per request. Re-running a caller's jobs after a failed
    // merged call is safe: job ids are idempotency keys.
    const coalescer = new Coalescer<AlertBulkJob, true>(
      async (jobs) => {
        await addJobs(this.queue, jobs);
        return jobs.map(() => true as const);
      },
      { maxBatchSize: MAX_COALESCED_JOBS },
    );
    this.addJobs = (jobs) => coalescer.submit(jobs);
    // Each batch is at most one chunk, so it becomes one job; the jobs of one turn still share an addBulk.
    this.sharedAlerts = new Coalescer<Alert, true>(
      async (alerts) => {
        await this.addJobs(this.chunkJobs(alerts));
        return alerts.map(() => true as const);
      },
      { maxBatchSize: chunkSize },
    );
  }

  /** Enqueues each alert as its own job (one alert per job). */
  async addEach(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const enqueuedAt = Date.now();
    await this.addJobs(
      alerts.map((alert) => ({ name: 'alert', data: { alerts: [alert], enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId([alert]) } })),
    );
  }

  /** Enqueues alerts in chunks of `chunkSize` per job (bulk ingest); a repeated alert event is stored once. */
  async addChunked(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.addJobs(this.chunkJobs(alerts));
  }

  /**
   * Enqueues alerts in jobs shared with the other callers of the same event-loop turn, up to
   * `chunkSize` alerts a job: many small requests cost a few jobs instead of one job per alert (each job
   * costs its worker and Redis the same whatever it holds). A repeat of an alert event within one job is
   * stored once. The alerts of a job are scored, and retried, together; an alert event in two jobs still
   * gets one decision, as scoring is idempotent per (tenant, id, status).
   */
  async addShared(alerts: readonly Alert[]): Promise<void> {
    await this.sharedAlerts.submit(alerts);
  }

  private chunkJobs(all: readonly Alert[]): AlertBulkJob[] {
    // A job scores its alerts together, so a repeat inside one would be decided twice.
    const alerts = firstOfEachEvent(all);
    const enqueuedAt = Date.now();
    const jobs: AlertBulkJob[] = [];
    for (let i = 0; i < alerts.length; i += this.chunkSize) {
      const chunk = alerts.slice(i, i + this.chunkSize);
      jobs.push({ name: 'alerts', data: { alerts: chunk, enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId(chunk) } });
    }
    return jobs;
  }

  /** The underlying BullMQ queue, for depth metrics and administration. */
  get bullQueue(): Queue<AlertsJob> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** The alerts without repeats of an earlier one's (tenant, id, status), the identity of an alert event. */
function firstOfEachEvent(alerts: readonly Alert[]): Alert[] {
  const seen = new Set<string>();
  return alerts.filter((alert) => {
    const key = `${alert.tenant}\0${alert.id}\0${alert.status}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
