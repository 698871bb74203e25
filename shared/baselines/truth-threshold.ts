/** The most one threshold could suppress within an FNR target, chosen with the ground truth. */
export interface TruthThreshold {
  /** Alerts scored below it are suppressed. */
  threshold: number;
  /** suppressed / decided alerts (alerts without a score are notified). */
  noise_reduction: number;
  /** True FNR at that threshold (≤ the target). */
  fnr: number;
}

/**
 * What a model's ranking allows, apart from how thresholds are certified: the one tenant-wide threshold on
 * the served scores that suppresses the most while the true FNR stays within `fnrTarget`. It is picked
 * with the ground truth, which no deployment has, so it bounds what certified thresholds could reach with
 * the same scores; it is not a figure Hush achieves. Alerts decided without a score (cold start) count as
 * notified. Null without truth or without any actionable decided alert.
 */
export function truthThreshold(
  decisions: ReadonlyMap<string, { readonly score: number | null }>,
  actionable: ReadonlyMap<string, boolean>,
  fnrTarget: number,
): TruthThreshold | null {
  if (!(fnrTarget >= 0 && fnrTarget < 1)) throw new RangeError(`fnrTarget must be in [0, 1), got ${fnrTarget}`);
  const scored: { score: number; actionable: boolean }[] = [];
  let actionableCount = 0;
  for (const [id, { score }] of decisions) {
    const isActionable = actionable.get(id) === true;
    if (isActionable) actionableCount += 1;
    if (score !== null) scored.push({ score, actionable: isActionable });
  }
  if (actionableCount === 0) return null;
  scored.sort((a, b) => a.score - b.score);
  const allowedMisses = Math.floor(fnrTarget * actionableCount);
  let best: TruthThreshold = { threshold: scored[0]?.score ?? 0, noise_reduction: 0, fnr: 0 };
  let misses = 0;
  // A threshold suppresses every alert scored below it, so only the boundaries between distinct scores count.
  for (let i = 0; i < scored.length; ) {
    const score = (scored[i] as { score: number }).score;
    let j = i;
    while (j < scored.length && (scored[j] as { score: number }).score === score) {
      if ((scored[j] as { actionable: boolean }).actionable) misses += 1;
      j += 1;
    }
    if (misses > allowedMisses) break;
    const threshold = j < scored.length ? (scored[j] as { score: number }).score : score + Math.max(Number.EPSILON, Math.abs(score) * Number.EPSILON);
    best = { threshold, noise_reduction: j / decisions.size, fnr: misses / actionableCount };
    i = j;
  }
  return best;
}
