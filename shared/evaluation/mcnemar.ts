import { binomialCdf, binomialUpperTail } from './binomial-tail.js';
import { assertCount } from './validate.js';

/** The exact McNemar test on the discordant pairs of a paired 2×2 table. */
export interface McNemarResult {
  /** Pairs where only the champion has the property (e.g. only the champion suppresses the alert). */
  championOnly: number;
  /** Pairs where only the challenger has it. */
  challengerOnly: number;
  /** championOnly + challengerOnly: the only pairs that carry information about a difference. */
  discordant: number;
  /** Two-sided p-value of H0 "either model is equally likely to be the one", scipy's `binomtest(min(b, c), b + c, 0.5).pvalue`. */
  pTwoSided: number;
  /** One-sided p-value against "the challenger has it more often": P(X ≥ challengerOnly), X ~ Bin(discordant, ½). */
  pChallengerMore: number;
  /** One-sided p-value against "the challenger has it less often": P(X ≤ challengerOnly). */
  pChallengerFewer: number;
}

/**
 * Exact (binomial) McNemar test: under H0 each discordant pair is equally likely to fall either way, so
 * challengerOnly ~ Binomial(discordant, ½). Exact rather than the χ² form because the discordant
 * counts of actionable alerts are tiny (a handful of alerts one model suppresses and the other does
 * not), where the χ² approximation is badly off. No discordant pairs: no evidence, every p is 1.
 */
export function mcnemarExact(championOnly: number, challengerOnly: number): McNemarResult {
  assertCount('championOnly', championOnly);
  assertCount('challengerOnly', challengerOnly);
  const discordant = championOnly + challengerOnly;
  if (discordant === 0) {
    return { championOnly, challengerOnly, discordant, pTwoSided: 1, pChallengerMore: 1, pChallengerFewer: 1 };
  }
  const smaller = Math.min(championOnly, challengerOnly);
  // The null distribution is symmetric, so the two-sided p doubles the smaller tail.
  const pTwoSided = Math.min(1, 2 * binomialCdf(smaller, discordant, 0.5));
  return {
    championOnly,
    challengerOnly,
    discordant,
    pTwoSided,
    pChallengerMore: binomialUpperTail(challengerOnly, discordant, 0.5),
    pChallengerFewer: binomialCdf(challengerOnly, discordant, 0.5),
  };
}
