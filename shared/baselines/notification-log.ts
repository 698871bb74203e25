/**
 * Alertmanager's notification-log entry for one group: the alert fingerprints the last notification
 * listed as firing and as resolved, and when it was sent. It outlives the group it came from.
 */
export interface NotificationEntry {
  readonly firing: ReadonlySet<string>;
  readonly resolved: ReadonlySet<string>;
  readonly at: number;
}

/** Why a group flush sends a notification, in Alertmanager's words (`notify.NotifyReason`). */
export type NotifyReason = 'first_notification' | 'new_alerts_in_group' | 'all_alerts_resolved' | 'new_resolved_alerts' | 'repeat_interval_elapsed';

/**
 * Alertmanager's `DedupStage.needsUpdate`: whether a flush of a group whose alerts are `firing` and
 * `resolved` (fingerprints) must notify, given the last entry, or `null` if it stays silent.
 * The repeat test is strict, as upstream: the entry is stamped after the send, so a repeat lands on
 * the first flush strictly more than `repeatIntervalMs` after it.
 */
export function needsUpdate(
  entry: NotificationEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  options: { repeatIntervalMs: number; sendResolved: boolean },
  now: number,
): NotifyReason | null {
  if (entry === undefined) return firing.size > 0 ? 'first_notification' : null;
  if (!isSubset(firing, entry.firing)) return entry.firing.size === 0 ? 'first_notification' : 'new_alerts_in_group';
  if (firing.size === 0) return entry.firing.size > 0 ? 'all_alerts_resolved' : null;
  if (options.sendResolved && !isSubset(resolved, entry.resolved)) return 'new_resolved_alerts';
  return entry.at < now - options.repeatIntervalMs ? 'repeat_interval_elapsed' : null;
}

function isSubset(subset: ReadonlySet<string>, of: ReadonlySet<string>): boolean {
  for (const item of subset) if (!of.has(item)) return false;
  return true;
}
