import { HushError } from '../../shared/errors/index.js';

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
  /** Relative drop of the champion's key metric (live vs holdout) that triggers training. @defaultValue 0.1 */
  degradation: number;
  /** Live FNR above this triggers training. @defaultValue 0.01 (the evaluation policy's target) */
  fnrTarget: number;
  /** Labelled live decisions needed before performance or FNR is judged. @defaultValue 200 */
  minPerformanceLabels: number;
  /** Quiet hours for scheduled (not urgent) training; null for none. @defaultValue 08:00–20:00 UTC */
  quietHours: QuietHours | null;
}

export const DEFAULT_RETRAINING_POLICY: Readonly<RetrainingPolicyOptions> = Object.freeze({
  volumeClasses: [
    { name: 'high', minLabelsPerDay: 200, intervalMs: DAY, minNewLabels: 500 },
    { name: 'medium', minLabelsPerDay: 20, intervalMs: 7 * DAY, minNewLabels: 200 },
    { name: 'low', minLabelsPerDay: 0, intervalMs: 30 * DAY, minNewLabels: 50 },
  ],
  minIntervalMs: 6 * HOUR,
  minNewLabels: 100,
  degradation: 0.1,
  fnrTarget: 0.01,
  minPerformanceLabels: 200,
  quietHours: { startHour: 8, endHour: 20 },
});

/** Everything the policy looks at; the drift worker gathers it, tests construct it. */
export interface RetrainingInputs {
  now: number;
  /** The window's dataset-drift verdict; null when no report could be made (no champion, no profile). */
  dataDrift: { datasetDrift: boolean; driftedShare: number; driftedFeatures: string[]; window: string } | null;
  /** The champion's key metric (higher is better) on its holdout and live, FNR live, over `labelled` decisions. */
  performance: { metric: string; baseline: number | null; current: number | null; fnr: number | null; labelled: number } | null;
  /** Labelled alerts per day over the volume window. */
  labelsPerDay: number;
  /** Labelled alerts since the last training (all of them when never trained). */
  newLabels: number;
  /** When the newest model was trained; null when none ever was. */
  lastTrainingAt: number | null;
  /** A training of (tenant, kind) is waiting or running. */
  trainingInFlight: boolean;
}

export type RetrainingTrigger = 'performance' | 'fnr' | 'data-drift' | 'schedule' | 'none';
export type RetrainingGuard = 'in-flight' | 'min-interval' | 'min-new-labels' | 'quiet-hours';

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
  if (!(policy.degradation > 0 && policy.degradation < 1)) fail('degradation', policy.degradation, 'in (0, 1)');
  if (!(policy.fnrTarget >= 0 && policy.fnrTarget < 1)) fail('fnrTarget', policy.fnrTarget, 'in [0, 1)');
  if (!(policy.minPerformanceLabels >= 1)) fail('minPerformanceLabels', policy.minPerformanceLabels, '≥ 1');
  const q = policy.quietHours;
  if (q !== null && !(Number.isInteger(q.startHour) && Number.isInteger(q.endHour) && q.startHour >= 0 && q.startHour < 24 && q.endHour >= 0 && q.endHour <= 24 && q.startHour !== q.endHour)) {
    fail('quietHours', q, 'integer hours 0–24 with start ≠ end');
  }
  return policy;
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
 * degradation, FNR above target, dataset drift, schedule due. Guards, in order: a training already in
 * flight, the minimum interval, the minimum new labels, quiet hours (scheduled training only).
 * Pure: the same inputs give the same decision, with its reason in words.
 */
export function decideRetraining(inputs: RetrainingInputs, policy: RetrainingPolicyOptions = DEFAULT_RETRAINING_POLICY): RetrainingDecision {
  const volume = volumeClassOf(inputs.labelsPerDay, policy);
  const due = inputs.lastTrainingAt === null ? inputs.now : inputs.lastTrainingAt + volume.intervalMs;
  // Due, but not before the minimum interval has passed nor in the past, and never in quiet hours.
  const earliest = inputs.lastTrainingAt === null ? due : Math.max(due, inputs.lastTrainingAt + policy.minIntervalMs);
  const nextScheduledAt = afterQuietHours(Math.max(earliest, inputs.now), policy.quietHours);
  const evidence: Record<string, unknown> = {
    labelsPerDay: inputs.labelsPerDay,
    newLabels: inputs.newLabels,
    lastTrainingAt: inputs.lastTrainingAt === null ? null : new Date(inputs.lastTrainingAt).toISOString(),
    dataDrift: inputs.dataDrift,
    performance: inputs.performance,
    trainingInFlight: inputs.trainingInFlight,
  };
  const decide = (action: RetrainingDecision['action'], trigger: RetrainingTrigger, urgent: boolean, blockedBy: RetrainingGuard | null, reason: string): RetrainingDecision => ({
    action, trigger, urgent, blockedBy, reason, volumeClass: volume.name, nextScheduledAt, evidence,
  });

  const [trigger, why] = firstTrigger(inputs, policy, volume, due);
  if (trigger === 'none') return decide('wait', 'none', false, null, `no trigger: ${why}; ${volume.name}-volume schedule next due ${new Date(nextScheduledAt).toISOString()}`);
  const urgent = trigger !== 'schedule';

  if (inputs.trainingInFlight) return decide('wait', trigger, urgent, 'in-flight', `${why}, but a training of this model is already waiting or running`);
  if (inputs.lastTrainingAt !== null && inputs.now - inputs.lastTrainingAt < policy.minIntervalMs) {
    return decide('wait', trigger, urgent, 'min-interval', `${why}, but the last training was ${hours(inputs.now - inputs.lastTrainingAt)} ago (minimum interval ${hours(policy.minIntervalMs)})`);
  }
  const needed = urgent ? policy.minNewLabels : volume.minNewLabels;
  if (inputs.newLabels < needed) {
    return decide('wait', trigger, urgent, 'min-new-labels', `${why}, but only ${inputs.newLabels} new labels since the last training (${urgent ? 'urgent' : `${volume.name}-volume`} minimum ${needed})`);
  }
  if (!urgent && inQuietHours(inputs.now, policy.quietHours)) {
    return decide('wait', trigger, urgent, 'quiet-hours', `${why}, but scheduled training waits out the quiet hours (until ${new Date(afterQuietHours(inputs.now, policy.quietHours)).toISOString()})`);
  }
  return decide('train', trigger, urgent, null, `${why}; ${inputs.newLabels} new labels`);
}

function firstTrigger(inputs: RetrainingInputs, policy: RetrainingPolicyOptions, volume: VolumeClass, due: number): [RetrainingTrigger, string] {
  const perf = inputs.performance;
  const judged = perf !== null && perf.labelled >= policy.minPerformanceLabels;
  if (judged && perf.baseline !== null && perf.current !== null && perf.baseline > 0) {
    const drop = 1 - perf.current / perf.baseline;
    // The tolerance keeps an exact 10% drop (0.6 → 0.54) a trigger despite rounding.
    if (drop >= policy.degradation - 1e-12) {
      return ['performance', `${perf.metric} fell ${pct(drop)} relative (${perf.current.toFixed(4)} live vs ${perf.baseline.toFixed(4)} on the holdout, ≥ ${pct(policy.degradation)})`];
    }
  }
  if (judged && perf.fnr !== null && perf.fnr > policy.fnrTarget) {
    return ['fnr', `live FNR ${perf.fnr.toFixed(4)} over ${perf.labelled} labelled decisions is above the target ${policy.fnrTarget}`];
  }
  if (inputs.dataDrift?.datasetDrift) {
    const d = inputs.dataDrift;
    return ['data-drift', `dataset drift in the ${d.window} window: ${pct(d.driftedShare)} of features drifted (${d.driftedFeatures.join(', ')})`];
  }
  if (inputs.now >= due) {
    return ['schedule', inputs.lastTrainingAt === null ? 'no model was ever trained' : `the ${volume.name}-volume schedule (every ${hours(volume.intervalMs)}) is due`];
  }
  const notes = [
    perf === null ? 'no performance figures' : judged ? 'performance within bounds' : `only ${perf.labelled} labelled live decisions (need ${policy.minPerformanceLabels} to judge performance)`,
    inputs.dataDrift === null ? 'no drift verdict (no comparable champion profile, or too few rows)' : `no dataset drift (${pct(inputs.dataDrift.driftedShare)} of features drifted)`,
  ];
  return ['none', notes.join(', ')];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const hours = (ms: number): string => (ms % DAY === 0 ? `${ms / DAY} d` : `${(ms / HOUR).toFixed(1)} h`);
