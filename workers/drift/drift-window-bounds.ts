import type { DriftJob } from '../../queues/drift-queue.js';

const MINUTE = 60_000;

/**
 * The event-time window `[from, to)` a drift job judges: the last tumbling window that closed by `now`
 * (aligned to multiples of its length since the epoch), or the sliding window ending at `now` (to the
 * minute); `windowEnd` overrides the end.
 */
export function driftWindowBounds(job: DriftJob, now: number): { from: number; to: number } {
  const to = job.windowEnd ?? (job.windowKind === 'tumbling' ? Math.floor(now / job.windowMs) * job.windowMs : Math.floor(now / MINUTE) * MINUTE);
  return { from: to - job.windowMs, to };
}
