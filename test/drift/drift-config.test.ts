import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_SCHEDULE } from '../../queues/drift-queue.js';
import { loadDriftConfig } from '../../workers/drift/drift-config.js';
import { DEFAULT_DRIFT_OPTIONS, resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { driftWindowBounds } from '../../workers/drift/drift-window-bounds.js';

const HOUR = 3_600_000;

describe('drift configuration', () => {
  it('defaults to Evidently-like thresholds, hourly tumbling and a 7-day sliding window, long enough for dataset drift to trigger training', () => {
    const config = loadDriftConfig({}, {});
    expect(config.kinds).toEqual(['noise']);
    expect(config.schedule).toEqual(DEFAULT_DRIFT_SCHEDULE);
    expect(config.schedule).toMatchObject({ tumblingMs: HOUR, slidingMs: 7 * 24 * HOUR, slidingEveryMs: 6 * HOUR });
    expect(config.schedule.slidingMs).toBeGreaterThanOrEqual(config.policy.minDriftWindowMs);
    expect(config.options).toEqual(DEFAULT_DRIFT_OPTIONS);
    expect(config.policy.quietHours).toEqual({ startHour: 8, endHour: 20 });
  });

  it('reads the environment and fails naming the variable', () => {
    const config = loadDriftConfig({}, { HUSH_DRIFT_KINDS: 'noise, storm', HUSH_DRIFT_TUMBLING_MS: '900000', HUSH_DRIFT_SHARE: '0.3', HUSH_DRIFT_PSI_MODE: 'both', HUSH_RETRAIN_QUIET_HOURS: 'none', HUSH_RETRAIN_MIN_INTERVAL_MS: '3600000' });
    expect(config).toMatchObject({ kinds: ['noise', 'storm'], schedule: { tumblingMs: 900_000 }, options: { driftShare: 0.3, psiMode: 'both' }, policy: { quietHours: null, minIntervalMs: HOUR } });
    expect(loadDriftConfig({}, { HUSH_RETRAIN_QUIET_HOURS: '22-6' }).policy.quietHours).toEqual({ startHour: 22, endHour: 6 });
    expect(() => loadDriftConfig({}, { HUSH_DRIFT_TUMBLING_MS: '10' })).toThrow(/HUSH_DRIFT_TUMBLING_MS/);
    expect(() => loadDriftConfig({}, { HUSH_DRIFT_KINDS: 'Bad Kind' })).toThrow(/HUSH_DRIFT_KINDS/);
    expect(() => loadDriftConfig({}, { HUSH_RETRAIN_QUIET_HOURS: 'nights' })).toThrow(/HUSH_RETRAIN_QUIET_HOURS/);
  });

  it('names the environment variable of an invalid value that only the option checks catch', () => {
    expect(() => loadDriftConfig({}, { HUSH_DRIFT_SHARE: '2' })).toThrow(/^HUSH_DRIFT_SHARE="2": drift option driftShare must be in \(0, 1\]/);
    expect(() => loadDriftConfig({}, { HUSH_DRIFT_SHARE: '' })).toThrow(/^HUSH_DRIFT_SHARE="": /);
    expect(() => loadDriftConfig({}, { HUSH_DRIFT_PSI_MODE: 'sometimes' })).toThrow(/^HUSH_DRIFT_PSI_MODE="sometimes": drift option psiMode/);
    expect(() => loadDriftConfig({}, { HUSH_RETRAIN_QUIET_HOURS: '25-3' })).toThrow(/^HUSH_RETRAIN_QUIET_HOURS="25-3": retraining policy quietHours/);
    expect(() => loadDriftConfig({}, { HUSH_RETRAIN_QUIET_HOURS: '8-8' })).toThrow(/^HUSH_RETRAIN_QUIET_HOURS="8-8": /);
  });

  it('rejects invalid drift options by name', () => {
    expect(() => resolveDriftOptions({ alpha: 0 })).toThrow(/alpha/);
    expect(() => resolveDriftOptions({ smallWindowMax: 1.5 })).toThrow(/smallWindowMax/);
    expect(() => resolveDriftOptions({ wassersteinThreshold: -1 })).toThrow(/wassersteinThreshold/);
  });
});

describe('drift windows', () => {
  const now = Date.UTC(2025, 0, 1, 10, 7, 31);

  it('judges the last complete tumbling window in event time', () => {
    expect(driftWindowBounds({ tenant: 't', kind: 'noise', windowKind: 'tumbling', windowMs: HOUR }, now)).toEqual({ from: Date.UTC(2025, 0, 1, 9), to: Date.UTC(2025, 0, 1, 10) });
  });

  it('ends a sliding window at the current minute, and honours an explicit end', () => {
    expect(driftWindowBounds({ tenant: 't', kind: 'noise', windowKind: 'sliding', windowMs: 24 * HOUR }, now)).toEqual({ from: Date.UTC(2024, 11, 31, 10, 7), to: Date.UTC(2025, 0, 1, 10, 7) });
    expect(driftWindowBounds({ tenant: 't', kind: 'noise', windowKind: 'tumbling', windowMs: HOUR, windowEnd: Date.UTC(2025, 0, 1, 3) }, now)).toEqual({ from: Date.UTC(2025, 0, 1, 2), to: Date.UTC(2025, 0, 1, 3) });
  });
});
