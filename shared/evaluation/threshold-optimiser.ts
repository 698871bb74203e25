import { clopperPearsonUpper, minTrialsForUpperBound } from './binomial-bounds.js';
import { correctedFnr, type LabelNoise } from './label-noise.js';
import { assertCount, assertFiniteAll, assertFiniteNumber, assertLabels, assertOpenUnit, assertSameLength, type Numbers } from './validate.js';

/** Options of {@link optimiseThreshold}. */
export interface ThresholdOptimiserOptions {
  /**
   * The tenant's FNR target: the chosen threshold's one-sided Clopper–Pearson FNR upper bound is ≤ it.
   * @defaultValue 0.01
   */
  fnrTarget?: number;
  /**
   * Confidence of that bound.
   * @defaultValue 0.95
   */
  confidence?: number;
  /**
   * Fewest labelled alerts to optimise on; fewer is less than a day of most services' alerts, too few to
   * say what a threshold suppresses.
   * @defaultValue 200
   */
  minLabels?: number;
  /**
   * Misses the FNR bound must be able to absorb before the optimiser trusts the labels: with a bound
   * that allows 0 misses, the lowest-scored actionable label sets the threshold, so one noise alert
   * mislabelled actionable at score 0.001 drags the threshold to 0.001. Requiring room for 1 miss makes
   * the threshold the *second* lowest actionable score: one flipped label cannot move it. Not used with
   * `labelNoise`, which accounts for flipped labels itself.
   * @defaultValue 1
   */
  mislabelTolerance?: number;
  /**
   * Fewest labelled actionable alerts to optimise on.
   * @defaultValue the least count whose bound allows `mislabelTolerance` misses: 473 at 1%, 95%, 1 miss
   * (299 with `labelNoise`: 0 misses)
   */
  minActionable?: number;
  /**
   * The threshold used when the labels are too few, when no `fallback` is given: 0 notifies every alert,
   * as at cold start (DESIGN §4: nothing is suppressed blindly).
   * @defaultValue 0
   */
  defaultThreshold?: number;
  /**
   * The labels' noise (see label-noise.ts): when given, the FNR bound is corrected for noise alerts
   * labelled actionable, and the threshold is certified by fixed-sequence testing of candidates (see
   * `sequenceStep`). Without it the labels are taken as true.
   */
  labelNoise?: LabelNoise;
  /**
   * With `labelNoise`: the share of the alerts each candidate of the fixed test sequence suppresses
   * beyond the previous one. Finer steps reach closer to the best threshold but meet more noisy bounds,
   * any of which ends the sequence; one point of noise reduction is the least gain promotion counts
   * (`minGain`), so finer steps buy nothing it would see.
   * @defaultValue 0.01
   */
  sequenceStep?: number;
}

/** One (tenant, service)'s labelled alerts and what is already decided for it. */
export interface ThresholdInput {
  /** Champion scores of the labelled alerts. */
  scores: Numbers;
  /** 1 = actionable, 0 = noise, per alert. */
  labels: Numbers;
  /** A manual threshold (`PUT /api/v1/ml/thresholds`): returned unchanged, the optimiser never touches it. */
  pinned?: number;
  /** The conservative threshold to fall back to with too few labels, e.g. the tenant-wide optimum. */
  fallback?: number;
}

/** Why a threshold was chosen. */
export type ThresholdReason = 'pinned' | 'optimised' | 'too-few-labels' | 'too-few-actionable';

/** The optimiser's answer, recorded in the threshold history. */
export interface ThresholdDecision {
  threshold: number;
  reason: ThresholdReason;
  /** One sentence a person can read in the history. */
  detail: string;
  /** The figures at the chosen threshold on the labelled alerts (absent for a pinned threshold). */
  evidence?: ThresholdEvidence;
}

/** The labelled figures behind a threshold. */
export interface ThresholdEvidence {
  labels: number;
  actionable: number;
  fnrTarget: number;
  confidence: number;
  minLabels: number;
  minActionable: number;
  /** Most misses whose FNR upper bound is within target at this many actionable alerts (−1: none). */
  allowedMisses: number;
  /** At the chosen threshold: */
  suppressed: number;
  noiseReduction: number;
  missed: number;
  fnr: number | null;
  /** The bound the choice was made on: corrected for `labelNoise` when given. */
  fnrUpper: number;
  /** With label noise: its estimate and the corrected FNR point estimate. */
  labelNoise?: LabelNoise;
  fnrCorrected?: number | null;
}

const DEFAULTS = { fnrTarget: 0.01, confidence: 0.95, minLabels: 200, mislabelTolerance: 1, defaultThreshold: 0, sequenceStep: 0.01 } as const;

/**
 * Picks, for one (tenant, service), the threshold with the most suppression whose FNR upper confidence
 * bound stays ≤ `fnrTarget`. Alerts are suppressed when `score < threshold` (the scoring worker notifies
 * when `score >= threshold`), and the candidates are the distinct scores.
 *
 * Suppression and misses both grow with the threshold, so the best candidate is the largest one whose
 * misses stay within the bound: with k* the most misses whose Clopper–Pearson upper bound at the
 * actionable count is ≤ target, it is the (k*+1)-th lowest actionable score (that alert itself is
 * notified). Misses are counted honestly (no label is discarded as "probably wrong"); robustness to a
 * single mislabel comes from requiring k* ≥ `mislabelTolerance`, see that option. Under label noise the
 * labelled FNR overstates the true one so much that little can be suppressed; with `labelNoise` the
 * bound is corrected for it instead (label-noise.ts) and the threshold is certified by a fixed sequence
 * of tests (fixedSequenceThreshold).
 */
export function optimiseThreshold(input: ThresholdInput, options: ThresholdOptimiserOptions = {}): ThresholdDecision {
  if (input.pinned !== undefined) {
    assertFiniteNumber('pinned', input.pinned);
    return { threshold: input.pinned, reason: 'pinned', detail: `pinned manually at ${input.pinned}` };
  }
  const o = { ...DEFAULTS, ...options };
  assertOpenUnit('fnrTarget', o.fnrTarget);
  assertOpenUnit('confidence', o.confidence);
  assertCount('minLabels', o.minLabels);
  assertCount('mislabelTolerance', o.mislabelTolerance);
  assertFiniteNumber('defaultThreshold', o.defaultThreshold);
  assertOpenUnit('sequenceStep', o.sequenceStep);
  // With label noise corrected for, one flipped label cannot drag the threshold down (it is one of the
  // expected flips), so the floor is only what the bound needs to reach the target with no miss at all.
  const tolerance = o.labelNoise === undefined ? o.mislabelTolerance : 0;
  const minActionable = o.minActionable ?? minTrialsForUpperBound(o.fnrTarget, o.confidence, tolerance);
  assertCount('minActionable', minActionable);
  const { scores, labels } = input;
  assertSameLength('scores', scores, 'labels', labels);
  assertFiniteAll('scores', scores);
  assertLabels('labels', labels);
  if (input.fallback !== undefined) assertFiniteNumber('fallback', input.fallback);

  const actionableScores: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) actionableScores.push(scores[i] as number);
  actionableScores.sort((a, b) => a - b);
  const actionable = actionableScores.length;
  const allowedMisses = mostMissesWithinTarget(actionable, o.fnrTarget, o.confidence);

  const evidenceAt = (threshold: number): ThresholdEvidence => {
    let suppressed = 0;
    let missed = 0;
    for (let i = 0; i < scores.length; i++) {
      if ((scores[i] as number) < threshold) {
        suppressed++;
        if (labels[i] === 1) missed++;
      }
    }
    const corrected = o.labelNoise === undefined ? undefined : correctedFnr({ alerts: labels.length, suppressed, actionable, missed }, o.labelNoise, o.confidence);
    return {
      labels: labels.length,
      actionable,
      fnrTarget: o.fnrTarget,
      confidence: o.confidence,
      minLabels: o.minLabels,
      minActionable,
      allowedMisses,
      suppressed,
      noiseReduction: labels.length === 0 ? 0 : suppressed / labels.length,
      missed,
      fnr: actionable === 0 ? null : missed / actionable,
      fnrUpper: corrected === undefined ? clopperPearsonUpper(missed, actionable, o.confidence) : corrected.upper,
      ...(corrected === undefined ? {} : { labelNoise: o.labelNoise, fnrCorrected: corrected.fnr }),
    };
  };
  const fallBack = (reason: ThresholdReason, why: string): ThresholdDecision => {
    const threshold = input.fallback ?? o.defaultThreshold;
    const source = input.fallback === undefined ? 'the default' : 'the fallback';
    return { threshold, reason, detail: `${why}; using ${source} threshold ${threshold}`, evidence: evidenceAt(threshold) };
  };

  if (labels.length < o.minLabels) return fallBack('too-few-labels', `only ${labels.length} labelled alerts, fewer than ${o.minLabels}`);
  if (actionable < minActionable || allowedMisses < tolerance) {
    return fallBack(
      'too-few-actionable',
      `only ${actionable} labelled actionable alerts; the FNR bound allows ${Math.max(allowedMisses, 0)} misses and ${tolerance} are needed` +
        ` (at least ${minActionable} actionable)`,
    );
  }
  const threshold = o.labelNoise === undefined ? (actionableScores[allowedMisses] as number) : fixedSequenceThreshold(scores, labels, o.labelNoise, o.fnrTarget, o.confidence, o.sequenceStep);
  const evidence = evidenceAt(threshold);
  return {
    threshold,
    reason: 'optimised',
    detail: `suppresses ${evidence.suppressed}/${evidence.labels} labelled alerts, missing ${evidence.missed}/${actionable} actionable (FNR upper bound ${(100 * evidence.fnrUpper).toFixed(2)}%)`,
    evidence,
  };
}

/**
 * The threshold certified by fixed-sequence testing (Learn-then-Test): candidates suppress a growing
 * share of the alerts, `step` more each (a grid fixed by the scores alone, snapped to where a distinct
 * score starts), and are tested in that order; each passes when its corrected FNR upper bound is within
 * target, and the first failure ends the sequence. The last candidate to pass is returned (0, suppress
 * nothing, when the first fails). Because the order is fixed before any label is looked at, stopping
 * at the first failure keeps the chance that the returned threshold's FNR exceeds the target within
 * 1 − confidence, with no correction for having tried many thresholds and no held-out alerts to check
 * it on: the threshold can be certified on every labelled alert. Taking the *largest* passing candidate
 * instead (which bisection approximated) picks the luckiest of many noisy bounds and is not covered.
 */
function fixedSequenceThreshold(scores: Numbers, labels: Numbers, noise: LabelNoise, target: number, confidence: number, step: number): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  // missedBelow[k]: actionable labels among the k lowest-scored alerts.
  const missedBelow = new Uint32Array(order.length + 1);
  order.forEach((row, k) => (missedBelow[k + 1] = (missedBelow[k] as number) + (labels[row] as number)));
  const actionable = missedBelow[order.length] as number;
  const scoreAt = (k: number): number => scores[order[k] as number] as number;
  const within = (k: number): boolean => correctedFnr({ alerts: order.length, suppressed: k, actionable, missed: missedBelow[k] as number }, noise, confidence).upper <= target;
  let certified = 0;
  let previous = 0;
  for (let j = 1; ; j++) {
    // Candidate k suppresses the k lowest-scored alerts; k must start a distinct score (ties go together).
    let k = Math.max(Math.ceil(j * step * order.length), previous + 1);
    while (k < order.length && scoreAt(k) === scoreAt(k - 1)) k++;
    if (k >= order.length || !within(k)) return certified;
    certified = scoreAt(k);
    previous = k;
  }
}

/** The largest k with a one-sided Clopper–Pearson upper bound of k/n ≤ target (the bound grows with k); −1 if none. */
export function mostMissesWithinTarget(actionable: number, target: number, confidence = 0.95): number {
  assertCount('actionable', actionable);
  assertOpenUnit('target', target);
  assertOpenUnit('confidence', confidence);
  // Invariant: lo is within target (or −1), hi is not (k = n has bound 1).
  let lo = -1;
  let hi = actionable;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clopperPearsonUpper(mid, actionable, confidence) <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** A service's labelled alerts, and its manual threshold if any. */
export interface ServiceLabels {
  scores: Numbers;
  labels: Numbers;
  pinned?: number;
}

/**
 * Optimises every service of a tenant: first the tenant-wide threshold on all its labelled alerts
 * pooled (itself falling back to `defaultThreshold`), then each service, falling back to that
 * tenant-wide optimum when the service has too few labels of its own. Pinned services stay pinned.
 */
export function optimiseTenantThresholds(
  services: Readonly<Record<string, ServiceLabels>>,
  options: ThresholdOptimiserOptions = {},
): { tenant: ThresholdDecision; services: Record<string, ThresholdDecision> } {
  const scores: number[] = [];
  const labels: number[] = [];
  for (const [name, s] of Object.entries(services)) {
    assertSameLength(`${name}.scores`, s.scores, `${name}.labels`, s.labels);
    for (let i = 0; i < s.scores.length; i++) {
      scores.push(s.scores[i] as number);
      labels.push(s.labels[i] as number);
    }
  }
  const tenant = optimiseThreshold({ scores, labels }, options);
  const result: Record<string, ThresholdDecision> = {};
  for (const [name, s] of Object.entries(services)) {
    result[name] = optimiseThreshold({ ...s, fallback: tenant.threshold }, options);
  }
  return { tenant, services: result };
}
