import { HushError } from '../errors/index.js';
import { assertFinite, type Sample } from './validate.js';

/**
 * Bonferroni-adjusted p-values min(1, m·p), in input order; equal to statsmodels'
 * `multipletests(p, method='bonferroni')[1]`.
 */
export function bonferroni(pValues: Sample): number[] {
  assertPValues(pValues);
  return Array.from(pValues, (p) => Math.min(1, p * pValues.length));
}

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), in input order: for the i-th smallest,
 * min over j ≥ i of m·p_(j)/j, capped at 1. Equal to statsmodels' `multipletests(p, method='fdr_bh')[1]`
 * and to `scipy.stats.false_discovery_control(p, method='bh')` (scipy ≥ 1.11).
 */
export function benjaminiHochberg(pValues: Sample): number[] {
  assertPValues(pValues);
  const m = pValues.length;
  const order = Array.from(pValues, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    running = Math.min(running, pValues[index]! / (rank / m));
    adjusted[index] = running;
  }
  return adjusted;
}

function assertPValues(pValues: Sample): void {
  assertFinite('pValues', pValues);
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (p < 0 || p > 1) throw new HushError('HUSH_ERR_VALIDATION', `pValues[${i}] is ${p}, not in [0, 1]`);
  }
}
