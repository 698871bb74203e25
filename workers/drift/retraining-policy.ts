import { liveNoiseReductionUpper, type DailySpread } from '../../shared/evaluation/daily-spread.js';
import { fnrBounds, type LabelNoise } from '../../shared/evaluation/label-noise.js';
import { DEFAULT_PROMOTION_POLICY } from '../../shared/evaluation/promotion-policy.js';
import { HushError } from '../../shared/errors/index.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A tenant volume class of the adaptive schedule. */
export interface VolumeClass {
  name: string;
  /** Labelled alerts per day (over the volume window) from which a tenant is in this class. */
  minLabelsPerDay: number;
  /** Scheduled training interval of the class. */
  intervalMs: number;
  /** New labels since the last training a scheduled training needs. */
  minNewLabels: number;
}

/** Quiet hours (UTC, `[startHour, endHour)`, may wrap midnight) in which no scheduled training starts. */
export interface QuietHours {
  startHour: number;
  endHour: number;
}

/** The knobs of the retraining policy (one object, so every decision records what it used). */
export interface RetrainingPolicyOptions {
  /**
   * Volume classes, checked in order; the first whose `minLabelsPerDay` the tenant reaches applies.
   * @defaultValue high ≥ 200/day: daily, 500 new labels; medium ≥ 20/day: weekly, 200; low: every 30 days, 50
   */
  volumeClasses: VolumeClass[];
  /** No training starts sooner than this after the last one, whatever the trigger. @defaultValue 6 h */
  minIntervalMs: number;
  /** New labels since the last training an urgent (drift or performance) training needs. @defaultValue 100 */
  minNewLabels: number;
  /**
   * Dataset drift triggers training only when judged on a window at least this long, against a reference
   * profile whose training data spans at least as long; otherwise it is reported. Alert volume (so every
   * rate feature) follows the day and the week, so a shorter window, or a reference from a day or two of
   * alerts, differs from the other by the calendar alone.
   * @defaultValue 7 d (docs/drift.md: why)
   */
  minDriftWindowMs: number;
  /**
   * Relative drop of the champion's live noise reduction below the one its promotion measured that
   * triggers training, judged on the live figure's upper confidence bound (as the rollback rule).
   * @defaultValue 0.1
   */
  degradation: number;
  /**
   * Least absolute drop (noise-reduction points) that triggers training, whatever the relative drop: the
   * evaluation's least promotable gain, since a challenger recovering a smaller loss is not promoted.
   * @defaultValue 0.01 (the promotion policy's `minGain`)
   */
  minDrop: number;
  /**
   * Triggers training when the live FNR's lower confidence bound, corrected for label noise, is above it.
   * @defaultValue 0.01 (the evaluation policy's target)
   */
  fnrTarget: number;
  /** One-sided confidence of the live bounds the performance and FNR triggers judge. @defaultValue 0.95 (as promotion and rollback) */
  confidence: number;
  /** Labelled live decisions needed before performance or FNR is judged. @defaultValue 200 */
  minPerformanceLabels: number;
  /**
   * Performance and FNR are judged on the alerts of the drift window moved this far back, so that their
   * labels have arrived: real problems are labelled within minutes, noise hours later, and a window of
   * fresh alerts under-counts suppressed noise. @defaultValue 24 h (docs/drift.md: why)
   */
  labelSettlingMs: number;
  /**
   * A scheduled training also needs new labels of at least this share of the last training's rows, and so
   * does an urgent one after a training that was not promoted. @defaultValue 1 (docs/drift.md: why)
   */
  minNewLabelsShare: number;
  /**
   * Each training in a row the evaluation did not promote multiplies the share of new labels the next
   * one needs by this: a rejection says the labels so far did not buy a better model. 1 turns it off.
   * @defaultValue 2 (docs/drift.md: why)
   */
  rejectionBackoff: number;
  /** From this long after the last training on, a scheduled training needs only its class minimum of new labels. @defaultValue 30 d */
  maxScheduleIntervalMs: number;
  /** Quiet hours for scheduled (not urgent) training; null for none. @defaultValue 08:00–20:00 UTC */
  quietHours: QuietHours | null;
  /**
   * Labelled actionable alerts after a challenger's training window that the evaluation needs to judge
   * it: fewer, and it rejects the challenger whatever it is, so no training starts.
   * @defaultValue the promotion policy's `minActionable` (300: docs/drift.md, why)
   */
  minEvaluationActionable: number;
}

export const DEFAULT_RETRAINING_POLICY: Readonly<RetrainingPolicyOptions> = Object.freeze({
  volumeClasses: [
    { name: 'high', minLabelsPerDay: 200, intervalMs: DAY, minNewLabels: 500 },
    { name: 'medium', minLabelsPerDay: 20, intervalMs: 7 * DAY, minNewLabels: 200 },
    { name: 'low', minLabelsPerDay: 0, intervalMs: 30 * DAY, minNewLabels: 50 },
  ],
  minIntervalMs: 6 * HOUR,
  minNewLabels: 100,
  minDriftWindowMs: 7 * DAY,
  degradation: 0.1,
  minDrop: 0.01,
  fnrTarget: 0.01,
  confidence: 0.95,
  minPerformanceLabels: 200,
  labelSettlingMs: DAY,
  minNewLabelsShare: 1,
  rejectionBackoff: 2,
  maxScheduleIntervalMs: 30 * DAY,
  quietHours: { startHour: 8, endHour: 20 },
  minEvaluationActionable: DEFAULT_PROMOTION_POLICY.minActionable,
});

/** Everything the policy looks at; the drift worker gathers it, tests construct it. */
export interface RetrainingInputs {
  now: number;
  /**
   * The window's dataset-drift verdict, its length and the event-time span of the champion's training
   * data (its reference profile); null when no report could be made (no champion, no profile).
   */
  dataDrift: { datasetDrift: boolean; driftedShare: number; driftedFeatures: string[]; window: string; windowMs: number; referenceSpanMs: number } | null;
  /** The champion's labelled live decisions in the window, and what its promotion measured; null without a champion report. */
  performance: LivePerformance | null;
  /** Labelled alerts the newest model was trained on (its `trainRows`), promoted or not; null when unknown or none. */
  trainingRows: number | null;
  /** The newest model is the champion: the last training was promoted (false while it awaits or lost its evaluation). */
  lastTrainingPromoted: boolean;
  /** Challengers the evaluation rejected since the champion was installed ({@link rejectedInARow}). */
  rejectedInARow: number;
  /** Labelled alerts per day over the volume window. */
  labelsPerDay: number;
  /** Labelled alerts since the last training (all of them when never trained). */
  newLabels: number;
  /** Labelled actionable alerts the evaluation would judge a challenger trained now on (`evaluationActionable`, evaluation-evidence.ts). */
  evaluationActionable: number;
  /** When the newest model was trained; null when none ever was. */
  lastTrainingAt: number | null;
  /** A training of (tenant, kind) is waiting or running. */
  trainingInFlight: boolean;
}

/**
 * The champion's labelled live decisions (as `decideRollback` counts them) and the reference they are
 * judged against. The baseline is the noise reduction the evaluation measured on labelled alerts at the
 * per-service thresholds the model serves with (at promotion, or at a later evaluation that kept it and
 * re-certified its thresholds: `servingBaseline`): the same quantity as the live figure. (The holdout
 * noise reduction at the default threshold is not: it fired the trigger at every check.)
 */
export interface LivePerformance {
  metric: 'noiseReduction';
  /** Noise reduction the evaluation measured at the thresholds the champion serves with; null when none was recorded. */
  baseline: number | null;
  /** Where the baseline comes from, for the decision's evidence (e.g. the promotion event's time). */
  baselineSource: string;
  /** The label-settled window the figures come from ({@link labelSettledWindow}), in words. */
  window: string;
  /** UTC days the labelled decisions span (a one-day window says less than its alert count suggests). */
  days: number;
  /** How much the baseline's daily noise reduction varied (recorded with the baseline); null: the Wilson bound alone. */
  dailySpread: DailySpread | null;
  /** Labelled decisions, suppressed ones, actionable-labelled ones, and actionable-labelled suppressed (missed). */
  labelled: number;
  suppressed: number;
  actionable: number;
  missed: number;
  /** The label-noise estimate the FNR bound is corrected with (recorded with the baseline); null: labels as they are. */
  labelNoise: LabelNoise | null;
}

export type RetrainingTrigger = 'performance' | 'fnr' | 'data-drift' | 'schedule' | 'none';
export type RetrainingGuard = 'in-flight' | 'min-interval' | 'min-new-labels' | 'min-evaluation-actionable' | 'quiet-hours';

/** A decision and why. */
export interface RetrainingDecision {
  action: 'train' | 'wait';
  trigger: RetrainingTrigger;
  /** Drift and performance triggers are urgent (quiet hours do not hold them); the schedule is not. */
  urgent: boolean;
  /** The guard that turned a trigger into `wait`; null when training or when nothing triggered. */
  blockedBy: RetrainingGuard | null;
  reason: string;
  volumeClass: string;
  /** When the schedule is next due (epoch ms): last training + the class interval, moved out of quiet hours. */
  nextScheduledAt: number;
  evidence: Record<string, unknown>;
}

/** Validates and completes policy options; an invalid value fails naming the option. */
export function resolveRetrainingPolicy(options: Partial<RetrainingPolicyOptions> = {}): RetrainingPolicyOptions {
  const policy: RetrainingPolicyOptions = { ...DEFAULT_RETRAINING_POLICY, ...options };
  const fail = (name: string, value: unknown, rule: string): never => {
    throw new HushError('HUSH_ERR_CONFIG', `retraining policy ${name} must be ${rule}, got ${JSON.stringify(value)}`);
  };
  if (policy.volumeClasses.length === 0) fail('volumeClasses', policy.volumeClasses, 'non-empty');
  policy.volumeClasses.forEach((c, i) => {
    if (!(c.minLabelsPerDay >= 0)) fail(`volumeClasses[${i}].minLabelsPerDay`, c.minLabelsPerDay, '≥ 0');
    if (!(c.intervalMs > 0)) fail(`volumeClasses[${i}].intervalMs`, c.intervalMs, '> 0');
    if (!(c.minNewLabels >= 0)) fail(`volumeClasses[${i}].minNewLabels`, c.minNewLabels, '≥ 0');
    if (i > 0 && !(c.minLabelsPerDay < (policy.volumeClasses[i - 1] as VolumeClass).minLabelsPerDay)) fail('volumeClasses', policy.volumeClasses.map((v) => v.minLabelsPerDay), 'in decreasing minLabelsPerDay order');
  });
  if ((policy.volumeClasses[policy.volumeClasses.length - 1] as VolumeClass).minLabelsPerDay !== 0) fail('volumeClasses', 'last class', 'a class with minLabelsPerDay 0 last (every tenant needs one)');
  if (!(policy.minIntervalMs >= 0)) fail('minIntervalMs', policy.minIntervalMs, '≥ 0');
  if (!(policy.minNewLabels >= 0)) fail('minNewLabels', policy.minNewLabels, '≥ 0');
  if (!(policy.minDriftWindowMs >= 0 && Number.isFinite(policy.minDriftWindowMs))) fail('minDriftWindowMs', policy.minDriftWindowMs, 'a finite number ≥ 0');
  if (!(policy.degradation > 0 && policy.degradation < 1)) fail('degradation', policy.degradation, 'in (0, 1)');
  if (!(policy.minDrop >= 0 && policy.minDrop < 1)) fail('minDrop', policy.minDrop, 'in [0, 1)');
  if (!(policy.fnrTarget >= 0 && policy.fnrTarget < 1)) fail('fnrTarget', policy.fnrTarget, 'in [0, 1)');
  if (!(policy.confidence > 0 && policy.confidence < 1)) fail('confidence', policy.confidence, 'in (0, 1)');
  if (!(policy.minPerformanceLabels >= 1)) fail('minPerformanceLabels', policy.minPerformanceLabels, '≥ 1');
  if (!(policy.labelSettlingMs >= 0 && Number.isFinite(policy.labelSettlingMs))) fail('labelSettlingMs', policy.labelSettlingMs, 'a finite number ≥ 0');
  if (!(policy.minNewLabelsShare >= 0)) fail('minNewLabelsShare', policy.minNewLabelsShare, '≥ 0');
  if (!(policy.rejectionBackoff >= 1 && Number.isFinite(policy.rejectionBackoff))) fail('rejectionBackoff', policy.rejectionBackoff, 'a finite number ≥ 1');
  if (!(policy.maxScheduleIntervalMs > 0)) fail('maxScheduleIntervalMs', policy.maxScheduleIntervalMs, '> 0');
  if (!(Number.isInteger(policy.minEvaluationActionable) && policy.minEvaluationActionable >= 0)) fail('minEvaluationActionable', policy.minEvaluationActionable, 'an integer ≥ 0');
  const q = policy.quietHours;
  if (q !== null && !(Number.isInteger(q.startHour) && Number.isInteger(q.endHour) && q.startHour >= 0 && q.startHour < 24 && q.endHour >= 0 && q.endHour <= 24 && q.startHour !== q.endHour)) {
    fail('quietHours', q, 'integer hours 0–24 with start ≠ end');
  }
  return policy;
}

/**
 * The event-time window whose labelled decisions the performance and FNR triggers judge: the drift
 * window `[from, to)` moved back by `labelSettlingMs`, so that its alerts' labels have arrived. After a
 * re-certification of the champion's thresholds (`baseline.source`, see `servingBaseline`) it starts no
 * earlier than that: the champion's decisions before it were made with other thresholds than the
 * baseline's (a decision's event time precedes its decision, so none of those is left). A promotion
 * needs no such bound: the window's decisions are the champion's own (by model id). Empty (`from` =
 * `to`) when the thresholds are newer than the settled window.
 */
export function labelSettledWindow(window: { from: number; to: number }, policy: RetrainingPolicyOptions, baseline: { source: string; at: string } | null = null): { from: number; to: number } {
  const to = window.to - policy.labelSettlingMs;
  const from = window.from - policy.labelSettlingMs;
  return { from: baseline?.source === 're-certification' ? Math.min(Math.max(from, Date.parse(baseline.at)), to) : from, to };
}

/** The volume class of a tenant labelling `labelsPerDay` alerts a day. */
export function volumeClassOf(labelsPerDay: number, policy: RetrainingPolicyOptions): VolumeClass {
  return policy.volumeClasses.find((c) => labelsPerDay >= c.minLabelsPerDay) ?? (policy.volumeClasses[policy.volumeClasses.length - 1] as VolumeClass);
}

/** Whether `at` (epoch ms) falls in the quiet hours. */
export function inQuietHours(at: number, quiet: QuietHours | null): boolean {
  if (quiet === null) return false;
  const hour = new Date(at).getUTCHours();
  return quiet.startHour < quiet.endHour ? hour >= quiet.startHour && hour < quiet.endHour : hour >= quiet.startHour || hour < quiet.endHour;
}

/** The first time ≥ `at` outside the quiet hours. */
export function afterQuietHours(at: number, quiet: QuietHours | null): number {
  if (!inQuietHours(at, quiet) || quiet === null) return at;
  const dayStart = Math.floor(at / DAY) * DAY;
  const end = dayStart + quiet.endHour * HOUR;
  return end > at ? end : end + DAY;
}

/**
 * Decides whether (tenant, kind) should train now. Triggers, most urgent first: performance
 * degradation against the promotion's figure (on a confidence bound), FNR above target (its
 * label-noise-corrected lower bound), both on the label-settled window, dataset drift (in a window of at
 * least `minDriftWindowMs`), schedule due. Guards, in order: a training already in flight, the minimum
 * interval, the minimum new labels (relative to the last training's rows for the schedule, and for every
 * trigger after a training that was not promoted), enough labelled actionable alerts for the evaluation
 * to judge the challenger, quiet hours (scheduled training only).
 * Pure: the same inputs give the same decision, with its reason in words.
 */
export function decideRetraining(inputs: RetrainingInputs, policy: RetrainingPolicyOptions = DEFAULT_RETRAINING_POLICY): RetrainingDecision {
  const volume = volumeClassOf(inputs.labelsPerDay, policy);
  const due = inputs.lastTrainingAt === null ? inputs.now : inputs.lastTrainingAt + volume.intervalMs;
  // Due, but not before the minimum interval has passed nor in the past, and never in quiet hours.
  const earliest = inputs.lastTrainingAt === null ? due : Math.max(due, inputs.lastTrainingAt + policy.minIntervalMs);
  const nextScheduledAt = afterQuietHours(Math.max(earliest, inputs.now), policy.quietHours);
  const live = liveBounds(inputs.performance, policy);
  const evidence: Record<string, unknown> = {
    labelsPerDay: inputs.labelsPerDay,
    newLabels: inputs.newLabels,
    evaluationActionable: inputs.evaluationActionable,
    lastTrainingAt: inputs.lastTrainingAt === null ? null : new Date(inputs.lastTrainingAt).toISOString(),
    dataDrift: inputs.dataDrift,
    performance: inputs.performance,
    live,
    trainingRows: inputs.trainingRows,
    lastTrainingPromoted: inputs.lastTrainingPromoted,
    rejectedInARow: inputs.rejectedInARow,
    trainingInFlight: inputs.trainingInFlight,
  };
  const decide = (action: RetrainingDecision['action'], trigger: RetrainingTrigger, urgent: boolean, blockedBy: RetrainingGuard | null, reason: string): RetrainingDecision => ({
    action, trigger, urgent, blockedBy, reason, volumeClass: volume.name, nextScheduledAt, evidence,
  });

  const [trigger, why] = firstTrigger(inputs, live, policy, volume, due);
  if (trigger === 'none') return decide('wait', 'none', false, null, `no trigger: ${why}; ${volume.name}-volume schedule next due ${new Date(nextScheduledAt).toISOString()}`);
  const urgent = trigger !== 'schedule';

  if (inputs.trainingInFlight) return decide('wait', trigger, urgent, 'in-flight', `${why}, but a training of this model is already waiting or running`);
  if (inputs.lastTrainingAt !== null && inputs.now - inputs.lastTrainingAt < policy.minIntervalMs) {
    return decide('wait', trigger, urgent, 'min-interval', `${why}, but the last training was ${hours(inputs.now - inputs.lastTrainingAt)} ago (minimum interval ${hours(policy.minIntervalMs)})`);
  }
  const share = relativeShare(inputs, policy, urgent);
  const relative = urgent && inputs.lastTrainingPromoted ? 0 : relativeMinimum(inputs, policy, share);
  const floor = urgent ? policy.minNewLabels : volume.minNewLabels;
  const needed = Math.max(floor, relative);
  if (inputs.newLabels < needed) {
    const backedOff = share === policy.minNewLabelsShare ? '' : ` (${pct(policy.minNewLabelsShare)} × ${policy.rejectionBackoff} for each of the ${inputs.rejectedInARow} challengers rejected in a row)`;
    const rule = relative <= floor ? (urgent ? `urgent minimum ${needed}` : `${volume.name}-volume minimum ${needed}`)
      : `${urgent ? 'the last training was not promoted, so a retraining' : 'a scheduled training'} needs ${pct(share)}${backedOff} of its ${inputs.trainingRows} training rows, ${needed}, until ${hours(policy.maxScheduleIntervalMs)} after it`;
    return decide('wait', trigger, urgent, 'min-new-labels', `${why}, but only ${inputs.newLabels} new labels since the last training (${rule})`);
  }
  if (inputs.evaluationActionable < policy.minEvaluationActionable) {
    return decide('wait', trigger, urgent, 'min-evaluation-actionable', `${why}, but the evaluation could not judge a challenger: only ${inputs.evaluationActionable} labelled actionable alerts would follow its training window, and it needs ${policy.minEvaluationActionable} to bound the FNR`);
  }
  if (!urgent && inQuietHours(inputs.now, policy.quietHours)) {
    return decide('wait', trigger, urgent, 'quiet-hours', `${why}, but scheduled training waits out the quiet hours (until ${new Date(afterQuietHours(inputs.now, policy.quietHours)).toISOString()})`);
  }
  return decide('train', trigger, urgent, null, `${why}; ${inputs.newLabels} new labels, ${inputs.evaluationActionable} labelled actionable alerts for the evaluation`);
}

/**
 * New labels a training needs beyond its minimum: `share` of the last training's rows, promoted or not.
 * The product trains on the older half of all labels, so with share 1 the challenger's training set is
 * ≥ 1.5× the last one's; a retraining on a few percent more rows rebuilds nearly the same model, which the
 * promotion rule (a significant ≥ 1-point gain) then rejects. It holds the schedule always, and urgent
 * triggers after a training that was not promoted: that evaluation already answered them on nearly the
 * same labels. Waived `maxScheduleIntervalMs` after the last training, so a long history does not
 * stretch the wait without end.
 */
function relativeMinimum(inputs: RetrainingInputs, policy: RetrainingPolicyOptions, share: number): number {
  if (inputs.trainingRows === null || inputs.lastTrainingAt === null) return 0;
  if (inputs.now - inputs.lastTrainingAt >= policy.maxScheduleIntervalMs) return 0;
  return Math.ceil(share * inputs.trainingRows);
}

/**
 * The share of the last training's rows a training needs as new labels: `minNewLabelsShare`, and for the
 * schedule × `rejectionBackoff` per challenger rejected in a row. Once models stop improving with more
 * of the same labels (the learning curve flattens), each scheduled retraining is rejected; backing off
 * spaces them out geometrically instead of retraining at every 1.5× of the data. Drift and performance
 * triggers do not back off: they answer a change, not the calendar.
 */
function relativeShare(inputs: RetrainingInputs, policy: RetrainingPolicyOptions, urgent: boolean): number {
  return urgent ? policy.minNewLabelsShare : policy.minNewLabelsShare * policy.rejectionBackoff ** inputs.rejectedInARow;
}

/**
 * Challengers the evaluation rejected since the champion was installed (the `reject` events after the
 * latest `promote` or `rollback` of the history, oldest first); all of them with no champion.
 */
export function rejectedInARow(history: readonly ModelEvent[]): number {
  let rejected = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const { action } = history[i] as ModelEvent;
    if (action === 'promote' || action === 'rollback') break;
    if (action === 'reject') rejected += 1;
  }
  return rejected;
}

/** The live figures and their one-sided bounds at the policy's confidence; null when not judged. */
interface LiveBounds {
  noiseReduction: number;
  /** Upper bound of the live noise reduction (liveNoiseReductionUpper: Wilson, widened by the baseline's daily spread). */
  noiseReductionUpper: number;
  /** min((1 − degradation) × baseline, baseline − minDrop): the upper bound at or below it is a degradation; null without baseline. */
  noiseReductionFloor: number | null;
  fnr: number | null;
  /** Lower bound of the FNR, corrected for label noise when an estimate is known. */
  fnrLower: number;
  fnrCorrected: boolean;
}

function liveBounds(perf: LivePerformance | null, policy: RetrainingPolicyOptions): LiveBounds | null {
  if (perf === null || perf.labelled < policy.minPerformanceLabels) return null;
  const counts = { alerts: perf.labelled, suppressed: perf.suppressed, actionable: perf.actionable, missed: perf.missed };
  return {
    noiseReduction: perf.suppressed / perf.labelled,
    // A degradation is a drop the window cannot explain by chance. One day's ~1,000 labelled decisions
    // give a 15% noise reduction a binomial standard error of ~1.1 points (7% relative), but alerts come
    // in bursts: a new champion's first day (an incident day) served 1.9% against the 7.0% its
    // evaluation measured over a week, and 6.7% and 15.1% the next two days. So the bound is also widened
    // by the baseline's day-to-day spread over the days the window spans. The same bound as
    // decideRollback, so "degraded" means one thing.
    noiseReductionUpper: liveNoiseReductionUpper(perf.suppressed, perf.labelled, perf.days, policy.confidence, perf.dailySpread),
    // Both a relative and an absolute drop: 10% of a 1% noise reduction is 0.1 points, far less than a
    // challenger must gain to be promoted, so a retraining for it is wasted.
    noiseReductionFloor: perf.baseline === null || !(perf.baseline > 0) ? null : Math.min((1 - policy.degradation) * perf.baseline, perf.baseline - policy.minDrop),
    fnr: perf.actionable > 0 ? perf.missed / perf.actionable : null,
    // The lower bound, as the rollback rule: a trigger needs evidence that the FNR *is* above target.
    // The upper bound (promotion's certificate) stays above 1% on a window's few hundred actionable
    // labels even for a perfect model (the rule of three needs 300 with no miss), so it would fire at
    // every check. Corrected for label noise: 3% flipped labels make rightly suppressed noise look missed.
    fnrLower: fnrBounds(counts, policy.confidence, perf.labelNoise).lower,
    fnrCorrected: perf.labelNoise !== null,
  };
}

function firstTrigger(inputs: RetrainingInputs, live: LiveBounds | null, policy: RetrainingPolicyOptions, volume: VolumeClass, due: number): [RetrainingTrigger, string] {
  const perf = inputs.performance;
  if (perf !== null && live !== null && perf.baseline !== null && live.noiseReductionFloor !== null) {
    // The tolerance keeps a bound exactly at the floor a trigger despite rounding.
    if (live.noiseReductionUpper <= live.noiseReductionFloor + 1e-12) {
      const drop = 1 - live.noiseReduction / perf.baseline;
      return ['performance', `${perf.metric} fell ${pct(drop)} relative: ${pct(live.noiseReduction)} live over ${perf.labelled} labelled decisions on ${perf.days} day(s) of ${perf.window} (upper ${pct(policy.confidence)} bound ${pct(live.noiseReductionUpper)}${perf.dailySpread === null ? '' : `, daily spread ${pct(perf.dailySpread.sd)}`}) vs ${pct(perf.baseline)} at ${perf.baselineSource}, at or below the floor ${pct(live.noiseReductionFloor)} (a ${pct(policy.degradation)} relative and ${pct(policy.minDrop)} absolute drop)`];
    }
  }
  if (perf !== null && live !== null && live.fnrLower > policy.fnrTarget) {
    return ['fnr', `live FNR lower bound ${pct2(live.fnrLower)}${live.fnrCorrected ? ' (corrected for label noise)' : ' (labels as they are: no label-noise estimate)'} over ${perf.actionable} actionable-labelled of ${perf.labelled} decisions of ${perf.window} (${perf.missed} suppressed) is above the target ${pct2(policy.fnrTarget)}`];
  }
  if (inputs.dataDrift?.datasetDrift && inputs.dataDrift.windowMs >= policy.minDriftWindowMs && inputs.dataDrift.referenceSpanMs >= policy.minDriftWindowMs) {
    const d = inputs.dataDrift;
    return ['data-drift', `dataset drift in the ${d.window} window: ${pct(d.driftedShare)} of features drifted (${d.driftedFeatures.join(', ')})`];
  }
  if (inputs.now >= due) {
    return ['schedule', inputs.lastTrainingAt === null ? 'no model was ever trained' : `the ${volume.name}-volume schedule (every ${hours(volume.intervalMs)}) is due`];
  }
  const notes = [
    perf === null ? 'no performance figures'
      : live === null ? `only ${perf.labelled} labelled live decisions of ${perf.window} (need ${policy.minPerformanceLabels} to judge performance)`
        : `performance within bounds (${perf.baseline === null ? 'noise reduction not judged: no promotion baseline' : `noise reduction ${pct(live.noiseReduction)}, upper bound ${pct(live.noiseReductionUpper)} vs ${pct(perf.baseline)} at ${perf.baselineSource}`}; FNR lower bound ${pct2(live.fnrLower)})`,
    inputs.dataDrift === null ? 'no drift verdict (no comparable champion profile, or too few rows)'
      : !inputs.dataDrift.datasetDrift ? `no dataset drift (${pct(inputs.dataDrift.driftedShare)} of features drifted)`
        : `dataset drift in the ${inputs.dataDrift.window} window (${pct(inputs.dataDrift.driftedShare)} of features drifted) is reported, not a trigger: ${inputs.dataDrift.windowMs < policy.minDriftWindowMs ? `the window is shorter than ${hours(policy.minDriftWindowMs)}` : `the champion's training data spans ${hours(inputs.dataDrift.referenceSpanMs)}, less than the ${hours(policy.minDriftWindowMs)} a reference needs to compare like with like`}`,
  ];
  return ['none', notes.join(', ')];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pct2 = (x: number): string => `${(100 * x).toFixed(2)}%`;
const hours = (ms: number): string => (ms % DAY === 0 ? `${ms / DAY} d` : `${(ms / HOUR).toFixed(1)} h`);
