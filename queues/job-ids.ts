import { createHash } from 'node:crypto';
import type { Alert } from '../schemas/alert.js';

/**
 * BullMQ job ids for alert jobs. A hash keeps ids free of ':' and bounded in length whatever the
 * client's alert id holds; the same alert event (or the same chunk) enqueued twice while the first
 * is still waiting is stored once. Idempotency after completion is the scoring worker's job.
 */
export function alertJobId(alerts: readonly Pick<Alert, 'tenant' | 'id' | 'status'>[]): string {
  const hash = createHash('sha1');
  for (const alert of alerts) hash.update(alert.tenant).update('\0').update(alert.id).update('\0').update(alert.status).update('\n');
  return `a${alerts.length > 1 ? 'b' : ''}-${hash.digest('hex')}`;
}
