/** BullMQ queue names; the key prefix comes from `HUSH_QUEUE_PREFIX`. */
export const QUEUE_NAMES = {
  alerts: 'alerts',
  outcomes: 'outcomes',
  notifications: 'notifications',
  training: 'training',
  evaluation: 'evaluation',
  drift: 'drift',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
