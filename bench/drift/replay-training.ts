import { DEFAULT_EVALUATION_POLICY, type EvaluationPolicy } from '../../workers/evaluation/evaluation-policy.js';
import { scoredParts, splitForEvaluation } from '../../workers/evaluation/evaluation-split.js';
import { judgeChallenger } from '../../workers/evaluation/judge.js';
import { keptChampionThresholds } from '../../workers/evaluation/kept-champion.js';
import { recertificationFrom, recertifyOnSet } from '../../workers/evaluation/recertification-schedule.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { selectLabelledRows, type LabelledSet } from '../../workers/training/dataset.js';
import { trainerFor } from '../../workers/training/families.js';
import { HOLDOUT_FRACTION } from '../../workers/training/training-processor.js';
import type { TrainingLabelNoise } from '../../workers/training/training-label-noise.js';
import { labelNoiseToCorrect } from '../../workers/training/cross-fitted-label-noise.js';
import { referenceProfile, type ReferenceProfile } from '../../workers/training/reference-profile.js';
import type { ReplayStream } from './replay-stream.js';

/** Fewest labelled alerts a training accepts (assembleDataset's default). */
const MIN_TRAINING_ROWS = 200;
/** Training windows are stored to the second; evaluation reads alerts from the next second (evaluation-processor.ts). */
const SECOND_MS = 1000;

/** A model serving decisions in the replay, with what the drift worker reads from the registry. */
export interface ServingModel {
  id: number;
  predict(features: Float32Array, nRows: number): Float32Array;
  /** Per-service thresholds the evaluation applied on promotion, or re-certified when it kept the model ('' = tenant-wide). */
  thresholds: ReadonlyMap<string, number>;
  profile: ReferenceProfile;
  /** Labelled alerts it was trained on (the registry's `metrics.trainRows`). */
  trainRows: number;
  /** Event-time span of those alerts (the registry's training window), and where it ends (to the second, as stored). */
  trainingWindowMs: number;
  trainingEnd: number;
}

/** What one training run did. */
export interface TrainingOutcome {
  /** The promoted model, or null when evaluation kept the champion (or no training was possible). */
  promoted: ServingModel | null;
  /** The kept champion's re-certified thresholds, which it serves with from now on; null when they stay. */
  recertified: ReadonlyMap<string, number> | null;
  /** The registry event the evaluation records (`promote` or `reject`, with its evidence); null when it judged nothing. */
  event: ModelEvent | null;
  trained: boolean;
  /** The trained challenger's scoring function, promoted or not (null when nothing was trained). */
  model: ((features: Float32Array, nRows: number) => Float32Array) | null;
  reason: string;
  trainRows: number;
  seconds: number;
  /** The label noise the trees corrected for, as the training worker resolves it (null when nothing was trained). */
  labelNoise: TrainingLabelNoise | null;
}

export interface TrainingSettings {
  params: Readonly<Record<string, number>>;
  policy?: EvaluationPolicy;
}

/**
 * The training and evaluation workers' steps at `now`, on what the fleet would have stored by then:
 * labelled alerts that fired before `now` and whose label arrived by `now`, split by event time; the
 * family trained on the older half; the challenger judged against the champion on the labelled alerts
 * after its training window (thresholds tuned on one hash half, judged on the other) and promoted or not.
 * `history` is the arm's registry history: the training reads its label-noise estimate from it, or
 * measures its own before any is recorded, as the training worker does (labelNoiseToCorrect).
 */
export async function trainAndEvaluate(stream: ReplayStream, now: number, champion: ServingModel | null, nextId: number, settings: TrainingSettings, history: readonly ModelEvent[]): Promise<TrainingOutcome> {
  const started = performance.now();
  const policy = settings.policy ?? DEFAULT_EVALUATION_POLICY;
  const available = labelledBy(stream, now);
  let trainedModel: TrainingOutcome['model'] = null;
  let labelNoise: TrainingLabelNoise | null = null;
  const done = (reason: string, trained: boolean, trainRows: number, judged: Pick<TrainingOutcome, 'promoted' | 'recertified' | 'event'> = { promoted: null, recertified: null, event: null }): TrainingOutcome =>
    ({ ...judged, trained, model: trainedModel, reason, trainRows, seconds: (performance.now() - started) / 1000, labelNoise });
  if (available.nRows < MIN_TRAINING_ROWS) return done(`${available.nRows} labelled alerts, training needs ${MIN_TRAINING_ROWS}`, false, 0);
  let cut = Math.round(available.nRows * (1 - HOLDOUT_FRACTION));
  while (cut < available.nRows && available.eventTimes[cut] === available.eventTimes[cut - 1]) cut += 1;
  const train = selectLabelledRows(available, range(0, cut));
  // The newer half is the training worker's holdout; the policy no longer reads its figures (another
  // threshold than the served ones), so the replay does not score it.
  const trainer = await trainerFor('gbdt');
  labelNoise = await labelNoiseToCorrect(trainer, train, settings.params, history);
  const model = await trainer.train(train, { ...settings.params, label_noise: labelNoise.rate });
  trainedModel = (features, nRows) => model.predict(features, nRows);

  const trainEnd = Math.floor((train.eventTimes[train.nRows - 1] as number) / SECOND_MS) * SECOND_MS;
  const evaluation = selectLabelledRows(available, range(0, available.nRows).filter((row) => (available.eventTimes[row] as number) >= trainEnd + SECOND_MS));
  const rows = splitForEvaluation(evaluation, policy.tuneFraction);
  if (evaluation.nRows < policy.minEvaluationRows || rows.tune.length === 0 || rows.test.length === 0) {
    return done(`kept: ${evaluation.nRows} labelled alerts after the training window, ${policy.minEvaluationRows} needed`, true, train.nRows);
  }
  const verdict = judgeChallenger(
    scoredParts(champion === null ? null : champion.predict(evaluation.features, evaluation.nRows), rows),
    scoredParts(model.predict(evaluation.features, evaluation.nRows), rows),
    selectLabelledRows(evaluation, rows.tune),
    selectLabelledRows(evaluation, rows.test),
    policy,
  );
  // As runEvaluation: the event it records, and a kept champion's thresholds when they are re-certified.
  const event = (action: 'promote' | 'reject', evidence: Record<string, unknown>): ModelEvent =>
    ({ at: new Date(now).toISOString(), action, modelId: String(nextId), previousModelId: champion === null ? '' : String(champion.id), reason: verdict.reason, evidence });
  if (!verdict.promote) {
    const kept = champion === null ? null : keptChampionThresholds(verdict, String(champion.id));
    const recertification = verdict.champion === null ? '' : `; ${verdict.champion.decision.reason}`;
    return done(`kept: ${verdict.reason}${recertification}`, true, train.nRows, { promoted: null, recertified: kept?.thresholds ?? null, event: event('reject', { ...verdict.evidence, ...kept?.evidence }) });
  }
  return done(`promoted: ${verdict.reason}`, true, train.nRows, {
    promoted: {
      id: nextId,
      predict: (features, nRows) => model.predict(features, nRows),
      thresholds: verdict.thresholds,
      profile: referenceProfile(train, FEATURE_NAMES, FEATURE_SCHEMA_VERSION),
      trainRows: train.nRows,
      trainingWindowMs: (train.eventTimes[train.nRows - 1] as number) - (train.eventTimes[0] as number),
      trainingEnd: trainEnd,
    },
    recertified: null,
    event: event('promote', verdict.evidence),
  });
}

/** The labelled alerts the fleet has stored at `now`: fired before it, label received by it. */
export function labelledBy(stream: ReplayStream, now: number): LabelledSet {
  const rows: number[] = [];
  const { eventTimes } = stream.alerts;
  for (let row = 0; row < stream.alerts.nRows && (eventTimes[row] as number) < now; row++) {
    if ((stream.labelAt[row] as number) <= now) rows.push(row);
  }
  return selectLabelledRows(stream.alerts, rows);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * The evaluation worker's scheduled re-certification at `now` (recertifyWhenDue): the champion's
 * thresholds re-tuned on the labelled alerts since `recertificationFrom` (recertifyOnSet, with the
 * newest other model's scores as `reference`, as the worker), the
 * `recertify` event it records, and the thresholds when they were certified (null: the served ones stay).
 */
export async function recertifyOnSchedule(stream: ReplayStream, now: number, champion: ServingModel, settings: TrainingSettings, reference: ((features: Float32Array, nRows: number) => Float32Array) | null = null): Promise<{ thresholds: ReadonlyMap<string, number> | null; event: ModelEvent }> {
  const policy = settings.policy ?? DEFAULT_EVALUATION_POLICY;
  const from = recertificationFrom(champion.trainingEnd, now, policy.recertifyWindowMs);
  const available = labelledBy(stream, now);
  const set = selectLabelledRows(available, range(0, available.nRows).filter((row) => (available.eventTimes[row] as number) >= from));
  const { thresholds, reason, evidence } = await recertifyOnSet(set, from, String(champion.id), policy, new Map(), (s) => champion.predict(s.features, s.nRows), reference === null ? null : (s) => reference(s.features, s.nRows));
  return { thresholds, event: { at: new Date(now).toISOString(), action: 'recertify', modelId: String(champion.id), previousModelId: '', reason, evidence } };
}
