import type { DriftOptions } from '../../workers/drift/drift-options.js';
import { VOLUME_WINDOW_MS } from '../../workers/drift/drift-processor.js';
import { evaluationActionable } from '../../workers/drift/evaluation-evidence.js';
import { decideRetraining, labelSettledWindow, rejectedInARow, type RetrainingInputs, type RetrainingPolicyOptions } from '../../workers/drift/retraining-policy.js';
import { judgeWindow } from '../../workers/drift/window-verdict.js';
import { isSuppressed } from '../../shared/evaluation/model-figures.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';
import { thresholdsCheckedAt } from '../../workers/evaluation/recertification-schedule.js';
import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { TENANT_WIDE_SERVICE } from '../../shared/models/threshold-store.js';
import { measureInMemory } from './in-memory-window.js';
import type { ReplayStream } from './replay-stream.js';
import { recertifyOnSchedule, trainAndEvaluate, type ServingModel, type TrainingSettings } from './replay-training.js';

const DAY = 86_400_000;

/** When an arm trains: the retraining policy (`smart`) or a fixed calendar (`fixed`). */
export type Schedule =
  | {
    kind: 'smart';
    policy: RetrainingPolicyOptions;
    drift: DriftOptions;
    /** The drift role's sliding window, judged at each day boundary. */
    windowMs: number;
  }
  | { kind: 'fixed'; everyDays: number };

/** One training run of an arm, and why it ran. */
export interface ArmTraining {
  day: number;
  trigger: string;
  reason: string;
  outcome: string;
  trainRows: number;
  seconds: number;
  /** The `label_noise` the trees were trained with (null: not trained). */
  labelNoise: number | null;
}

/**
 * One side of the replay: a champion serving each day's alerts with its thresholds, and a schedule
 * deciding at each day boundary whether to train. Decisions are kept per alert, with the model that
 * made them, so the drift checks see what the drift worker would read from ClickHouse.
 */
export class ReplayArm {
  readonly suppressed: Uint8Array;
  /** Id of the model that decided each alert; −1 = no model (cold start: notified). */
  readonly decidedBy: Int32Array;
  readonly trainings: ArmTraining[] = [];
  /** Scheduled re-certifications of the champion's thresholds between trainings, and what each decided. */
  readonly recertifications: { day: number; applied: boolean; outcome: string }[] = [];
  /** Policy checks by trigger and guard, e.g. `schedule/train`, `fnr/min-interval`, `none/wait`. */
  readonly checks: Record<string, number> = {};
  private champion: ServingModel | null = null;
  /** The registry history the evaluation would record (the drift worker reads the champion's baseline from it). */
  private readonly history: ModelEvent[] = [];
  private lastTrainingAt: number | null = null;
  /** Rows of the newest model, and whether it became the champion (the drift worker reads both from the registry). */
  private lastTrainRows: number | null = null;
  private lastPromoted = false;
  private models = 0;
  /** Every trained model's scoring function by id: the scheduled re-certification scores with the newest one besides the champion, as the evaluation worker. */
  private readonly trained = new Map<number, (features: Float32Array, nRows: number) => Float32Array>();

  constructor(
    readonly name: string,
    private readonly stream: ReplayStream,
    private readonly schedule: Schedule,
    private readonly settings: TrainingSettings,
  ) {
    this.suppressed = new Uint8Array(stream.alerts.nRows);
    this.decidedBy = new Int32Array(stream.alerts.nRows).fill(-1);
  }

  /** The check at the boundary `now` (start of `day`): asks the schedule and trains when it says so. */
  async check(day: number, now: number, rowsBefore: (t: number) => number): Promise<void> {
    const decision = this.schedule.kind === 'fixed'
      ? (day - 1) % this.schedule.everyDays === 0
        ? { train: true, trigger: 'fixed', reason: `every ${this.schedule.everyDays} days` }
        : { train: false, trigger: 'fixed', reason: 'not due' }
      : this.askPolicy(now, rowsBefore, this.schedule);
    if (!decision.train) {
      await this.recertifyWhenDue(now);
      return;
    }
    const outcome = await trainAndEvaluate(this.stream, now, this.champion, this.models + 1, this.settings, this.history);
    if (!outcome.trained) {
      this.trainings.push({ day, trigger: decision.trigger, reason: decision.reason, outcome: `not trained: ${outcome.reason}`, trainRows: 0, seconds: outcome.seconds, labelNoise: null });
      return;
    }
    this.models += 1;
    if (outcome.model !== null) this.trained.set(this.models, outcome.model);
    this.lastTrainingAt = now;
    this.lastTrainRows = outcome.trainRows;
    this.lastPromoted = outcome.promoted !== null;
    if (outcome.event !== null) this.history.push(outcome.event);
    if (outcome.promoted !== null) this.champion = outcome.promoted;
    else if (outcome.recertified !== null && this.champion !== null) this.champion = { ...this.champion, thresholds: outcome.recertified };
    this.trainings.push({ day, trigger: decision.trigger, reason: decision.reason, outcome: outcome.reason, trainRows: outcome.trainRows, seconds: outcome.seconds, labelNoise: outcome.labelNoise?.rate ?? null });
  }

  /** As the evaluation worker between trainings: the champion's thresholds re-certified once they are `recertifyEveryMs` old. */
  private async recertifyWhenDue(now: number): Promise<void> {
    const champion = this.champion;
    const everyMs = (this.settings.policy ?? DEFAULT_EVALUATION_POLICY).recertifyEveryMs;
    if (champion === null || !(everyMs > 0) || now - thresholdsCheckedAt(this.history, String(champion.id)) < everyMs) return;
    const referenceId = Math.max(-1, ...[...this.trained.keys()].filter((id) => id !== champion.id));
    const { thresholds, event } = await recertifyOnSchedule(this.stream, now, champion, this.settings, this.trained.get(referenceId) ?? null);
    this.history.push(event);
    this.recertifications.push({ day: Math.round((now - this.stream.plan.startMs) / DAY), applied: thresholds !== null, outcome: event.reason });
    if (thresholds !== null) this.champion = { ...champion, thresholds };
  }

  /** Scores alerts `[from, to)` (rows) with the champion and its thresholds, as the scoring worker does. */
  decide(from: number, to: number): void {
    const champion = this.champion;
    if (champion === null || to <= from) return;
    const { features, nFeatures, services } = this.stream.alerts;
    const scores = champion.predict(features.subarray(from * nFeatures, to * nFeatures), to - from);
    const tenantWide = champion.thresholds.get(TENANT_WIDE_SERVICE) ?? 0;
    for (let row = from; row < to; row++) {
      const threshold = champion.thresholds.get(services[row] as string) ?? tenantWide;
      this.suppressed[row] = isSuppressed(scores[row - from] as number, threshold) ? 1 : 0;
      this.decidedBy[row] = champion.id;
    }
  }

  /** The drift worker's inputs for the sliding window `[now − windowMs, now)` (performance: its label-settled window), then `decideRetraining`. */
  private askPolicy(now: number, rowsBefore: (t: number) => number, schedule: Extract<Schedule, { kind: 'smart' }>): { train: boolean; trigger: string; reason: string } {
    const { labelAt, alerts } = this.stream;
    const window = { from: now - schedule.windowMs, to: now };
    const from = rowsBefore(window.from);
    const to = rowsBefore(now);
    let dataDrift: RetrainingInputs['dataDrift'] = null;
    let performance: RetrainingInputs['performance'] = null;
    const champion = this.champion;
    if (champion !== null) {
      const columns = champion.profile.features.map((_, f) => Float32Array.from({ length: to - from }, (_, i) => alerts.features[(from + i) * alerts.nFeatures + f] as number));
      const verdict = judgeWindow(champion.profile.features, measureInMemory(champion.profile, columns, schedule.drift), schedule.drift);
      if (verdict.features.length > 0) {
        dataDrift = { datasetDrift: verdict.datasetDrift, driftedShare: verdict.driftedShare, driftedFeatures: verdict.drifted.map((f) => f.name), window: `sliding ${new Date(window.from).toISOString()}–${new Date(now).toISOString()}`, windowMs: schedule.windowMs, referenceSpanMs: champion.trainingWindowMs };
      }
      // As runDriftCheck: the baseline and the label-noise estimate are what the evaluation measured at the
      // thresholds the champion serves with; performance on the drift window moved back until its labels
      // have arrived, decided with those thresholds.
      const baseline = servingBaseline(this.history, String(champion.id));
      const settled = labelSettledWindow(window, schedule.policy, baseline);
      let decided = 0;
      let suppressed = 0;
      let actionable = 0;
      let missed = 0;
      const days = new Set<number>();
      for (let row = rowsBefore(settled.from); row < rowsBefore(settled.to); row++) {
        if (!((labelAt[row] as number) <= now) || this.decidedBy[row] !== champion.id) continue;
        decided += 1;
        days.add(Math.floor((alerts.eventTimes[row] as number) / DAY));
        const isActionable = alerts.labels[row] === 1;
        if (this.suppressed[row] === 1) suppressed += 1;
        if (isActionable) actionable += 1;
        if (isActionable && this.suppressed[row] === 1) missed += 1;
      }
      performance = {
        metric: 'noiseReduction', baseline: baseline?.noiseReduction ?? null, baselineSource: baseline === null ? 'no promotion evidence' : `${baseline.source} ${baseline.at}`,
        window: `${new Date(settled.from).toISOString()}–${new Date(settled.to).toISOString()}`,
        days: days.size, dailySpread: baseline?.dailySpread ?? null,
        labelled: decided, suppressed, actionable, missed, labelNoise: baseline?.labelNoise ?? null,
      };
    }
    let sinceVolume = 0;
    let sinceTraining = 0;
    // What training and evaluation would read now (labelledBy): alerts fired before now, labelled by now.
    const eventTimes: number[] = [];
    const labels: number[] = [];
    for (let row = 0; row < to; row++) {
      const at = labelAt[row] as number;
      if (!(at <= now)) continue;
      if (at >= now - VOLUME_WINDOW_MS) sinceVolume += 1;
      if (at >= (this.lastTrainingAt ?? 0)) sinceTraining += 1;
      eventTimes.push(alerts.eventTimes[row] as number);
      labels.push(alerts.labels[row] as number);
    }
    const decision = decideRetraining({
      now, dataDrift, performance,
      labelsPerDay: sinceVolume / (VOLUME_WINDOW_MS / DAY),
      newLabels: sinceTraining,
      evaluationActionable: evaluationActionable({ eventTimes, labels }),
      lastTrainingAt: this.lastTrainingAt,
      trainingRows: this.lastTrainRows,
      lastTrainingPromoted: this.lastPromoted,
      rejectedInARow: rejectedInARow(this.history),
      trainingInFlight: false,
    }, schedule.policy);
    const key = `${decision.trigger}/${decision.action === 'train' ? 'train' : decision.blockedBy ?? 'wait'}`;
    this.checks[key] = (this.checks[key] ?? 0) + 1;
    return { train: decision.action === 'train', trigger: decision.trigger, reason: decision.reason };
  }
}
