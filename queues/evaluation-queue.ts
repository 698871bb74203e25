import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from './queue-names.js';
import type { EvaluationJob, EvaluationJobResult } from './jobs.js';

/** How often the evaluation worker judges each tenant's models when nobody asks. @defaultValue 15 min */
export const EVALUATION_EVERY_MS = 15 * 60_000;

/** The `evaluation` queue: one scheduled evaluation per (tenant, kind), plus on-demand runs. */
export class EvaluationQueue {
  private readonly queue: Queue<EvaluationJob, EvaluationJobResult>;

  constructor(private readonly options: { connection: Redis; prefix?: string }) {
    this.queue = new Queue<EvaluationJob, EvaluationJobResult>(QUEUE_NAMES.evaluation, { connection: options.connection, prefix: options.prefix ?? 'hush' });
  }

  /**
   * Keeps a BullMQ job scheduler evaluating (tenant, kind) every `everyMs`, the first run one period
   * from now (idempotent upsert; `evaluateNow` is there for anyone who cannot wait).
   */
  async schedule(job: EvaluationJob, everyMs = EVALUATION_EVERY_MS): Promise<void> {
    await this.queue.upsertJobScheduler(`evaluate:${job.tenant}:${job.kind}`, { every: everyMs, startDate: Date.now() + everyMs }, { name: 'evaluate', data: job, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  }

  /** Runs an evaluation now and resolves with its result (rejects with the failure reason). */
  async evaluateNow(job: EvaluationJob, timeoutMs = 300_000): Promise<EvaluationJobResult> {
    // QueueEvents blocks on its connection, and BullMQ leaves a connection it was given open on close.
    const connection = this.options.connection.duplicate();
    const events = new QueueEvents(QUEUE_NAMES.evaluation, { connection, prefix: this.options.prefix ?? 'hush' });
    try {
      await events.waitUntilReady();
      const added = await this.queue.add('evaluate', job, { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } });
      return await added.waitUntilFinished(events, timeoutMs);
    } finally {
      await events.close();
      connection.disconnect();
    }
  }

  get bullQueue(): Queue<EvaluationJob, EvaluationJobResult> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
