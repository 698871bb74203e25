import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { addJobs } from './add-jobs.js';
import { QUEUE_NAMES } from './queue-names.js';
import { ALERT_JOB_OPTIONS } from './alert-queue.js';
import type { NotificationJob } from './jobs.js';

/** The `notifications` queue that dispatchers consume; one job per notified alert. */
export class NotificationQueue {
  private readonly queue: Queue<NotificationJob>;

  constructor(options: { connection: Redis; prefix?: string }) {
    this.queue = new Queue<NotificationJob>(QUEUE_NAMES.notifications, { connection: options.connection, prefix: options.prefix ?? 'hush' });
  }

  /** Enqueues notifications; a re-scored alert (retried job) maps to the same job id and is kept once. */
  async add(notifications: readonly NotificationJob[]): Promise<void> {
    const jobs = notifications.map((n) => ({
      name: 'notify',
      data: n,
      opts: { ...ALERT_JOB_OPTIONS, removeOnComplete: { count: 10_000 }, jobId: `n-${createHash('sha1').update(n.tenant).update('\0').update(n.alertId).digest('hex')}` },
    }));
    await addJobs(this.queue, jobs);
  }

  get bullQueue(): Queue<NotificationJob> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
