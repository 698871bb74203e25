import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from './queue-names.js';
import type { TrainingJob, TrainingJobProgress, TrainingJobResult } from './jobs.js';

/** Where a training request stands, as the API and CLI show it. */
export interface TrainingStatus {
  jobId: string;
  state: string;
  data: TrainingJob;
  progress: TrainingJobProgress | null;
  result: TrainingJobResult | null;
  failedReason: string | null;
}

/** The `training` queue: at most one training per (tenant, kind) waiting or running. */
export class TrainingQueue {
  private readonly queue: Queue<TrainingJob, TrainingJobResult>;

  constructor(options: { connection: Redis; prefix?: string }) {
    this.queue = new Queue<TrainingJob, TrainingJobResult>(QUEUE_NAMES.training, { connection: options.connection, prefix: options.prefix ?? 'hush' });
  }

  /**
   * Asks for a training; while one for the same (tenant, kind) is waiting or running, returns that
   * job's id instead of starting a second (BullMQ deduplication until it completes or fails).
   */
  async request(job: TrainingJob): Promise<string> {
    const added = await this.queue.add('train', job, {
      deduplication: { id: `${job.tenant}:${job.kind}` },
      attempts: 2,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    });
    return added.id as string;
  }

  /** The status of a training job of `tenant`, or null when there is none (or it is another tenant's). */
  async status(tenant: string, jobId: string): Promise<TrainingStatus | null> {
    // State first, then the job: read the other way round, a job that finishes in between shows
    // as completed with the result of its still-active snapshot (none).
    const state = await this.queue.getJobState(jobId);
    const job = (await this.queue.getJob(jobId)) as Job<TrainingJob, TrainingJobResult> | undefined;
    if (!job || job.data.tenant !== tenant) return null;
    const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as unknown as TrainingJobProgress) : null;
    return {
      jobId,
      state,
      data: job.data,
      progress,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
    };
  }

  get bullQueue(): Queue<TrainingJob, TrainingJobResult> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
