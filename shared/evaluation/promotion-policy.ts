import { liveNoiseReductionUpper, type DailySpread } from './daily-spread.js';
import { fnrBounds, type LabelNoise } from './label-noise.js';
import type { LabelledCounts } from './model-figures.js';
import type { PairedComparison } from './paired-comparison.js';
import { assertBinomialCounts, assertCount, assertOpenUnit } from './validate.js';
import { HushError } from '../errors/index.js';

/** Options of {@link decidePromotion}. */
export interface PromotionPolicy {
  /**
   * The tenant's FNR target: the challenger's one-sided Clopper–Pearson upper bound must not exceed it.
   * @defaultValue 0.01
   */
  fnrTarget?: number;
  /**
   * Confidence of that bound (the evaluation recomputes it from counts, so the comparison's own
   * confidence does not matter).
   * @defaultValue 0.95
   */
  confidence?: number;
  /**
   * Significance level of the one-sided exact McNemar test that the challenger suppresses more noise
   * alerts than the champion on the same alerts.
   * @defaultValue 0.05
   */
  alpha?: number;
  /**
   * Least gain in noise reduction (absolute, 0.01 = one point) worth a promotion: with tens of
   * thousands of alerts a 0.1-point gain is "significant" yet not worth a model change and its risk.
   * @defaultValue 0.01
   */
  minGain?: number;
  /**
   * Fewest labelled actionable alerts to decide on. 300 ≈ 3/1% (the rule of three): the least count at
   * which a challenger that misses *nothing* can show a 95% upper bound ≤ 1% (exactly 299). With fewer,
   * no FNR claim at the default target can be made; refusing early gives that reason plainly.
   * @defaultValue 300
   */
  minActionable?: number;
}

/** A promotion decision, recorded with the promotion history. */
export interface PromotionDecision {
  promote: boolean;
  /** Stable tag of the rule that decided. */
  rule: 'promote' | 'too-few-actionable' | 'fnr-bound-above-target' | 'no-noise-gain' | 'gain-below-minimum' | 'gain-not-significant';
  /** One sentence a person can read in the history. */
  reason: string;
  evidence: PromotionEvidence;
}

/** The figures behind a promotion decision (plain JSON). */
export interface PromotionEvidence {
  alerts: number;
  actionable: number;
  fnrTarget: number;
  confidence: number;
  alpha: number;
  minGain: number;
  minActionable: number;
  champion: SideEvidence;
  challenger: SideEvidence;
  /** The label-noise estimate the FNR bounds were corrected for (absent: labels taken as true). */
  labelNoise?: LabelNoise;
  /** challenger − champion noise reduction. */
  noiseReductionGain: number;
  /** Discordant noise alerts and the one-sided McNemar p that the challenger suppresses more of them. */
  noiseMcNemar: { championOnly: number; challengerOnly: number; p: number };
  /** Discordant actionable alerts and the one-sided McNemar p that the challenger misses more of them. */
  actionableMcNemar: { championOnly: number; challengerOnly: number; p: number };
}

/** One model's side of the evidence. */
export interface SideEvidence {
  noiseReduction: number;
  missed: number;
  fnr: number | null;
  fnrUpper: number;
  notifyPrecision: number | null;
}

/** The defaults of {@link PromotionPolicy}: what {@link decidePromotion} applies to every option not given. */
export const DEFAULT_PROMOTION_POLICY = {
  fnrTarget: 0.01,
  confidence: 0.95,
  alpha: 0.05,
  minGain: 0.01,
  minActionable: 300,
} as const satisfies Required<PromotionPolicy>;

/**
 * Decides whether the challenger replaces the champion, from a {@link comparePaired} result. It promotes
 * only when all hold, checked in this order (the first failing rule is the reason):
 * 1. at least `minActionable` labelled actionable alerts;
 * 2. the challenger's FNR upper bound ≤ `fnrTarget` (safety first: the bound, not the point estimate);
 * 3. the challenger's noise reduction is higher than the champion's,
 * 4. by at least `minGain`,
 * 5. and significantly: one-sided exact McNemar on noise alerts, p < `alpha` (the gain is not luck of
 *    the evaluation sample).
 * A challenger that misses somewhat more actionable alerts than the champion can still be promoted
 * while its bound stays within target: the target is the contract. The actionable McNemar p is kept in
 * the evidence. For a tenant's first model, compare against the cold-start policy (champion scores 1,
 * threshold 0: notify everything).
 */
export function decidePromotion(comparison: PairedComparison, policy: PromotionPolicy = {}, labelNoise?: LabelNoise): PromotionDecision {
  const p = { ...DEFAULT_PROMOTION_POLICY, ...policy };
  assertOpenUnit('fnrTarget', p.fnrTarget);
  assertOpenUnit('confidence', p.confidence);
  assertOpenUnit('alpha', p.alpha);
  assertCount('minActionable', p.minActionable);
  if (!(p.minGain >= 0 && p.minGain < 1)) throw new HushError('HUSH_ERR_VALIDATION', `minGain is ${String(p.minGain)}; it must lie in [0, 1)`);

  const side = (m: PairedComparison['champion']): SideEvidence => ({
    noiseReduction: m.noiseReduction,
    missed: m.missed,
    fnr: m.fnr,
    fnrUpper: fnrBounds(m, p.confidence, labelNoise).upper,
    notifyPrecision: m.notifyPrecision,
  });
  const champion = side(comparison.champion);
  const challenger = side(comparison.challenger);
  const gain = challenger.noiseReduction - champion.noiseReduction;
  const noise = comparison.noiseSuppressed;
  const actionable = comparison.actionableSuppressed;
  const evidence: PromotionEvidence = {
    alerts: comparison.alerts,
    actionable: comparison.actionable,
    fnrTarget: p.fnrTarget,
    confidence: p.confidence,
    alpha: p.alpha,
    minGain: p.minGain,
    minActionable: p.minActionable,
    champion,
    challenger,
    ...(labelNoise === undefined ? {} : { labelNoise }),
    noiseReductionGain: gain,
    noiseMcNemar: { championOnly: noise.championOnly, challengerOnly: noise.challengerOnly, p: noise.pChallengerMore },
    actionableMcNemar: { championOnly: actionable.championOnly, challengerOnly: actionable.challengerOnly, p: actionable.pChallengerMore },
  };
  const decide = (rule: PromotionDecision['rule'], reason: string): PromotionDecision => ({ promote: rule === 'promote', rule, reason, evidence });
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const bound = labelNoise === undefined ? 'FNR upper bound' : 'FNR upper bound (corrected for label noise)';

  if (comparison.actionable < p.minActionable) {
    return decide('too-few-actionable', `only ${comparison.actionable} labelled actionable alerts; at least ${p.minActionable} are needed to bound the FNR`);
  }
  if (challenger.fnrUpper > p.fnrTarget) {
    return decide(
      'fnr-bound-above-target',
      `challenger ${bound} ${pct(challenger.fnrUpper)} (${challenger.missed}/${comparison.actionable} missed) exceeds the ${pct(p.fnrTarget)} target`,
    );
  }
  if (gain <= 0) {
    return decide('no-noise-gain', `challenger noise reduction ${pct(challenger.noiseReduction)} is not above the champion's ${pct(champion.noiseReduction)}`);
  }
  if (gain < p.minGain) {
    return decide('gain-below-minimum', `noise reduction gain of ${pct(gain)} is below the ${pct(p.minGain)} minimum`);
  }
  if (!(noise.pChallengerMore < p.alpha)) {
    return decide('gain-not-significant', `noise reduction gain of ${pct(gain)} is not significant (McNemar p = ${noise.pChallengerMore.toPrecision(3)} ≥ ${p.alpha})`);
  }
  return decide(
    'promote',
    `challenger suppresses ${pct(gain)} more alerts (McNemar p = ${noise.pChallengerMore.toPrecision(3)}) with ${bound} ${pct(challenger.fnrUpper)} ≤ ${pct(p.fnrTarget)}`,
  );
}

/** What the live champion is judged against: the evaluation's figures at the thresholds it serves with. */
export interface ReferenceFigures {
  noiseReduction: number;
  fnr?: number;
  /** How much its daily noise reduction varied there; absent: the live bound is the Wilson bound alone. */
  dailySpread?: DailySpread;
}

/** The live champion's labelled decisions, and the UTC days they span (1 when not given: the widest daily bound). */
export type LiveCounts = LabelledCounts & { days?: number };

/** Options of {@link decideRollback}. */
export interface RollbackPolicy {
  /**
   * The tenant's FNR target; rollback when the live FNR's one-sided Clopper–Pearson *lower* bound exceeds it.
   * @defaultValue 0.01
   */
  fnrTarget?: number;
  /**
   * Confidence of the bounds.
   * @defaultValue 0.95
   */
  confidence?: number;
  /**
   * Relative drop of noise reduction vs the reference that counts as degradation.
   * @defaultValue 0.1
   */
  maxRelativeDrop?: number;
  /**
   * Fewest live firing alerts for the noise-reduction rule; a smaller window (minutes of traffic) does
   * not speak for the model, however tight its interval. The FNR rule needs no floor: its lower bound is
   * 0 until misses are real evidence.
   * @defaultValue 200
   */
  minLiveAlerts?: number;
}

/** A rollback decision, recorded with the promotion history. */
export interface RollbackDecision {
  rollback: boolean;
  rule: 'live-fnr-above-target' | 'noise-reduction-degraded' | 'too-few-live-alerts' | 'healthy';
  reason: string;
  evidence: {
    fnrTarget: number;
    confidence: number;
    maxRelativeDrop: number;
    minLiveAlerts: number;
    live: LiveCounts & { noiseReduction: number; noiseReductionUpper: number; fnr: number | null; fnrLower: number };
    reference: ReferenceFigures;
    /** The label-noise estimate the FNR lower bound was corrected for (absent: labels taken as true). */
    labelNoise?: LabelNoise;
    /** (reference − live) / reference of noise reduction, point estimate; 0 when the reference is 0. */
    relativeDrop: number;
  };
}

const DEFAULT_ROLLBACK_POLICY = {
  fnrTarget: 0.01,
  confidence: 0.95,
  maxRelativeDrop: 0.1,
  minLiveAlerts: 200,
} as const satisfies Required<RollbackPolicy>;

/**
 * Decides whether the live champion is rolled back (to the previous champion). Two triggers, safety first:
 * 1. its live FNR is above target with confidence: the one-sided Clopper–Pearson lower bound of
 *    missed/actionable exceeds `fnrTarget`. The lower bound, not the point estimate, so that one or two
 *    unlucky (or mislabelled) misses among a few dozen labels do not flip the fleet back and forth;
 * 2. its key metric degraded: noise reduction at least `maxRelativeDrop` (10%) below the reference,
 *    judged on the one-sided *upper* bound of the live noise reduction ({@link noiseReductionUpper}:
 *    the Wilson bound, widened by the reference's day-to-day spread over the days the decisions span),
 *    so only a drop neither the sample nor a bursty day can explain counts. Needs `minLiveAlerts` alerts.
 * `live` counts the champion's labelled live decisions; with `labelNoise` the FNR bound is corrected
 * for flipped labels (label-noise.ts).
 */
export function decideRollback(live: LiveCounts, reference: ReferenceFigures, policy: RollbackPolicy = {}, labelNoise?: LabelNoise): RollbackDecision {
  const p = { ...DEFAULT_ROLLBACK_POLICY, ...policy };
  assertOpenUnit('fnrTarget', p.fnrTarget);
  assertOpenUnit('confidence', p.confidence);
  assertOpenUnit('maxRelativeDrop', p.maxRelativeDrop);
  assertCount('minLiveAlerts', p.minLiveAlerts);
  assertBinomialCounts(live.suppressed, live.alerts);
  assertBinomialCounts(live.missed, live.actionable);
  if (live.actionable > live.alerts) throw new HushError('HUSH_ERR_VALIDATION', `live.actionable (${live.actionable}) exceeds live.alerts (${live.alerts})`);
  if (!(reference.noiseReduction >= 0 && reference.noiseReduction <= 1)) {
    throw new HushError('HUSH_ERR_VALIDATION', `reference.noiseReduction is ${String(reference.noiseReduction)}; it must lie in [0, 1]`);
  }

  const noiseReduction = live.alerts === 0 ? 0 : live.suppressed / live.alerts;
  const noiseReductionUpper = liveNoiseReductionUpper(live.suppressed, live.alerts, live.days ?? 1, p.confidence, reference.dailySpread ?? null);
  const fnrLower = fnrBounds(live, p.confidence, labelNoise).lower;
  const relativeDrop = reference.noiseReduction === 0 ? 0 : (reference.noiseReduction - noiseReduction) / reference.noiseReduction;
  const evidence: RollbackDecision['evidence'] = {
    fnrTarget: p.fnrTarget,
    confidence: p.confidence,
    maxRelativeDrop: p.maxRelativeDrop,
    minLiveAlerts: p.minLiveAlerts,
    live: { ...live, noiseReduction, noiseReductionUpper, fnr: live.actionable === 0 ? null : live.missed / live.actionable, fnrLower },
    reference: { ...reference },
    ...(labelNoise === undefined ? {} : { labelNoise }),
    relativeDrop,
  };
  const decide = (rule: RollbackDecision['rule'], reason: string): RollbackDecision => ({
    rollback: rule === 'live-fnr-above-target' || rule === 'noise-reduction-degraded',
    rule,
    reason,
    evidence,
  });
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const spreadNote = reference.dailySpread === undefined ? '' : ` (daily spread ${pct(reference.dailySpread.sd)} over ${live.days ?? 1} live day(s))`;

  if (fnrLower > p.fnrTarget) {
    return decide(
      'live-fnr-above-target',
      `live FNR lower bound ${pct(fnrLower)} (${live.missed}/${live.actionable} actionable suppressed) is above the ${pct(p.fnrTarget)} target`,
    );
  }
  if (live.alerts < p.minLiveAlerts) {
    return decide('too-few-live-alerts', `only ${live.alerts} live alerts; the noise-reduction rule needs ${p.minLiveAlerts}`);
  }
  const floor = (1 - p.maxRelativeDrop) * reference.noiseReduction;
  if (reference.noiseReduction > 0 && noiseReductionUpper <= floor) {
    return decide(
      'noise-reduction-degraded',
      `live noise reduction ${pct(noiseReduction)} (upper bound ${pct(noiseReductionUpper)}) is ≥ ${pct(p.maxRelativeDrop)} below the reference ${pct(reference.noiseReduction)}${spreadNote}`,
    );
  }
  return decide('healthy', `live noise reduction ${pct(noiseReduction)} (upper bound ${pct(noiseReductionUpper)}) vs reference ${pct(reference.noiseReduction)}${spreadNote}; live FNR lower bound ${pct(fnrLower)} within target`);
}
