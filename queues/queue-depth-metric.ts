import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { collectWithin } from '../shared/observability/bounded-collect.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const queuesByRegistry = new WeakMap<Registry, Map<string, Queue>>();

/** Adds queues to `hush_queue_jobs{queue,state}` of a registry, read from BullMQ when Prometheus scrapes (within `collectWithin`'s bound). */
export function registerQueueDepth(registry: Registry, queues: readonly Queue[]): void {
  let tracked = queuesByRegistry.get(registry);
  if (!tracked) {
    const all = new Map<string, Queue>();
    tracked = all;
    queuesByRegistry.set(registry, all);
    new Gauge({
      name: 'hush_queue_jobs',
      help: 'Jobs per queue and state (queue depth = waiting)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        await collectWithin(this, async () => {
          for (const queue of all.values()) {
            const counts = await queue.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        });
      },
    });
  }
  for (const queue of queues) if (!tracked.has(queue.name)) tracked.set(queue.name, queue);
}
