import type { Alert } from '../../schemas/alert.js';
import { EventHeap } from '../../synth/event-heap.js';
import { AggregationGroup } from './aggregation-group.js';
import { alertEvents } from './alert-events.js';
import type { Baseline, BaselineDecision } from './baseline.js';
import { checkDurationMs, invalidOption } from './baseline-options.js';
import type { NotificationEntry } from './notification-log.js';

export interface AlertmanagerGroupingOptions {
  /**
   * Labels whose values form a group (with the tenant). `alertname`, `service` and `severity` read the
   * alert's own fields, any other name its labels. @defaultValue `['alertname', 'service']`
   */
  groupBy: readonly string[];
  /** Wait before a new group's first notification. @defaultValue `30_000` (30 s) */
  groupWaitMs: number;
  /** Period of a group's later flushes, which send alerts new to the group. @defaultValue `300_000` (5 min) */
  groupIntervalMs: number;
  /** A group with nothing new notifies again once this long has passed. @defaultValue `14_400_000` (4 h) */
  repeatIntervalMs: number;
  /**
   * The receiver's `send_resolved`: a flush that finds newly resolved alerts notifies (listing the
   * firing ones too). True for the PagerDuty, Opsgenie and webhook receivers. @defaultValue `true`
   */
  sendResolved: boolean;
}

const DEFAULTS: AlertmanagerGroupingOptions = {
  groupBy: ['alertname', 'service'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  sendResolved: true,
};

/**
 * Baseline (a): Prometheus Alertmanager's grouping and deduplication, replayed in event time. An alert
 * is notified at the first sent group notification that lists it as firing, and suppressed if none
 * does before it resolves; the exact mapping from Alertmanager's behaviour is in docs/baselines.md.
 */
export class AlertmanagerGrouping implements Baseline {
  readonly name = 'alertmanager-grouping';
  readonly options: Readonly<AlertmanagerGroupingOptions>;

  constructor(options: Partial<AlertmanagerGroupingOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const { groupBy, sendResolved } = this.options as { groupBy: unknown; sendResolved: unknown };
    if (!Array.isArray(groupBy) || groupBy.some((label) => typeof label !== 'string' || label === '')) {
      invalidOption(this.name, 'groupBy', `must be a list of label names, got ${JSON.stringify(groupBy)}`);
    }
    checkDurationMs(this.name, 'groupWaitMs', this.options.groupWaitMs);
    checkDurationMs(this.name, 'groupIntervalMs', this.options.groupIntervalMs, 1);
    checkDurationMs(this.name, 'repeatIntervalMs', this.options.repeatIntervalMs, 1);
    if (typeof sendResolved !== 'boolean') invalidOption(this.name, 'sendResolved', `must be true or false, got ${JSON.stringify(sendResolved)}`);
  }

  decide(stream: Iterable<Alert>): Map<string, BaselineDecision> {
    const { groupWaitMs, groupIntervalMs } = this.options;
    const decisions = new Map<string, BaselineDecision>();
    const groups = new Map<string, AggregationGroup>();
    const log = new Map<string, NotificationEntry>();
    const alerts = new Map<string, { group: AggregationGroup; fingerprint: string; startsAt: number }>();
    const flushes = new EventHeap<{ t: number; seq: number; group: AggregationGroup }>();
    let seq = 0;
    let waiting = 0;

    const flush = (group: AggregationGroup, now: number): void => {
      const result = group.flush(now, log.get(group.key), this.options);
      if (result.entry) log.set(group.key, result.entry);
      for (const id of result.shown) {
        const started = (alerts.get(id) as { startsAt: number }).startsAt;
        decisions.set(id, { decision: 'notify', delayMs: now - started, reason: result.reason as string });
      }
      waiting -= result.shown.length;
      if (group.empty) {
        groups.delete(group.key);
        return;
      }
      flushes.push({ t: now + groupIntervalMs, seq: seq++, group });
    };
    // Flushes strictly before `time`: an event at a flush's instant is in that flush.
    const flushBefore = (time: number): void => {
      for (let next = flushes.peek(); next !== undefined && next.t < time; next = flushes.peek()) {
        flushes.pop();
        flush(next.group, next.t);
      }
    };

    for (const event of alertEvents(stream)) {
      flushBefore(event.time);
      const alert = event.alert;
      if (event.kind === 'firing') {
        const key = this.groupKey(alert);
        let group = groups.get(key);
        if (!group) {
          group = new AggregationGroup(key);
          groups.set(key, group);
          flushes.push({ t: event.time + groupWaitMs, seq: seq++, group });
        }
        alerts.set(alert.id, { group, fingerprint: alert.fingerprint, startsAt: event.time });
        if (group.fire(alert.id, alert.fingerprint) === 'deduplicated') {
          decisions.set(alert.id, { decision: 'suppress', reason: 'deduplicated' });
        } else {
          waiting += 1;
        }
      } else {
        const known = alerts.get(alert.id);
        if (known && known.group.resolve(alert.id, known.fingerprint)) {
          waiting -= 1;
          const inLog = log.get(known.group.key)?.firing.has(known.fingerprint) === true;
          decisions.set(alert.id, { decision: 'suppress', reason: inLog ? 'fingerprint_in_notification_log' : 'resolved_before_flush' });
        }
      }
    }
    // Alerts still firing when the stream ends are still firing: let their groups flush until each is shown.
    for (let next = flushes.pop(); next !== undefined && waiting > 0; next = flushes.pop()) flush(next.group, next.t);
    return decisions;
  }

  private groupKey(alert: Alert): string {
    const values = this.options.groupBy.map((label) => {
      if (label === 'alertname') return alert.name;
      if (label === 'service' || label === 'severity') return alert[label];
      return alert.labels[label] ?? '';
    });
    return JSON.stringify([alert.tenant, ...values]);
  }
}
