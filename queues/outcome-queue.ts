import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Outcome } from '../schemas/outcome.js';
import { QUEUE_NAMES } from './queue-names.js';
import { ALERT_JOB_OPTIONS } from './alert-queue.js';
import type { OutcomesJob } from './jobs.js';

/** Enqueues validated outcomes onto the `outcomes` queue. */
export class OutcomeQueue {
  private readonly queue: Queue<OutcomesJob>;

  constructor(options: { connection: Redis; prefix?: string }) {
    this.queue = new Queue<OutcomesJob>(QUEUE_NAMES.outcomes, { connection: options.connection, prefix: options.prefix ?? 'hush' });
  }

  async add(outcomes: readonly Outcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.queue.add('outcomes', { outcomes: [...outcomes] }, ALERT_JOB_OPTIONS);
  }

  get bullQueue(): Queue<OutcomesJob> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
