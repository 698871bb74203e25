import type { Redis } from 'ioredis';
import { noiseFigures, type Decision, type NoiseFigures } from '../../shared/baselines/noise-figures.js';
import { DEFAULT_DRIFT_SCHEDULE } from '../../queues/drift-queue.js';
import type { DriftEpisode } from '../../synth/index.js';
import type { DriftOptions } from '../../workers/drift/drift-options.js';
import type { RetrainingPolicyOptions } from '../../workers/drift/retraining-policy.js';
import { mcnemarExact } from '../../shared/evaluation/mcnemar.js';
import { ReplayArm, type ArmTraining } from './replay-arm.js';
import { replayStream, type ReplayStream } from './replay-stream.js';

const DAY = 86_400_000;

/** What the 90-day replay runs. */
export interface RetrainingReplayPlan {
  seed: number;
  days: number;
  /** Firing alerts a day before the drift episodes add theirs. */
  alertsPerDay: number;
  /** The fixed arm trains on day 1 and every this many days after. */
  fixedEveryDays: number;
  /** Trainer hyper-parameters, the same for both arms (`{}`: the family's defaults). */
  params: Readonly<Record<string, number>>;
  policy: RetrainingPolicyOptions;
  drift: DriftOptions;
}

/** The two drift episodes of the replay, placed at a third and two thirds of the stream. */
export function replayEpisodes(days: number): DriftEpisode[] {
  return [
    // A release makes four services cry wolf: incident-shaped false alarms, threshold crossings and flapping.
    { name: 'noisy-release', startDay: Math.round(days / 3), days: Math.max(1, Math.round(days * 0.23)), services: 4, rates: { 'false-alarm-cascades': 20, background: 4, flapping: 4 } },
    // A fragile stretch: real incidents and real problems (some looking like spikes) on five services, to the end.
    { name: 'incident-season', startDay: Math.round((2 * days) / 3), days: days - Math.round((2 * days) / 3), services: 5, rates: { incidents: 4, 'brief-real-problems': 4, 'isolated-problems': 3 } },
  ];
}

export interface ArmFigures {
  trainings: number;
  /** Training runs that produced a promoted model. */
  promotions: number;
  noise_reduction: number;
  fnr: number | null;
  notify_precision: number | null;
  /** The same figures over each drift episode's days and over the days outside them. */
  periods: Record<string, Pick<NoiseFigures, 'decisions' | 'noise_reduction' | 'fnr'>>;
  training_days: { day: number; trigger: string; outcome: string }[];
  /** Scheduled re-certifications between trainings (the evaluation worker's), and those whose thresholds were applied. */
  recertifications: { attempts: number; applied: number; days: number[] };
  train_seconds: number;
}

export interface RetrainingReplayFigures {
  smart: ArmFigures & { checks: Record<string, number> };
  fixed: ArmFigures;
  /**
   * Truly actionable alerts (from the first measured day) that one arm suppressed and the other notified,
   * and the one-sided exact McNemar p that the smart arm misses more: both arms decide the same alerts,
   * so only these discordant ones say whether their FNRs differ beyond chance.
   */
  missed_by_one_arm: { smart_only: number; fixed_only: number; p_smart_more: number };
  world: { firing: number; labelled: number; actionable_share: number; days: number; episodes: DriftEpisode[] };
  /** The policy options the smart arm ran with. */
  policy: { options: RetrainingPolicyOptions };
  /** Figures count alerts from this day on (day 0 is cold start for both arms: everything notified). */
  measured_from_day: number;
  feature_seconds: number;
  replay_seconds: number;
}

/**
 * The retraining benchmark: one `hush synth` world with drift episodes, its features computed once by the
 * real feature store, then replayed day by day for two arms that differ only in when they train: the
 * retraining policy (drift worker inputs, `decideRetraining`) or a fixed calendar. Each arm's decisions
 * are judged against the ground truth.
 */
export async function runRetrainingReplay(redis: Redis, plan: RetrainingReplayPlan, progress: (line: string) => void): Promise<RetrainingReplayFigures> {
  const episodes = replayEpisodes(plan.days);
  const t0 = performance.now();
  const stream = await replayStream(redis, { seed: plan.seed, days: plan.days, alerts: plan.alertsPerDay * plan.days, tenant: 'drift-replay', drift: episodes }, progress);
  const featureSeconds = (performance.now() - t0) / 1000;
  progress(`features: ${stream.alerts.nRows} firing alerts in ${featureSeconds.toFixed(1)} s`);
  const start = stream.plan.startMs;
  const rowsBefore = (t: number): number => lowerBound(stream.alerts.eventTimes, t);
  const settings = { params: plan.params };
  const smart = new ReplayArm('smart', stream, { kind: 'smart', policy: plan.policy, drift: plan.drift, windowMs: DEFAULT_DRIFT_SCHEDULE.slidingMs }, settings);
  const fixed = new ReplayArm('fixed', stream, { kind: 'fixed', everyDays: plan.fixedEveryDays }, settings);
  const t1 = performance.now();
  for (let day = 0; day < plan.days; day++) {
    const now = start + day * DAY;
    for (const arm of [smart, fixed]) {
      const before = arm.trainings.length;
      const recertifiedBefore = arm.recertifications.length;
      if (day >= 1) await arm.check(day, now, rowsBefore);
      const recertified = arm.recertifications[recertifiedBefore];
      if (recertified !== undefined) progress(`replay day ${day}: ${arm.name} re-certification → ${recertified.outcome.slice(0, 200)}`);
      const run = arm.trainings[before];
      if (run !== undefined) progress(`replay day ${day}: ${arm.name} trained (${run.trigger}, ${run.trainRows} rows, label_noise ${run.labelNoise?.toFixed(4) ?? '-'}, ${run.seconds.toFixed(1)} s) → ${run.outcome.slice(0, 260)}${arm === smart ? `\n    because ${run.reason.slice(0, 400)}` : ''}`);
      arm.decide(rowsBefore(now), rowsBefore(now + DAY));
    }
  }
  const replaySeconds = (performance.now() - t1) / 1000;
  const measuredFrom = 1;
  const periods = [
    ...episodes.map((e) => ({ name: e.name, from: e.startDay, to: e.startDay + e.days })),
  ];
  const labelled = stream.labelAt.reduce((n, at) => (Number.isNaN(at) ? n : n + 1), 0);
  return {
    smart: { ...armFigures(stream, smart, measuredFrom, periods), checks: smart.checks },
    fixed: armFigures(stream, fixed, measuredFrom, periods),
    missed_by_one_arm: missedByOneArm(stream, smart, fixed, measuredFrom),
    world: { firing: stream.alerts.nRows, labelled, actionable_share: round(stream.truth.reduce((a, b) => a + b, 0) / Math.max(1, stream.alerts.nRows)), days: plan.days, episodes },
    policy: { options: plan.policy },
    measured_from_day: measuredFrom,
    feature_seconds: round(featureSeconds, 1),
    replay_seconds: round(replaySeconds, 1),
  };
}

function missedByOneArm(stream: ReplayStream, smart: ReplayArm, fixed: ReplayArm, fromDay: number): RetrainingReplayFigures['missed_by_one_arm'] {
  const from = stream.plan.startMs + fromDay * DAY;
  let smartOnly = 0;
  let fixedOnly = 0;
  for (let row = 0; row < stream.alerts.nRows; row++) {
    if ((stream.alerts.eventTimes[row] as number) < from || stream.truth[row] !== 1) continue;
    if (smart.suppressed[row] === 1 && fixed.suppressed[row] === 0) smartOnly += 1;
    if (fixed.suppressed[row] === 1 && smart.suppressed[row] === 0) fixedOnly += 1;
  }
  return { smart_only: smartOnly, fixed_only: fixedOnly, p_smart_more: Number(mcnemarExact(fixedOnly, smartOnly).pChallengerMore.toPrecision(3)) };
}

function armFigures(stream: ReplayStream, arm: ReplayArm, fromDay: number, episodes: { name: string; from: number; to: number }[]): ArmFigures {
  const start = stream.plan.startMs;
  const dayOf = (row: number): number => Math.floor(((stream.alerts.eventTimes[row] as number) - start) / DAY);
  const figures = (keep: (day: number) => boolean): NoiseFigures => {
    const decisions = new Map<string, { decision: Decision }>();
    const truth = new Map<string, boolean>();
    for (let row = 0; row < stream.alerts.nRows; row++) {
      const day = dayOf(row);
      if (day < fromDay || !keep(day)) continue;
      const id = stream.alerts.alertIds[row] as string;
      decisions.set(id, { decision: arm.suppressed[row] === 1 ? 'suppress' : 'notify' });
      truth.set(id, stream.truth[row] === 1);
    }
    return noiseFigures(decisions, truth);
  };
  const all = figures(() => true);
  const inEpisode = (day: number): boolean => episodes.some((e) => day >= e.from && day < e.to);
  const periods: ArmFigures['periods'] = {};
  for (const [name, keep] of [['outside-episodes', (d: number) => !inEpisode(d)] as const, ...episodes.map((e) => [e.name, (d: number) => d >= e.from && d < e.to] as const)]) {
    const f = figures(keep);
    periods[name] = { decisions: f.decisions, noise_reduction: round(f.noise_reduction), fnr: f.fnr === null ? null : round(f.fnr) };
  }
  const trained = arm.trainings.filter((t: ArmTraining) => t.trainRows > 0);
  return {
    trainings: trained.length,
    promotions: trained.filter((t) => t.outcome.startsWith('promoted')).length,
    noise_reduction: round(all.noise_reduction),
    fnr: all.fnr === null ? null : round(all.fnr),
    notify_precision: all.notify_precision === null ? null : round(all.notify_precision),
    periods,
    training_days: arm.trainings.map((t) => ({ day: t.day, trigger: t.trigger, outcome: t.outcome.split(':')[0] as string })),
    recertifications: { attempts: arm.recertifications.length, applied: arm.recertifications.filter((r) => r.applied).length, days: arm.recertifications.map((r) => r.day) },
    train_seconds: round(arm.trainings.reduce((s, t) => s + t.seconds, 0), 1),
  };
}

/** First index whose value is ≥ `t` in an ascending array. */
function lowerBound(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
