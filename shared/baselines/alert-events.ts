import type { Alert } from '../../schemas/alert.js';
import { HushError } from '../errors/index.js';

/** An alert's position in event time: a resolved event happens when it resolves. */
export function eventTime(alert: Alert): number {
  return alert.status === 'resolved' ? (alert.endsAt ?? alert.startsAt) : alert.startsAt;
}

/** One event of a stream a baseline reads: the first firing of an id, or the resolution of a known firing id. */
export type AlertEvent = { kind: 'firing'; time: number; alert: Alert } | { kind: 'resolved'; time: number; alert: Alert };

/**
 * The stream as baselines see it, checked to be in event-time order. The same id firing twice is one
 * alert (DESIGN §2), so repeats are dropped, as are resolutions of ids that never fired in the stream
 * (they started before it) and second resolutions.
 */
export function* alertEvents(stream: Iterable<Alert>): Generator<AlertEvent> {
  const open = new Set<string>();
  const seen = new Set<string>();
  let previous = -Infinity;
  let index = 0;
  for (const alert of stream) {
    index += 1;
    const time = eventTime(alert);
    if (time < previous) {
      throw new HushError('HUSH_ERR_VALIDATION', `alert ${index} (id ${alert.id}) is earlier than the one before it; baselines need a stream sorted by event time (firing by startsAt, resolved by endsAt)`);
    }
    previous = time;
    if (alert.status === 'firing') {
      if (seen.has(alert.id)) continue;
      seen.add(alert.id);
      open.add(alert.id);
      yield { kind: 'firing', time, alert };
    } else if (open.delete(alert.id)) {
      yield { kind: 'resolved', time, alert };
    }
  }
}
