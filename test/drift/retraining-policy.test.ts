import { describe, expect, it } from 'vitest';
import { estimateLabelNoise, type LabelNoise } from '../../shared/evaluation/label-noise.js';
import { DEFAULT_PROMOTION_POLICY } from '../../shared/evaluation/promotion-policy.js';
import {
  afterQuietHours, DEFAULT_RETRAINING_POLICY, decideRetraining, inQuietHours, labelSettledWindow, rejectedInARow, resolveRetrainingPolicy, volumeClassOf, type LivePerformance, type RetrainingInputs,
} from '../../workers/drift/retraining-policy.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 02:00 UTC: outside the default quiet hours (08–20 UTC).
const NIGHT = Date.UTC(2025, 6, 10, 2);
const NOON = Date.UTC(2025, 6, 10, 12);
const policy = resolveRetrainingPolicy();

/**
 * 3% of noise labelled actionable, estimated at promotion on 2,000 anchors (60 actionable-labelled):
 * the promotion evidence's `labelNoise`.
 */
const NOISE: LabelNoise = estimateLabelNoise(Array.from({ length: 10_000 }, (_, i) => i), Array.from({ length: 10_000 }, (_, i) => (i < 2000 ? (i % 100 < 3 ? 1 : 0) : i % 5 === 0 ? 1 : 0)));

/**
 * The champion's labelled live decisions: `labelled` of them, `nr` suppressed, 20% truly actionable
 * (of which `trueFnr` suppressed), 3% of noise labelled actionable; baseline 0.6 from its promotion.
 */
function live(labelled: number, nr: number, trueFnr = 0, overrides: Partial<LivePerformance> = {}): LivePerformance {
  const trulyActionable = Math.round(0.2 * labelled);
  const missedTrue = Math.round(trueFnr * trulyActionable);
  const suppressed = Math.round(nr * labelled);
  const flippedSuppressed = Math.round(0.03 * (suppressed - missedTrue));
  const flippedNotified = Math.round(0.03 * (labelled - trulyActionable - (suppressed - missedTrue)));
  return {
    metric: 'noiseReduction', baseline: 0.6, baselineSource: 'promotion 2025-07-01T00:00:00.000Z', window: '2025-08-03T10:00:00.000Z–2025-08-04T10:00:00.000Z', days: 1, dailySpread: null, labelled, suppressed,
    actionable: trulyActionable + flippedSuppressed + flippedNotified, missed: missedTrue + flippedSuppressed, labelNoise: NOISE,
    ...overrides,
  };
}

/** A medium-volume tenant (50 labels a day), trained 2 days ago on 250 rows, 300 new labels, 400 actionable ones for an evaluation, nothing wrong. */
function inputs(overrides: Partial<RetrainingInputs> = {}): RetrainingInputs {
  return {
    now: NIGHT,
    dataDrift: { datasetDrift: false, driftedShare: 0.1, driftedFeatures: ['load'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY },
    performance: live(1000, 0.58),
    labelsPerDay: 50,
    newLabels: 300,
    evaluationActionable: 400,
    lastTrainingAt: NIGHT - 2 * DAY,
    trainingRows: 250,
    lastTrainingPromoted: true,
    rejectedInARow: 0,
    trainingInFlight: false,
    ...overrides,
  };
}

describe('retraining policy: triggers', () => {
  it('waits, saying why, when nothing triggers', () => {
    const d = decideRetraining(inputs(), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'none', blockedBy: null, volumeClass: 'medium' });
    expect(d.reason).toBe('no trigger: performance within bounds (noise reduction 58.0%, upper bound 60.5% vs 60.0% at promotion 2025-07-01T00:00:00.000Z; FNR lower bound 0.00%), no dataset drift (10.0% of features drifted); medium-volume schedule next due 2025-07-15T02:00:00.000Z');
    expect(d.nextScheduledAt).toBe(NIGHT + 5 * DAY);
  });

  it('trains on dataset drift, urgently', () => {
    const d = decideRetraining(inputs({ dataDrift: { datasetDrift: true, driftedShare: 0.6, driftedFeatures: ['a', 'b', 'c'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY } }), policy);
    expect(d).toMatchObject({ action: 'train', trigger: 'data-drift', urgent: true, blockedBy: null });
    expect(d.reason).toContain('60.0% of features drifted (a, b, c)');
  });

  it('reports dataset drift in a window shorter than a week without training on it: the calendar alone moves such a window', () => {
    const hour = { datasetDrift: true, driftedShare: 0.6, driftedFeatures: ['a', 'b', 'c'], window: 'tumbling 2025-07-10T01:00:00.000Z–2025-07-10T02:00:00.000Z', windowMs: HOUR, referenceSpanMs: 30 * DAY };
    const d = decideRetraining(inputs({ dataDrift: hour }), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'none' });
    expect(d.reason).toContain('dataset drift in the tumbling 2025-07-10T01:00:00.000Z–2025-07-10T02:00:00.000Z window (60.0% of features drifted) is reported, not a trigger: the window is shorter than 7 d');
    expect(decideRetraining(inputs({ dataDrift: hour }), resolveRetrainingPolicy({ minDriftWindowMs: HOUR }))).toMatchObject({ action: 'train', trigger: 'data-drift' });
    expect(() => resolveRetrainingPolicy({ minDriftWindowMs: -1 })).toThrow(/minDriftWindowMs/);
  });

  it("reports dataset drift against a champion trained on less than a week of alerts without training on it: its reference cannot represent the week's window", () => {
    const week = { datasetDrift: true, driftedShare: 0.7, driftedFeatures: ['a'], window: 'sliding 2025-07-03T02:00:00.000Z–2025-07-10T02:00:00.000Z', windowMs: 7 * DAY, referenceSpanMs: 36 * HOUR };
    const d = decideRetraining(inputs({ dataDrift: week }), policy);
    expect(d).toMatchObject({ action: 'wait', trigger: 'none' });
    expect(d.reason).toContain("is reported, not a trigger: the champion's training data spans 36.0 h, less than the 7 d a reference needs to compare like with like");
    expect(decideRetraining(inputs({ dataDrift: { ...week, referenceSpanMs: 7 * DAY } }), policy)).toMatchObject({ action: 'train', trigger: 'data-drift' });
  });

  it('trains when the live noise reduction is significantly 10% or more below its promotion figure, not on a point drop', () => {
    // 1,000 decisions at 48% live against 60% at promotion: the upper bound (≈ 50.6%) is below the 54% floor.
    const fell = decideRetraining(inputs({ performance: live(1000, 0.48) }), policy);
    expect(fell).toMatchObject({ action: 'train', trigger: 'performance', urgent: true });
    expect(fell.reason).toContain('noiseReduction fell 20.0% relative: 48.0% live over 1000 labelled decisions on 1 day(s) of 2025-08-03T10:00:00.000Z–2025-08-04T10:00:00.000Z');
    expect(fell.reason).toContain('vs 60.0% at promotion 2025-07-01T00:00:00.000Z');
    // A 12% point drop (52.8%) on one day's 1,000 decisions is within sampling noise: the old point
    // comparison trained here.
    const noisy = decideRetraining(inputs({ performance: live(1000, 0.528) }), policy);
    expect(noisy.trigger).toBe('none');
    expect(noisy.reason).toMatch(/performance within bounds \(noise reduction 52\.8%, upper bound 55\.\d%/);
    // The same drop over 20,000 decisions is evidence.
    expect(decideRetraining(inputs({ performance: live(20_000, 0.528) }), policy).trigger).toBe('performance');
  });

  it("widens the bound by the baseline's day-to-day spread: one bursty day is not a degradation, a week of it is", () => {
    // The evaluation's 10 days varied with a standard deviation of 6 points. One day at 48%:
    // 48% + t(0.95, 9) × 6% × √(1 + 1/10) ≈ 59.5%, above the 54% floor, though its 1,000 decisions
    // alone put the Wilson bound at 50.6%.
    const spread = { days: 10, sd: 0.06 };
    const oneDay = decideRetraining(inputs({ performance: live(1000, 0.48, 0, { dailySpread: spread }) }), policy);
    expect(oneDay.trigger).toBe('none');
    expect((oneDay.evidence.live as { noiseReductionUpper: number }).noiseReductionUpper).toBeCloseTo(0.48 + 1.8331129 * 0.06 * Math.sqrt(1.1), 6);
    // Seven days at 48%: 48% + 1.833 × 6% × √(1/7 + 1/10) ≈ 53.4%, below the floor.
    const week = decideRetraining(inputs({ performance: live(7000, 0.48, 0, { dailySpread: spread, days: 7 }) }), policy);
    expect(week.trigger).toBe('performance');
    expect(week.reason).toContain('on 7 day(s) of');
    expect(week.reason).toContain('daily spread 6.0%');
    // A spread narrower than the sampling error leaves the Wilson bound in charge.
    expect(decideRetraining(inputs({ performance: live(1000, 0.48, 0, { dailySpread: { days: 10, sd: 0.001 } }) }), policy).trigger).toBe('performance');
  });

  it('needs a drop of at least one point, what a challenger must gain to be promoted', () => {
    // Promoted at 1%, suppressing nothing over 1,000 decisions: a 100% relative drop, significant, but
    // one point; a retraining could not be promoted for recovering it.
    const small = decideRetraining(inputs({ performance: live(1000, 0, 0, { baseline: 0.01 }) }), policy);
    expect(small.trigger).toBe('none');
    expect(small.evidence.live).toMatchObject({ noiseReduction: 0 });
    expect((small.evidence.live as { noiseReductionFloor: number }).noiseReductionFloor).toBeCloseTo(0, 12);
    const tenPoints = decideRetraining(inputs({ performance: live(1000, 0, 0, { baseline: 0.1 }) }), policy);
    expect(tenPoints.trigger).toBe('performance');
    expect(tenPoints.reason).toContain('at or below the floor 9.0% (a 10.0% relative and 1.0% absolute drop)');
  });

  it('does not judge noise reduction without a promotion baseline', () => {
    const d = decideRetraining(inputs({ performance: live(1000, 0.1, 0, { baseline: null, baselineSource: 'no promotion evidence' }) }), policy);
    expect(d.trigger).toBe('none');
    expect(d.reason).toContain('noise reduction not judged: no promotion baseline');
  });

  it('does not train on an FNR inflated by flipped labels, corrected for label noise', () => {
    // A perfect model suppressing 58%: 3% flipped noise labels make its labelled FNR ≈ 7%, far above
    // 1%; the old trigger (raw FNR > target) trained at every check.
    const perfect = live(1000, 0.58);
    expect(perfect.missed / perfect.actionable).toBeGreaterThan(0.05);
    const d = decideRetraining(inputs({ performance: perfect }), policy);
    expect(d.trigger).toBe('none');
    expect((d.evidence.live as { fnrCorrected: boolean; fnrLower: number }).fnrCorrected).toBe(true);
    expect((d.evidence.live as { fnrLower: number }).fnrLower).toBeLessThanOrEqual(0.01);
  });

  it('trains when the corrected FNR lower bound is above target: evidence of misses, not lack of proof', () => {
    const missing = decideRetraining(inputs({ performance: live(2000, 0.58, 0.15) }), policy);
    expect(missing).toMatchObject({ action: 'train', trigger: 'fnr', urgent: true });
    expect(missing.reason).toMatch(/^live FNR lower bound \d+\.\d\d% \(corrected for label noise\) over \d+ actionable-labelled of 2000 decisions/);
    // 1.5% true FNR on 1,000 decisions: above target as a point, but the data cannot show it.
    expect(decideRetraining(inputs({ performance: live(1000, 0.58, 0.015) }), policy).trigger).toBe('none');
  });

  it('judges the FNR on labels as they are when the promotion recorded no label-noise estimate', () => {
    const d = decideRetraining(inputs({ performance: live(1000, 0.58, 0, { labelNoise: null }) }), policy);
    expect(d.trigger).toBe('fnr');
    expect(d.reason).toContain('labels as they are: no label-noise estimate');
  });

  it('judges performance on the drift window moved back until its labels have settled, a day by default', () => {
    expect(DEFAULT_RETRAINING_POLICY.labelSettlingMs).toBe(DAY);
    expect(labelSettledWindow({ from: NIGHT - DAY, to: NIGHT }, policy)).toEqual({ from: NIGHT - 2 * DAY, to: NIGHT - DAY });
    expect(labelSettledWindow({ from: NIGHT - HOUR, to: NIGHT }, resolveRetrainingPolicy({ labelSettlingMs: 6 * HOUR }))).toEqual({ from: NIGHT - 7 * HOUR, to: NIGHT - 6 * HOUR });
    expect(labelSettledWindow({ from: NIGHT - HOUR, to: NIGHT }, resolveRetrainingPolicy({ labelSettlingMs: 0 }))).toEqual({ from: NIGHT - HOUR, to: NIGHT });
    expect(() => resolveRetrainingPolicy({ labelSettlingMs: -1 })).toThrow(/labelSettlingMs must be a finite number ≥ 0/);
  });

  it('starts the settled window no earlier than a re-certification of the serving thresholds: decisions before were made with others', () => {
    const at = (t: number) => new Date(t).toISOString();
    const week = { from: NIGHT - 7 * DAY, to: NIGHT };
    expect(labelSettledWindow(week, policy, { source: 're-certification', at: at(NIGHT - 3 * DAY) })).toEqual({ from: NIGHT - 3 * DAY, to: NIGHT - DAY });
    expect(labelSettledWindow(week, policy, { source: 're-certification', at: at(NIGHT - 10 * DAY) })).toEqual({ from: NIGHT - 8 * DAY, to: NIGHT - DAY });
    // Thresholds newer than the settled window leave nothing to judge.
    expect(labelSettledWindow(week, policy, { source: 're-certification', at: at(NIGHT - HOUR) })).toEqual({ from: NIGHT - DAY, to: NIGHT - DAY });
    // A promotion's decisions are the model's own: the window is not cut.
    expect(labelSettledWindow(week, policy, { source: 'promotion', at: at(NIGHT - 3 * DAY) })).toEqual({ from: NIGHT - 8 * DAY, to: NIGHT - DAY });
  });

  it('does not judge performance on too few labelled decisions', () => {
    const d = decideRetraining(inputs({ performance: live(50, 0.1, 0.5) }), policy);
    expect(d.trigger).toBe('none');
    expect(d.reason).toContain('only 50 labelled live decisions of 2025-08-03T10:00:00.000Z–2025-08-04T10:00:00.000Z');
  });

  it('puts performance before FNR before drift before the schedule', () => {
    const all = inputs({
      performance: live(2000, 0.3, 0.3),
      dataDrift: { datasetDrift: true, driftedShare: 1, driftedFeatures: ['a'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY },
      lastTrainingAt: NIGHT - 60 * DAY,
    });
    expect(decideRetraining(all, policy).trigger).toBe('performance');
    expect(decideRetraining({ ...all, performance: live(2000, 0.6, 0.3) }, policy).trigger).toBe('fnr');
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

  it('holds a scheduled training until the new labels match the last training set, at most 30 days', () => {
    const high = (newLabels: number, trainingRows: number | null, daysAgo = 2) => decideRetraining(inputs({ labelsPerDay: 1000, newLabels, trainingRows, lastTrainingAt: NIGHT - daysAgo * DAY, dataDrift: null, performance: null }), policy);
    // The daily high-volume schedule is due with 2,000 new labels, but the champion learnt from 20,000:
    // the old policy (class minimum 500) trained here every day.
    const held = high(2000, 20_000);
    expect(held).toMatchObject({ action: 'wait', trigger: 'schedule', blockedBy: 'min-new-labels' });
    expect(held.reason).toContain('a scheduled training needs 100.0% of its 20000 training rows, 20000, until 30 d after it');
    expect(high(20_000, 20_000, 20)).toMatchObject({ action: 'train', trigger: 'schedule' });
    expect(high(2000, 20_000, 30)).toMatchObject({ action: 'train', trigger: 'schedule' });
    // Unknown training set (none recorded): the class minimum alone.
    expect(high(600, null)).toMatchObject({ action: 'train', trigger: 'schedule' });
    // Urgent triggers are not held by it after a promoted training.
    const drifted = (lastTrainingPromoted: boolean, newLabels = 200, daysAgo = 2) => decideRetraining(inputs({ labelsPerDay: 1000, newLabels, trainingRows: 20_000, lastTrainingPromoted, lastTrainingAt: NIGHT - daysAgo * DAY, dataDrift: { datasetDrift: true, driftedShare: 0.5, driftedFeatures: ['a'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY } }), policy);
    expect(drifted(true)).toMatchObject({ action: 'train', trigger: 'data-drift' });
  });

  it('holds every trigger after a training that was not promoted until the labels match its training set: the evaluation already answered on those labels', () => {
    const after = (newLabels: number, performance: LivePerformance | null, daysAgo = 2) => decideRetraining(inputs({ labelsPerDay: 1000, newLabels, trainingRows: 20_000, lastTrainingPromoted: false, lastTrainingAt: NIGHT - daysAgo * DAY, dataDrift: { datasetDrift: true, driftedShare: 0.5, driftedFeatures: ['a'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY }, performance }), policy);
    const drift = after(2000, null);
    expect(drift).toMatchObject({ action: 'wait', trigger: 'data-drift', urgent: true, blockedBy: 'min-new-labels' });
    expect(drift.reason).toContain('the last training was not promoted, so a retraining needs 100.0% of its 20000 training rows, 20000, until 30 d after it');
    expect(after(2000, live(1000, 0.48))).toMatchObject({ action: 'wait', trigger: 'performance', blockedBy: 'min-new-labels' });
    expect(after(20_000, live(1000, 0.48))).toMatchObject({ action: 'train', trigger: 'performance' });
    expect(after(2000, null, 30)).toMatchObject({ action: 'train', trigger: 'data-drift' });
  });

  it('backs the schedule off geometrically while challengers keep being rejected, not drift or performance', () => {
    const high = (newLabels: number, rejected: number, daysAgo = 2) => decideRetraining(inputs({ labelsPerDay: 1000, newLabels, trainingRows: 20_000, lastTrainingPromoted: rejected === 0, rejectedInARow: rejected, lastTrainingAt: NIGHT - daysAgo * DAY, dataDrift: null, performance: null }), policy);
    expect(high(20_000, 0)).toMatchObject({ action: 'train', trigger: 'schedule' });
    // One rejection in a row: twice the last training's rows; two: four times.
    const once = high(20_000, 1);
    expect(once).toMatchObject({ action: 'wait', trigger: 'schedule', blockedBy: 'min-new-labels' });
    expect(once.reason).toContain('a scheduled training needs 200.0% (100.0% × 2 for each of the 1 challengers rejected in a row) of its 20000 training rows, 40000');
    expect(high(40_000, 1)).toMatchObject({ action: 'train', trigger: 'schedule' });
    expect(high(40_000, 2)).toMatchObject({ action: 'wait', blockedBy: 'min-new-labels' });
    expect(high(80_000, 2)).toMatchObject({ action: 'train' });
    // The 30-day cap still holds, and a drift trigger needs the plain share.
    expect(high(2000, 3, 30)).toMatchObject({ action: 'train', trigger: 'schedule' });
    const drifted = decideRetraining(inputs({ labelsPerDay: 1000, newLabels: 20_000, trainingRows: 20_000, lastTrainingPromoted: false, rejectedInARow: 3, dataDrift: { datasetDrift: true, driftedShare: 0.5, driftedFeatures: ['a'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY }, performance: null }), policy);
    expect(drifted).toMatchObject({ action: 'train', trigger: 'data-drift' });
    // Off at 1.
    expect(decideRetraining(inputs({ labelsPerDay: 1000, newLabels: 20_000, trainingRows: 20_000, lastTrainingPromoted: false, rejectedInARow: 3, dataDrift: null, performance: null }), resolveRetrainingPolicy({ rejectionBackoff: 1 })).action).toBe('train');
    expect(() => resolveRetrainingPolicy({ rejectionBackoff: 0.5 })).toThrow(/rejectionBackoff/);
  });

  it('counts the challengers rejected since the champion was installed', () => {
    const at = (i: number): string => new Date(NIGHT + i * DAY).toISOString();
    const event = (i: number, action: ModelEvent['action']): ModelEvent => ({ at: at(i), action, modelId: `m${i}`, previousModelId: '', reason: 'test', evidence: {} });
    expect(rejectedInARow([])).toBe(0);
    expect(rejectedInARow([event(0, 'reject'), event(1, 'reject')])).toBe(2);
    expect(rejectedInARow([event(0, 'reject'), event(1, 'promote'), event(2, 'register'), event(3, 'reject'), event(4, 'canary'), event(5, 'reject')])).toBe(2);
    expect(rejectedInARow([event(0, 'promote'), event(1, 'reject'), event(2, 'rollback')])).toBe(0);
    // A scheduled re-certification of the champion's thresholds is neither a rejection nor an installation.
    expect(rejectedInARow([event(0, 'promote'), event(1, 'reject'), event(2, 'recertify'), event(3, 'reject'), event(4, 'recertify')])).toBe(2);
  });

  it('takes its classes from the options', () => {
    const custom = resolveRetrainingPolicy({ volumeClasses: [{ name: 'busy', minLabelsPerDay: 10, intervalMs: HOUR * 12, minNewLabels: 10 }, { name: 'rest', minLabelsPerDay: 0, intervalMs: 90 * DAY, minNewLabels: 1 }] });
    expect(decideRetraining(inputs({ labelsPerDay: 11, dataDrift: null, performance: null }), custom)).toMatchObject({ action: 'train', volumeClass: 'busy' });
    expect(() => resolveRetrainingPolicy({ volumeClasses: [{ name: 'x', minLabelsPerDay: 5, intervalMs: DAY, minNewLabels: 1 }] })).toThrow(/minLabelsPerDay 0 last/);
    expect(() => resolveRetrainingPolicy({ degradation: 1.5 })).toThrow(/degradation must be in \(0, 1\)/);
    expect(() => resolveRetrainingPolicy({ quietHours: { startHour: 5, endHour: 5 } })).toThrow(/quietHours/);
    expect(() => resolveRetrainingPolicy({ confidence: 1 })).toThrow(/confidence must be in \(0, 1\)/);
    expect(() => resolveRetrainingPolicy({ minDrop: 1 })).toThrow(/minDrop must be in \[0, 1\)/);
    expect(() => resolveRetrainingPolicy({ minNewLabelsShare: -1 })).toThrow(/minNewLabelsShare/);
    expect(() => resolveRetrainingPolicy({ maxScheduleIntervalMs: 0 })).toThrow(/maxScheduleIntervalMs/);
  });
});

describe('retraining policy: guards', () => {
  const drift = { datasetDrift: true, driftedShare: 0.75, driftedFeatures: ['a'], window: 'sliding', windowMs: 7 * DAY, referenceSpanMs: 30 * DAY };

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

  it('trains only when the evaluation could judge the challenger: as many labelled actionable alerts after its training window as the promotion rule needs', () => {
    expect(DEFAULT_RETRAINING_POLICY.minEvaluationActionable).toBe(DEFAULT_PROMOTION_POLICY.minActionable);
    const cold = { lastTrainingAt: null, trainingRows: null, lastTrainingPromoted: false, dataDrift: null, performance: null, newLabels: 900 };
    const waiting = decideRetraining(inputs({ ...cold, evaluationActionable: 162 }), policy);
    expect(waiting).toMatchObject({ action: 'wait', trigger: 'schedule', blockedBy: 'min-evaluation-actionable' });
    expect(waiting.reason).toBe('no model was ever trained, but the evaluation could not judge a challenger: only 162 labelled actionable alerts would follow its training window, and it needs 300 to bound the FNR');
    expect(waiting.evidence).toMatchObject({ evaluationActionable: 162 });
    expect(decideRetraining(inputs({ ...cold, evaluationActionable: 299 }), policy).blockedBy).toBe('min-evaluation-actionable');
    const ready = decideRetraining(inputs({ ...cold, evaluationActionable: 300 }), policy);
    expect(ready).toMatchObject({ action: 'train', trigger: 'schedule', blockedBy: null });
    expect(ready.reason).toBe('no model was ever trained; 900 new labels, 300 labelled actionable alerts for the evaluation');
    // Urgent triggers too: a challenger the evaluation cannot judge is rejected whatever caused it.
    expect(decideRetraining(inputs({ dataDrift: drift, evaluationActionable: 120 }), policy)).toMatchObject({ action: 'wait', trigger: 'data-drift', urgent: true, blockedBy: 'min-evaluation-actionable' });
    expect(decideRetraining(inputs({ dataDrift: drift, evaluationActionable: 120 }), resolveRetrainingPolicy({ minEvaluationActionable: 120 })).action).toBe('train');
    expect(() => resolveRetrainingPolicy({ minEvaluationActionable: -1 })).toThrow(/minEvaluationActionable/);
    expect(() => resolveRetrainingPolicy({ minEvaluationActionable: 2.5 })).toThrow(/minEvaluationActionable/);
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
    expect(d.evidence).toMatchObject({ labelsPerDay: 50, newLabels: 300, evaluationActionable: 400, trainingRows: 250, lastTrainingPromoted: true, trainingInFlight: false, lastTrainingAt: new Date(NIGHT - 2 * DAY).toISOString() });
    expect(d.evidence.live).toMatchObject({ noiseReduction: 0.58, noiseReductionFloor: 0.54, fnrCorrected: true });
  });
});
