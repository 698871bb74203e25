/** BullMQ queue names; the key prefix comes from `HUSH_QUEUE_PREFIX`. */
export const QUEUE_NAMES = {
  alerts: 'alerts',
  outcomes: 'outcomes',
  notifications: 'notifications',
  training: 'training',
  evaluation: 'evaluation',
  drift: 'drift',
  /** Base name of the partitioned metrics queues (`metrics-0` … `metrics-N`). */
  metrics: 'metrics',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
