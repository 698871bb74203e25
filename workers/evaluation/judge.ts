import { dailySpread, isDailySpread, type DailySpread } from '../../shared/evaluation/daily-spread.js';
import { isSuppressed, modelFigures } from '../../shared/evaluation/model-figures.js';
import { comparePaired } from '../../shared/evaluation/paired-comparison.js';
import { decidePromotion, decideRollback } from '../../shared/evaluation/promotion-policy.js';
import { estimateLabelNoise, type LabelNoise } from '../../shared/evaluation/label-noise.js';
import { decideRecertification, type RecertificationDecision } from '../../shared/evaluation/recertification.js';
import { optimiseTenantThresholds, type ServiceLabels } from '../../shared/evaluation/threshold-optimiser.js';
import type { LiveLabelledDecision } from '../../shared/clickhouse/queries/live-labelled-decisions.js';
import { TENANT_WIDE_SERVICE } from '../../shared/models/threshold-store.js';
import type { LabelledSet } from '../training/dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';

/** A model's scores on a labelled set, or null for cold start (no model: everything notified). */
export type ModelScores = Float32Array | null;

/** Scores of one model on the tuning and the judging part of the evaluation set. */
export interface ScoredParts {
  tune: ModelScores;
  test: ModelScores;
}

/** The verdict on a challenger, with the thresholds it would serve with. */
export interface ChallengerVerdict {
  promote: boolean;
  reason: string;
  /** Per-service thresholds optimised on the tuning part (pinned services keep theirs), the tenant-wide one under {@link TENANT_WIDE_SERVICE}. */
  thresholds: ReadonlyMap<string, number>;
  evidence: Record<string, unknown>;
  /**
   * The champion at the thresholds it was judged with (re-tuned on the tuning part), when there was one
   * to score: applied when the champion is kept and `decision.certified` (see {@link decideRecertification}).
   */
  champion: ChampionRecertification | null;
}

/** A kept champion's re-tuned thresholds and whether they are certified to serve. */
export interface ChampionRecertification {
  decision: RecertificationDecision;
  /** Per-service thresholds re-tuned on the tuning part (pinned services keep theirs), the tenant-wide one under {@link TENANT_WIDE_SERVICE}. */
  thresholds: ReadonlyMap<string, number>;
  /** The optimiser's decisions behind them. */
  optimiser: Record<string, unknown>;
  /** How its noise reduction at them varied between the judging alerts' days (null: too few days). */
  dailySpread: DailySpread | null;
}

/** Cold start as scores: 1 against threshold 0 notifies every alert. */
const notifyAll = (n: number): { scores: Float32Array; thresholds: number } => ({ scores: new Float32Array(n).fill(1), thresholds: 0 });

/**
 * Judges a challenger against the champion, each with per-service thresholds optimised on the `tune`
 * alerts, by a paired comparison on the `test` alerts (DESIGN §4: noise reduction only counts at an FNR
 * within target). The two may be the same alerts (policy `tuneFraction` 1): the optimiser certifies
 * its thresholds by fixed-sequence testing, whose guarantee already pays for having chosen them on
 * these labels, and the promotion rule then recomputes the bound for the per-service mix.
 */
export function judgeChallenger(champion: ScoredParts, challenger: ScoredParts, tune: LabelledSet, test: LabelledSet, policy: EvaluationPolicy, pinned: ReadonlyMap<string, number> = new Map()): ChallengerVerdict {
  if (challenger.tune === null || challenger.test === null) {
    return { promote: false, reason: 'the challenger artifact could not be loaded', thresholds: new Map(), evidence: {}, champion: null };
  }
  const scored = bothParts(champion);
  // One label-noise estimate per part for both models (sharedLabelNoise): label noise is the labels'.
  const tuneNoise = sharedLabelNoise([challenger.tune, scored?.tune ?? null], tune.labels, policy);
  const testNoise = sharedLabelNoise([challenger.test, scored?.test ?? null], test.labels, policy);
  const challengerThresholds = tuneThresholds(challenger.tune, tune, policy, pinned, tuneNoise);
  const championThresholds = scored === null ? null : tuneThresholds(scored.tune, tune, policy, pinned, tuneNoise);
  const championSide =
    scored === null || championThresholds === null ? notifyAll(test.nRows) : { scores: scored.test, thresholds: perAlert(championThresholds.byService, test) };
  const challengerSide = { scores: challenger.test, thresholds: perAlert(challengerThresholds.byService, test) };
  const comparison = comparePaired({
    labels: test.labels,
    championScores: championSide.scores,
    challengerScores: challengerSide.scores,
    championThreshold: championSide.thresholds,
    challengerThreshold: challengerSide.thresholds,
  });
  // Label noise is estimated on the judging alerts (independently of the tuning estimate when the two
  // parts differ), with the same estimate for both models.
  const decision = decidePromotion(comparison, { fnrTarget: policy.fnrTarget }, testNoise);
  // The champion's re-tuned thresholds pass the same FNR rules, with the same estimate.
  const recertification = scored === null || championThresholds === null ? null : recertificationAt(championThresholds, scored.test, test, policy, testNoise);
  // The day-to-day spread goes with the figures it qualifies: the live champion's figures are judged
  // against them with it (servingBaseline, liveNoiseReductionUpper).
  const challengerFigures = { ...decision.evidence.challenger, dailySpread: spreadOf(challengerSide, test) };
  return {
    promote: decision.promote,
    reason: decision.reason,
    thresholds: challengerThresholds.byService,
    evidence: { rule: decision.rule, ...decision.evidence, challenger: challengerFigures, tuneAlerts: tune.nRows, thresholds: challengerThresholds.decisions },
    champion: recertification,
  };
}

/**
 * The live champion's thresholds re-tuned on the `tune` alerts and judged on the `test` alerts by
 * promotion's FNR rules (decideRecertification): what an evaluation keeping the champion applies, and
 * what the scheduled re-certification applies with no challenger pending.
 */
export function recertifyChampion(champion: { tune: Float32Array; test: Float32Array }, tune: LabelledSet, test: LabelledSet, policy: EvaluationPolicy, pinned: ReadonlyMap<string, number> = new Map(), reference: ScoredParts | null = null): ChampionRecertification {
  // With another model's scores on the same alerts (`reference`), the label noise is estimated as when
  // the two are judged against each other (sharedLabelNoise).
  const other = reference === null ? null : bothParts(reference);
  const tuneNoise = sharedLabelNoise([champion.tune, other?.tune ?? null], tune.labels, policy);
  const testNoise = sharedLabelNoise([champion.test, other?.test ?? null], test.labels, policy);
  return recertificationAt(tuneThresholds(champion.tune, tune, policy, pinned, tuneNoise), champion.test, test, policy, testNoise);
}

/** Both parts of a model's scores, or null when either is missing (cold start, an artifact not loaded). */
function bothParts(parts: ScoredParts): { tune: Float32Array; test: Float32Array } | null {
  return parts.tune === null || parts.test === null ? null : { tune: parts.tune, test: parts.test };
}

/** A champion's figures at `tuned` on the `test` alerts and the recertification decision, with label noise `labelNoise`. */
function recertificationAt(tuned: TunedThresholds, scores: Float32Array, test: LabelledSet, policy: EvaluationPolicy, labelNoise: LabelNoise): ChampionRecertification {
  const side = { scores, thresholds: perAlert(tuned.byService, test) };
  const figures = modelFigures(side.scores, test.labels, side.thresholds);
  return {
    decision: decideRecertification(figures, { fnrTarget: policy.fnrTarget }, labelNoise),
    thresholds: tuned.byService,
    optimiser: tuned.decisions,
    dailySpread: spreadOf(side, test),
  };
}

/** What the champion's live figures are compared with: the evaluation's figures at the thresholds it serves with. */
export interface ChampionReference {
  noiseReduction?: unknown;
  fnr?: unknown;
  dailySpread?: unknown;
}

/**
 * The verdict on the live champion: roll back when its labelled live decisions show degradation against
 * `reference` (its promotion's `challenger` figures, or its re-certification's), whose `dailySpread`
 * widens the live bound over the days the decisions span (decideRollback).
 */
export function judgeChampion(live: readonly LiveLabelledDecision[], reference: ChampionReference | undefined, policy: EvaluationPolicy): { rollback: boolean; reason: string; evidence: Record<string, unknown> } {
  if (typeof reference?.noiseReduction !== 'number') {
    return { rollback: false, reason: 'the champion has no promotion evidence to compare its live figures with', evidence: {} };
  }
  let suppressed = 0;
  let actionable = 0;
  let missed = 0;
  const scores = Float64Array.from(live, (d) => d.score);
  const labels = Uint8Array.from(live, (d) => (d.outcome === 'actionable' ? 1 : 0));
  for (const { decision, outcome } of live) {
    const isSuppressed = decision === 'suppress';
    if (isSuppressed) suppressed += 1;
    if (outcome === 'actionable') {
      actionable += 1;
      if (isSuppressed) missed += 1;
    }
  }
  const decision = decideRollback(
    { alerts: live.length, suppressed, actionable, missed, days: new Set(live.map((d) => d.day)).size },
    {
      noiseReduction: reference.noiseReduction,
      ...(typeof reference.fnr === 'number' ? { fnr: reference.fnr } : {}),
      ...(isDailySpread(reference.dailySpread) ? { dailySpread: reference.dailySpread } : {}),
    },
    { fnrTarget: policy.fnrTarget, maxRelativeDrop: policy.degradation, minLiveAlerts: policy.minLiveLabels },
    estimateLabelNoise(scores, labels, { maxRate: policy.maxLabelNoise }),
  );
  return { rollback: decision.rollback, reason: decision.reason, evidence: { rule: decision.rule, ...decision.evidence } };
}

/** Per-service thresholds tuned on a labelled set, and the optimiser's decisions behind them. */
interface TunedThresholds {
  byService: ReadonlyMap<string, number>;
  decisions: Record<string, unknown>;
}

/**
 * The label-noise estimate every model scored on one set of labels is judged with: of each model's
 * anchor estimate (estimateLabelNoise, on its lowest-scored alerts), the one with the fewest
 * actionable-labelled anchors. Label noise belongs to the labels, not to a model, but an anchor estimate
 * cannot tell it from model error: the truly actionable alerts a weaker model scores at the bottom count
 * as mislabelled noise, so the weaker model's estimate is the higher, its FNR bound the more corrected,
 * and its thresholds the more aggressive. Judged each with its own estimate, a stale champion
 * out-suppressed better challengers while missing more truly actionable alerts (docs/drift.md,
 * "Retraining replay": seed 1 kept a champion trained on 2.5k alerts for 72 days). The lowest estimate
 * is the least inflated by model error, and the conservative one: less correction, a higher FNR upper
 * bound. Null scores (cold start, an artifact not loaded) are skipped.
 */
function sharedLabelNoise(scores: readonly (Float32Array | null)[], labels: Uint8Array, policy: EvaluationPolicy): LabelNoise {
  let best: LabelNoise | null = null;
  for (const s of scores) {
    if (s === null) continue;
    const estimate = estimateLabelNoise(s, labels, { maxRate: policy.maxLabelNoise });
    if (best === null || estimate.anchorsActionable * best.anchors < best.anchorsActionable * estimate.anchors) best = estimate;
  }
  if (best === null) throw new Error("sharedLabelNoise needs at least one model's scores");
  return best;
}

function tuneThresholds(scores: Float32Array, tune: LabelledSet, policy: EvaluationPolicy, pinned: ReadonlyMap<string, number>, labelNoise: LabelNoise): TunedThresholds {
  const services: Record<string, { scores: number[]; labels: number[]; pinned?: number }> = {};
  tune.services.forEach((service, i) => {
    const entry = (services[service] ??= { scores: [], labels: [], ...(pinned.has(service) ? { pinned: pinned.get(service) as number } : {}) });
    entry.scores.push(scores[i] as number);
    entry.labels.push(tune.labels[i] as number);
  });
  const optimised = optimiseTenantThresholds(services as Record<string, ServiceLabels>, { fnrTarget: policy.fnrTarget * policy.tuningTargetShare, labelNoise });
  const byService = new Map<string, number>([[TENANT_WIDE_SERVICE, optimised.tenant.threshold]]);
  for (const [service, decision] of Object.entries(optimised.services)) byService.set(service, decision.threshold);
  return { byService, decisions: { tenant: optimised.tenant, services: optimised.services } };
}

/** The day-to-day spread of a model's noise reduction on `set` at its per-alert thresholds. */
function spreadOf(side: { scores: Float32Array; thresholds: number | Float64Array }, set: LabelledSet): DailySpread | null {
  const { scores, thresholds } = side;
  return dailySpread(set.eventTimes, (i) => isSuppressed(scores[i] as number, typeof thresholds === 'number' ? thresholds : (thresholds[i] as number)));
}

/** One threshold per alert: its service's, else the tenant-wide one. */
function perAlert(byService: ReadonlyMap<string, number>, set: LabelledSet): Float64Array {
  const fallback = byService.get(TENANT_WIDE_SERVICE) as number;
  return Float64Array.from(set.services, (service) => byService.get(service) ?? fallback);
}
