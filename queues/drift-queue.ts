import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from './queue-names.js';

/** Which window a drift check judges: the last complete tumbling window, or the sliding window ending now. */
export type DriftWindowKind = 'tumbling' | 'sliding';

/** A `drift` job: judge one window of (tenant, kind)'s stored features against its champion's reference profile. */
export interface DriftJob {
  tenant: string;
  kind: string;
  windowKind: DriftWindowKind;
  /** Window length (ms). */
  windowMs: number;
  /**
   * Event-time end of the window (epoch ms, exclusive). Absent: the last complete tumbling window before
   * the job runs (aligned to `windowMs`), or the sliding window ending at the job's run time (to the minute).
   */
  windowEnd?: number;
}

/** What a drift check did. */
export interface DriftJobResult {
  status: 'reported' | 'skipped';
  /** Why it skipped, or a one-line summary of the report. */
  summary: string;
  datasetDrift: boolean | null;
  decision: { action: 'train' | 'wait'; trigger: string; reason: string; jobId: string | null };
}

/** Cadence of the schedulers {@link DriftQueue.schedule} keeps. */
export interface DriftSchedule {
  /** Tumbling window length; a check runs once per window. @defaultValue 1 h */
  tumblingMs: number;
  /** Sliding window length: a week, the span dataset drift needs to trigger training (docs/drift.md). @defaultValue 7 d */
  slidingMs: number;
  /** How often the sliding window is judged. @defaultValue 6 h */
  slidingEveryMs: number;
}

export const DEFAULT_DRIFT_SCHEDULE: Readonly<DriftSchedule> = Object.freeze({ tumblingMs: 3_600_000, slidingMs: 7 * 86_400_000, slidingEveryMs: 6 * 3_600_000 });

/** The next run of one of a tenant's drift schedulers. */
export interface ScheduledDriftCheck {
  id: string;
  kind: string;
  windowKind: DriftWindowKind;
  everyMs: number;
  next: number | null;
}

const JOB_OPTIONS = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 3, backoff: { type: 'exponential', delay: 10_000 } };

/** The `drift` queue: two job schedulers per (tenant, kind), tumbling and sliding, plus on-demand checks. */
export class DriftQueue {
  private readonly queue: Queue<DriftJob, DriftJobResult>;

  constructor(options: { connection: Redis; prefix?: string }) {
    this.queue = new Queue<DriftJob, DriftJobResult>(QUEUE_NAMES.drift, { connection: options.connection, prefix: options.prefix ?? 'hush' });
  }

  /** Keeps (tenant, kind)'s tumbling and sliding drift checks scheduled (idempotent upserts). */
  async schedule(tenant: string, kind: string, schedule: DriftSchedule = DEFAULT_DRIFT_SCHEDULE): Promise<void> {
    // The tumbling check runs shortly after each window closes, so late rows of the window are in.
    await this.queue.upsertJobScheduler(schedulerId(tenant, kind, 'tumbling'), { every: schedule.tumblingMs, offset: Math.min(300_000, Math.floor(schedule.tumblingMs / 10)) }, {
      name: 'drift', data: { tenant, kind, windowKind: 'tumbling', windowMs: schedule.tumblingMs }, opts: JOB_OPTIONS,
    });
    await this.queue.upsertJobScheduler(schedulerId(tenant, kind, 'sliding'), { every: schedule.slidingEveryMs }, {
      name: 'drift', data: { tenant, kind, windowKind: 'sliding', windowMs: schedule.slidingMs }, opts: JOB_OPTIONS,
    });
  }

  /** Stops (tenant, kind)'s scheduled checks. */
  async unschedule(tenant: string, kind: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(tenant, kind, 'tumbling'));
    await this.queue.removeJobScheduler(schedulerId(tenant, kind, 'sliding'));
  }

  /** Enqueues one check now (e.g. a backfill of a given window). */
  async checkNow(job: DriftJob): Promise<string> {
    const added = await this.queue.add('drift', job, JOB_OPTIONS);
    return added.id as string;
  }

  /** The drift schedulers of `tenant` with their next run. */
  async scheduled(tenant: string): Promise<ScheduledDriftCheck[]> {
    const out: ScheduledDriftCheck[] = [];
    for (const scheduler of await this.queue.getJobSchedulers(0, -1, true)) {
      const data = scheduler.template?.data;
      if (!data || data.tenant !== tenant) continue;
      out.push({ id: scheduler.key, kind: data.kind, windowKind: data.windowKind, everyMs: Number(scheduler.every ?? 0), next: scheduler.next ?? null });
    }
    return out.sort((a, b) => (a.next ?? Infinity) - (b.next ?? Infinity));
  }

  get bullQueue(): Queue<DriftJob, DriftJobResult> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

function schedulerId(tenant: string, kind: string, windowKind: DriftWindowKind): string {
  return `drift:${tenant}:${kind}:${windowKind}`;
}
