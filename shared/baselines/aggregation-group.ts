import { type NotificationEntry, type NotifyReason, needsUpdate } from './notification-log.js';

/**
 * One Alertmanager alert: a fingerprint's continuous firing span. Alertmanager stores one alert per
 * fingerprint, so firing ids that share a fingerprint while it fires are merged into it.
 */
interface AlertInstance {
  /** Ids keeping the alert firing; none once it resolved (it then waits for the next flush to be dropped). */
  readonly firing: Set<string>;
  /** Firing ids not yet shown by a notification. */
  readonly waiting: Set<string>;
  /** A sent notification has listed this alert as firing. */
  shown: boolean;
}

/** What a flush did: why it notified (null: it stayed silent), the entry now logged, the ids it showed. */
export interface FlushResult {
  reason: NotifyReason | null;
  entry: NotificationEntry | undefined;
  shown: string[];
}

/** Alertmanager's `aggrGroup`: the alerts of one group; its owner flushes it at creation + group_wait, then every group_interval. */
export class AggregationGroup {
  private readonly alerts = new Map<string, AlertInstance>();

  constructor(readonly key: string) {}

  /**
   * A firing id joins the group. It is `deduplicated` when its fingerprint is already firing and has
   * been notified (Alertmanager merges it into that alert and has nothing new to send), else `waiting`.
   */
  fire(id: string, fingerprint: string): 'waiting' | 'deduplicated' {
    const current = this.alerts.get(fingerprint);
    if (current && current.firing.size > 0) {
      current.firing.add(id);
      if (current.shown) return 'deduplicated';
      current.waiting.add(id);
      return 'waiting';
    }
    // A resolved alert not yet flushed is replaced: the store keeps the latest alert per fingerprint.
    this.alerts.set(fingerprint, { firing: new Set([id]), waiting: new Set([id]), shown: false });
    return 'waiting';
  }

  /** An id resolves; true when it was still waiting (no notification ever showed it). */
  resolve(id: string, fingerprint: string): boolean {
    const alert = this.alerts.get(fingerprint);
    if (!alert) return false;
    alert.firing.delete(id);
    return alert.waiting.delete(id);
  }

  /**
   * The flush at `now` (`aggrGroup.flush` through the dedup stage): notify if `needsUpdate` says so,
   * showing every firing alert, then drop the resolved alerts, as upstream does after any flush.
   */
  flush(now: number, entry: NotificationEntry | undefined, options: { repeatIntervalMs: number; sendResolved: boolean }): FlushResult {
    const firing = new Set<string>();
    const resolved = new Set<string>();
    for (const [fingerprint, alert] of this.alerts) (alert.firing.size > 0 ? firing : resolved).add(fingerprint);
    const reason = needsUpdate(entry, firing, resolved, options, now);
    const shown: string[] = [];
    if (reason !== null) {
      for (const fingerprint of firing) {
        const alert = this.alerts.get(fingerprint) as AlertInstance;
        alert.shown = true;
        shown.push(...alert.waiting);
        alert.waiting.clear();
      }
    }
    for (const fingerprint of resolved) this.alerts.delete(fingerprint);
    return { reason, entry: reason === null ? entry : { firing, resolved, at: now }, shown };
  }

  /** No alerts left: Alertmanager's maintenance removes the group, and the next alert starts a new one. */
  get empty(): boolean {
    return this.alerts.size === 0;
  }
}
