import { describe, expect, it } from 'vitest';
import { AlertmanagerGrouping, type AlertmanagerGroupingOptions } from '../../shared/baselines/index.js';
import { type StreamAlert, stream } from './alert-stream.js';
import { view } from './decisions-view.js';

const decide = (alerts: StreamAlert[], options: Partial<AlertmanagerGroupingOptions> = {}) => view(new AlertmanagerGrouping(options).decide(stream(alerts)));
const H = 3600;

describe('AlertmanagerGrouping', () => {
  it("folds alerts that join a new group within group_wait into the group's first notification", () => {
    expect(decide([{ id: 'a1', from: 0 }, { id: 'a2', from: 10 }, { id: 'a3', from: 30 }])).toEqual({
      a1: 'notify +30s first_notification',
      a2: 'notify +20s first_notification',
      // An alert arriving at the flush's instant is in that flush.
      a3: 'notify +0s first_notification',
    });
  });

  it('suppresses an alert that resolves before the group is first flushed, up to the flush instant', () => {
    expect(decide([{ id: 'a1', from: 0, to: 20 }, { id: 'a2', from: 5 }, { id: 'a3', from: 6, to: 30 }])).toEqual({
      a1: 'suppress resolved_before_flush',
      a2: 'notify +25s first_notification',
      a3: 'suppress resolved_before_flush',
    });
  });

  it('sends alerts that join a notified group at the next group_interval tick, unless they resolve first', () => {
    expect(decide([{ id: 'a1', from: 0 }, { id: 'a2', from: 60 }, { id: 'a3', from: 100, to: 200 }, { id: 'a4', from: 400 }])).toEqual({
      a1: 'notify +30s first_notification',
      a2: 'notify +270s new_alerts_in_group', // flushes at 30, 330, 630 …
      a3: 'suppress resolved_before_flush',
      a4: 'notify +230s new_alerts_in_group',
    });
  });

  it('keeps groups of different services (and alert names) apart, each with its own group_wait', () => {
    expect(decide([{ id: 'a1', from: 0 }, { id: 'b1', from: 100, service: 'search' }, { id: 'c1', from: 100, name: 'DiskFull' }])).toEqual({
      a1: 'notify +30s first_notification',
      b1: 'notify +30s first_notification',
      c1: 'notify +30s first_notification',
    });
  });

  it('groups by other labels when told to', () => {
    const alerts: StreamAlert[] = [{ id: 'a1', from: 0, labels: { team: 'x' } }, { id: 'b1', from: 100, service: 'search', name: 'DiskFull', labels: { team: 'x' } }];
    expect(decide(alerts, { groupBy: ['team'] })).toEqual({ a1: 'notify +30s first_notification', b1: 'notify +230s new_alerts_in_group' });
  });

  it('deduplicates an alert whose fingerprint is already firing and notified, but folds one that joins before the first flush', () => {
    expect(decide([{ id: 'a1', from: 0, instance: 'i1' }, { id: 'a2', from: 10, instance: 'i1' }, { id: 'a3', from: 60, instance: 'i1' }])).toEqual({
      a1: 'notify +30s first_notification',
      a2: 'notify +20s first_notification',
      a3: 'suppress deduplicated',
    });
  });

  it('keeps a fingerprint firing while any of its merged alerts fires', () => {
    // a1 resolves, but a2 (same fingerprint) keeps the alert firing: a3 at 100 s is still a duplicate.
    expect(decide([{ id: 'a1', from: 0, to: 50, instance: 'i1' }, { id: 'a2', from: 40, instance: 'i1' }, { id: 'a3', from: 100, instance: 'i1' }])).toEqual({
      a1: 'notify +30s first_notification',
      a2: 'suppress deduplicated',
      a3: 'suppress deduplicated',
    });
  });

  it('holds back a flapping alert whose fingerprint is still in the notification log, and repeats after repeat_interval', () => {
    // b keeps the group alive. a1 is notified at 30 s and resolves at 40 s; a2 re-fires the same
    // fingerprint at 45 s, before the flush at 330 s could report the resolution, so Alertmanager sees
    // nothing new. The repeat comes at the first flush strictly later than 30 s + 4 h: 30 s + 49 × 5 min.
    const alerts: StreamAlert[] = [{ id: 'b', from: 0 }, { id: 'a1', from: 0, to: 40, instance: 'i1' }, { id: 'a2', from: 45, instance: 'i1' }];
    expect(decide(alerts)).toEqual({
      a1: 'notify +30s first_notification',
      a2: `notify +${30 + 49 * 300 - 45}s repeat_interval_elapsed`,
      b: 'notify +30s first_notification',
    });
    // If it resolves before anything is sent again, it was never shown.
    expect(decide([...alerts.slice(0, 2), { id: 'a2', from: 45, to: 2 * H, instance: 'i1' }])).toMatchObject({ a2: 'suppress fingerprint_in_notification_log' });
  });

  it('with send_resolved, shows a held-back alert in the notification that reports another alert resolved', () => {
    const alerts: StreamAlert[] = [
      { id: 'b', from: 0 },
      { id: 'c', from: 0, to: 100 },
      { id: 'a1', from: 0, to: 40, instance: 'i1' },
      { id: 'a2', from: 45, instance: 'i1' },
    ];
    expect(decide(alerts)).toMatchObject({ a2: 'notify +285s new_resolved_alerts' });
    expect(decide(alerts, { sendResolved: false })).toMatchObject({ a2: `notify +${30 + 49 * 300 - 45}s repeat_interval_elapsed` });
  });

  it('notifies a re-fired fingerprint as new once a flush has reported its resolution', () => {
    // a1 resolves at 40 s; the flush at 330 s reports it (b keeps the group); a2 at 400 s is new again.
    expect(decide([{ id: 'b', from: 0 }, { id: 'a1', from: 0, to: 40, instance: 'i1' }, { id: 'a2', from: 400, instance: 'i1' }])).toMatchObject({
      a2: 'notify +230s new_alerts_in_group',
    });
  });

  it('closes a group once everything in it resolved, so that the next alert waits group_wait again', () => {
    // The flush at 330 s finds nothing firing (all resolved): the group is removed.
    expect(decide([{ id: 'a1', from: 0, to: 60, instance: 'i1' }, { id: 'a2', from: 400, instance: 'i1' }, { id: 'a3', from: 410 }])).toEqual({
      a1: 'notify +30s first_notification',
      a2: 'notify +30s first_notification',
      a3: 'notify +20s first_notification',
    });
  });

  it('notifies an alert still firing when the stream ends, and ignores a repeated firing line and unknown resolutions', () => {
    const events = stream([{ id: 'a1', from: 0 }]);
    const resolvedElsewhere = stream([{ id: 'zz', from: 0, to: 1 }]).slice(1);
    const decisions = new AlertmanagerGrouping().decide([...events, ...events, ...resolvedElsewhere]);
    expect(view(decisions)).toEqual({ a1: 'notify +30s first_notification' });
  });

  it('uses the configured timers', () => {
    const alerts: StreamAlert[] = [{ id: 'a1', from: 0 }, { id: 'a2', from: 20 }];
    expect(decide(alerts, { groupWaitMs: 0, groupIntervalMs: 60_000 })).toEqual({ a1: 'notify +0s first_notification', a2: 'notify +40s new_alerts_in_group' });
  });

  it('is deterministic', () => {
    const alerts: StreamAlert[] = Array.from({ length: 50 }, (_, i) => ({ id: `a${i}`, from: i * 37, to: i * 37 + ((i * 7919) % 900), instance: `i${i % 5}` }));
    const run = () => [...new AlertmanagerGrouping().decide(stream(alerts))];
    expect(run()).toEqual(run());
  });

  it('refuses a stream out of event-time order', () => {
    const events = stream([{ id: 'a1', from: 10 }, { id: 'a2', from: 0 }]).reverse();
    expect(() => new AlertmanagerGrouping().decide(events)).toThrow(/alert 2 \(id a2\) is earlier than the one before it/);
  });

  it('fails fast on an invalid option, naming it', () => {
    expect(() => new AlertmanagerGrouping({ groupIntervalMs: 0 })).toThrow(/alertmanager-grouping option "groupIntervalMs" must be a whole number of milliseconds ≥ 1/);
    expect(() => new AlertmanagerGrouping({ groupWaitMs: -1 })).toThrow(/"groupWaitMs"/);
    expect(() => new AlertmanagerGrouping({ repeatIntervalMs: 1.5 })).toThrow(/"repeatIntervalMs"/);
    expect(() => new AlertmanagerGrouping({ groupBy: [''] })).toThrow(/"groupBy" must be a list of label names/);
    expect(() => new AlertmanagerGrouping({ sendResolved: 'yes' as unknown as boolean })).toThrow(/"sendResolved" must be true or false/);
  });
});
