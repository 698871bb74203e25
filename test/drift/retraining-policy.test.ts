import { describe, expect, it } from 'vitest';
import {
  afterQuietHours, DEFAULT_RETRAINING_POLICY, decideRetraining, inQuietHours, resolveRetrainingPolicy, volumeClassOf, type RetrainingInputs,
} from '../../workers/drift/retraining-policy.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 02:00 UTC: outside the default quiet hours (08–20 UTC).
const NIGHT = Date.UTC(2025, 6, 10, 2);
const NOON = Date.UTC(2025, 6, 10, 12);
const policy = resolveRetrainingPolicy();

/** A medium-volume tenant (50 labels a day), trained 2 days ago, 300 new labels, nothing wrong. */
function inputs(overrides: Partial<RetrainingInputs> = {}): RetrainingInputs {
  return {
    now: NIGHT,
    dataDrift: { datasetDrift: false, driftedShare: 0.1, driftedFeatures: ['load'], window: 'tumbling' },
    performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.58, fnr: 0.005, labelled: 400 },
    labelsPerDay: 50,
    newLabels: 300,
    lastTrainingAt: NIGHT - 2 * DAY,
    trainingInFlight: false,
    ...overrides,
  };
}

describe('retraining policy: triggers', () => {
  it('waits, saying why, when nothing triggers', () => {
    const d = decideRetraining(inputs(), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'none', blockedBy: null, volumeClass: 'medium' });
    expect(d.reason).toMatch(/no trigger: performance within bounds, no dataset drift \(10\.0% of features drifted\)/);
    expect(d.nextScheduledAt).toBe(NIGHT + 5 * DAY);
  });

  it('trains on dataset drift, urgently', () => {
    const d = decideRetraining(inputs({ dataDrift: { datasetDrift: true, driftedShare: 0.6, driftedFeatures: ['a', 'b', 'c'], window: 'sliding' } }), policy);
    expect(d).toMatchObject({ action: 'train', trigger: 'data-drift', urgent: true, blockedBy: null });
    expect(d.reason).toContain('60.0% of features drifted (a, b, c)');
  });

  it('trains when the key metric fell 10% relative or more, not when it fell less', () => {
    const fell = decideRetraining(inputs({ performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.54, fnr: 0.005, labelled: 400 } }), policy);
    expect(fell).toMatchObject({ action: 'train', trigger: 'performance', urgent: true });
    expect(fell.reason).toContain('noiseReduction fell 10.0% relative');
    const held = decideRetraining(inputs({ performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.545, fnr: 0.005, labelled: 400 } }), policy);
    expect(held.trigger).toBe('none');
  });

  it('trains when the live FNR is above target', () => {
    const d = decideRetraining(inputs({ performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.6, fnr: 0.03, labelled: 400 } }), policy);
    expect(d).toMatchObject({ action: 'train', trigger: 'fnr', urgent: true });
  });

  it('does not judge performance on too few labelled decisions', () => {
    const d = decideRetraining(inputs({ performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.1, fnr: 0.5, labelled: 50 } }), policy);
    expect(d.trigger).toBe('none');
    expect(d.reason).toContain('only 50 labelled live decisions');
  });

  it('puts performance before FNR before drift before the schedule', () => {
    const all = inputs({
      performance: { metric: 'noiseReduction', baseline: 0.6, current: 0.3, fnr: 0.5, labelled: 400 },
      dataDrift: { datasetDrift: true, driftedShare: 1, driftedFeatures: ['a'], window: 'tumbling' },
      lastTrainingAt: NIGHT - 60 * DAY,
    });
    expect(decideRetraining(all, policy).trigger).toBe('performance');
    expect(decideRetraining({ ...all, performance: { ...all.performance!, current: 0.6 } }, policy).trigger).toBe('fnr');
    expect(decideRetraining({ ...all, performance: null }, policy).trigger).toBe('data-drift');
    expect(decideRetraining({ ...all, performance: null, dataDrift: null }, policy).trigger).toBe('schedule');
  });

  it('trains on schedule when the interval of the volume class has passed, and on cold start', () => {
    const due = decideRetraining(inputs({ lastTrainingAt: NIGHT - 8 * DAY }), policy);
    expect(due).toMatchObject({ action: 'train', trigger: 'schedule', urgent: false });
    const never = decideRetraining(inputs({ lastTrainingAt: null, dataDrift: null, performance: null }), policy);
    expect(never).toMatchObject({ action: 'train', trigger: 'schedule' });
    expect(never.reason).toContain('no model was ever trained');
  });
});

describe('retraining policy: adaptive schedule', () => {
  it('classes tenants by labelled volume, each with its interval and minimum new labels', () => {
    expect(volumeClassOf(1000, policy).name).toBe('high');
    expect(volumeClassOf(200, policy).name).toBe('high');
    expect(volumeClassOf(199.9, policy).name).toBe('medium');
    expect(volumeClassOf(20, policy).name).toBe('medium');
    expect(volumeClassOf(3, policy).name).toBe('low');
    // Two days after the last training: due for a high-volume tenant, not for medium or low.
    const at = (labelsPerDay: number, newLabels: number) => decideRetraining(inputs({ labelsPerDay, newLabels, dataDrift: null, performance: null }), policy);
    expect(at(500, 1000)).toMatchObject({ action: 'train', trigger: 'schedule', volumeClass: 'high' });
    expect(at(50, 1000)).toMatchObject({ action: 'wait', trigger: 'none', volumeClass: 'medium' });
    expect(at(2, 1000)).toMatchObject({ action: 'wait', trigger: 'none', volumeClass: 'low' });
    // A high-volume tenant needs 500 new labels for a scheduled training.
    expect(at(500, 499)).toMatchObject({ action: 'wait', trigger: 'schedule', blockedBy: 'min-new-labels' });
  });

  it('takes its classes from the options', () => {
    const custom = resolveRetrainingPolicy({ volumeClasses: [{ name: 'busy', minLabelsPerDay: 10, intervalMs: HOUR * 12, minNewLabels: 10 }, { name: 'rest', minLabelsPerDay: 0, intervalMs: 90 * DAY, minNewLabels: 1 }] });
    expect(decideRetraining(inputs({ labelsPerDay: 11, dataDrift: null, performance: null }), custom)).toMatchObject({ action: 'train', volumeClass: 'busy' });
    expect(() => resolveRetrainingPolicy({ volumeClasses: [{ name: 'x', minLabelsPerDay: 5, intervalMs: DAY, minNewLabels: 1 }] })).toThrow(/minLabelsPerDay 0 last/);
    expect(() => resolveRetrainingPolicy({ degradation: 1.5 })).toThrow(/degradation must be in \(0, 1\)/);
    expect(() => resolveRetrainingPolicy({ quietHours: { startHour: 5, endHour: 5 } })).toThrow(/quietHours/);
  });
});

describe('retraining policy: guards', () => {
  const drift = { datasetDrift: true, driftedShare: 0.75, driftedFeatures: ['a'], window: 'tumbling' };

  it('never starts a second training while one is in flight', () => {
    const d = decideRetraining(inputs({ dataDrift: drift, trainingInFlight: true }), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'data-drift', blockedBy: 'in-flight' });
  });

  it('keeps the minimum interval between trainings, even for urgent triggers', () => {
    const d = decideRetraining(inputs({ dataDrift: drift, lastTrainingAt: NIGHT - 2 * HOUR }), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'data-drift', blockedBy: 'min-interval' });
    expect(d.reason).toContain('2.0 h ago (minimum interval 6.0 h)');
  });

  it('needs the minimum of new labels', () => {
    const d = decideRetraining(inputs({ dataDrift: drift, newLabels: 99 }), policy);
    expect(d).toMatchObject({ action: 'wait', blockedBy: 'min-new-labels' });
    expect(decideRetraining(inputs({ dataDrift: drift, newLabels: 100 }), policy).action).toBe('train');
  });

  it('holds scheduled training in quiet hours but not urgent training', () => {
    const scheduled = decideRetraining(inputs({ now: NOON, lastTrainingAt: NOON - 8 * DAY, dataDrift: null, performance: null }), policy);
    expect(scheduled).toMatchObject({ action: 'wait', trigger: 'schedule', blockedBy: 'quiet-hours' });
    expect(scheduled.reason).toContain(new Date(Date.UTC(2025, 6, 10, 20)).toISOString());
    expect(scheduled.nextScheduledAt).toBe(Date.UTC(2025, 6, 10, 20));
    expect(decideRetraining(inputs({ now: NOON, dataDrift: drift }), policy)).toMatchObject({ action: 'train', trigger: 'data-drift' });
    const noQuiet = resolveRetrainingPolicy({ quietHours: null });
    expect(decideRetraining(inputs({ now: NOON, lastTrainingAt: NOON - 8 * DAY, dataDrift: null, performance: null }), noQuiet).action).toBe('train');
  });

  it('handles quiet hours that wrap midnight', () => {
    const quiet = { startHour: 22, endHour: 6 };
    expect(inQuietHours(Date.UTC(2025, 0, 1, 23), quiet)).toBe(true);
    expect(inQuietHours(Date.UTC(2025, 0, 1, 5), quiet)).toBe(true);
    expect(inQuietHours(Date.UTC(2025, 0, 1, 6), quiet)).toBe(false);
    expect(afterQuietHours(Date.UTC(2025, 0, 1, 23), quiet)).toBe(Date.UTC(2025, 0, 2, 6));
    expect(afterQuietHours(Date.UTC(2025, 0, 1, 3), quiet)).toBe(Date.UTC(2025, 0, 1, 6));
    expect(afterQuietHours(Date.UTC(2025, 0, 1, 12), quiet)).toBe(Date.UTC(2025, 0, 1, 12));
  });

  it('records its evidence with every decision', () => {
    const d = decideRetraining(inputs(), DEFAULT_RETRAINING_POLICY);
    expect(d.evidence).toMatchObject({ labelsPerDay: 50, newLabels: 300, trainingInFlight: false, lastTrainingAt: new Date(NIGHT - 2 * DAY).toISOString() });
  });
});
