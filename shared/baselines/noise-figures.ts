/** A decision on one firing alert (DESIGN §4). */
export type Decision = 'notify' | 'suppress';

/** The figures of DESIGN §4 for a set of decisions; FNR and precision need the ground truth. */
export interface NoiseFigures {
  decisions: number;
  notified: number;
  suppressed: number;
  /** Decided alerts the truth calls actionable (0 without truth). */
  actionable: number;
  /** Actionable alerts that were suppressed: the false negatives. */
  actionable_suppressed: number;
  /** suppressed / decisions (0 when nothing was decided). */
  noise_reduction: number;
  /** actionable_suppressed / actionable; 0 when nothing actionable was decided, null without truth. */
  fnr: number | null;
  /** actionable notified / notified; null without truth or without notifications. */
  notify_precision: number | null;
}

/**
 * The one place the noise figures are computed, for the fleet's replay report and the baselines alike.
 * `actionable` (the ground truth, alert id → whether a person had to act) is optional; a decided alert
 * missing from it counts as noise, and truth about an undecided alert is ignored.
 */
export function noiseFigures(
  decisions: ReadonlyMap<string, { readonly decision: Decision }>,
  actionable?: ReadonlyMap<string, boolean>,
): NoiseFigures {
  let suppressed = 0;
  let actionableCount = 0;
  let actionableSuppressed = 0;
  for (const [id, { decision }] of decisions) {
    if (decision === 'suppress') suppressed += 1;
    if (actionable?.get(id) !== true) continue;
    actionableCount += 1;
    if (decision === 'suppress') actionableSuppressed += 1;
  }
  const total = decisions.size;
  const notified = total - suppressed;
  return {
    decisions: total,
    notified,
    suppressed,
    actionable: actionableCount,
    actionable_suppressed: actionableSuppressed,
    noise_reduction: total > 0 ? suppressed / total : 0,
    fnr: actionable ? (actionableCount > 0 ? actionableSuppressed / actionableCount : 0) : null,
    notify_precision: actionable && notified > 0 ? (actionableCount - actionableSuppressed) / notified : null,
  };
}
