import { RECERTIFIED_EVIDENCE_KEY, type RecertifiedEvidence } from '../../shared/evaluation/serving-baseline.js';
import type { ChallengerVerdict, ChampionRecertification } from './judge.js';

/** Thresholds a kept champion serves with from now on, and the evidence recorded with them. */
export interface KeptChampionThresholds {
  thresholds: ReadonlyMap<string, number>;
  /** Recorded with the threshold changes and, under {@link RECERTIFIED_EVIDENCE_KEY}, with the challenger's `reject` event. */
  evidence: { [RECERTIFIED_EVIDENCE_KEY]: RecertifiedEvidence };
}

/**
 * When the evaluation keeps champion `championId`, the thresholds it was judged with, if they are
 * certified (judgeChallenger's `champion.decision`); null otherwise (the served thresholds stay). The
 * evaluation worker applies them and records the evidence, and the retraining replay does the same, so
 * the live figures are then judged against the champion's figure on current alerts at the thresholds it
 * serves with (`servingBaseline`), not its promotion's.
 */
export function keptChampionThresholds(verdict: ChallengerVerdict, championId: string): KeptChampionThresholds | null {
  return verdict.promote || verdict.champion === null ? null : certifiedThresholds(verdict.champion, championId);
}

/** The re-tuned thresholds of champion `championId` with the evidence recorded with them, when certified; null otherwise. */
export function certifiedThresholds(recertification: ChampionRecertification, championId: string): KeptChampionThresholds | null {
  if (!recertification.decision.certified) return null;
  const { decision, thresholds, optimiser, dailySpread } = recertification;
  return { thresholds, evidence: { [RECERTIFIED_EVIDENCE_KEY]: { ...decision.evidence, dailySpread, modelId: championId, thresholds: optimiser } } };
}
