import { HushError } from '../../shared/errors/index.js';

/** How the PSI second opinion combines with the primary test (docs/drift.md, "Consensus"). */
export type PsiMode = 'primary' | 'both' | 'either';

/** The knobs of drift detection; one object so every report records what it used. */
export interface DriftOptions {
  /**
   * Significance of the KS and chi-square tests, after Benjamini–Hochberg across features. Under no drift a
   * one-feature window is flagged with probability alpha, so alpha is the per-window false-alarm budget
   * (docs/drift.md, "Why alpha is 0.01"). @defaultValue 0.01
   */
  alpha: number;
  /** Windows with at most this many rows use p-value tests (KS, chi-square); larger ones use distances. @defaultValue 1000 */
  smallWindowMax: number;
  /** Normalised Wasserstein distance at or above which a numeric feature drifted. @defaultValue 0.1 */
  wassersteinThreshold: number;
  /** Jensen–Shannon distance (base 2) at or above which a categorical feature drifted. @defaultValue 0.1 */
  jensenShannonThreshold: number;
  /** PSI above which the second opinion says "drifted". @defaultValue 0.1 */
  psiThreshold: number;
  /** `primary`: the primary test decides, PSI is reported beside it; `both`: both must agree; `either`: one suffices. @defaultValue 'primary' */
  psiMode: PsiMode;
  /** Floor of every bin share before PSI's logarithm. @defaultValue 1e-4 */
  psiEpsilon: number;
  /** Expected count below which chi-square merges categories (docs/stats.md). @defaultValue 5 */
  minExpected: number;
  /** Floor of the reference standard deviation that normalises Wasserstein. @defaultValue 0.001 */
  minStd: number;
  /** Share of evaluated features that must drift for dataset drift. @defaultValue 0.5 */
  driftShare: number;
  /** Fewer window rows than this: the report says so and judges nothing. @defaultValue 30 */
  minWindowRows: number;
  /** |mean score − actionable share| above which calibration is flagged. @defaultValue 0.1 */
  calibrationTolerance: number;
}

export const DEFAULT_DRIFT_OPTIONS: Readonly<DriftOptions> = Object.freeze({
  alpha: 0.01,
  smallWindowMax: 1000,
  wassersteinThreshold: 0.1,
  jensenShannonThreshold: 0.1,
  psiThreshold: 0.1,
  psiMode: 'primary',
  psiEpsilon: 1e-4,
  minExpected: 5,
  minStd: 0.001,
  driftShare: 0.5,
  minWindowRows: 30,
  calibrationTolerance: 0.1,
});

/** Defaults spread under `options`, each value checked; an invalid one fails naming the option. */
export function resolveDriftOptions(options: Partial<DriftOptions> = {}): DriftOptions {
  const resolved: DriftOptions = { ...DEFAULT_DRIFT_OPTIONS, ...options };
  const inOpenUnit = (name: keyof DriftOptions): void => {
    const value = resolved[name] as number;
    if (!(value > 0 && value < 1)) throw new HushError('HUSH_ERR_CONFIG', `drift option ${name} must be in (0, 1), got ${String(value)}`);
  };
  const positive = (name: keyof DriftOptions): void => {
    const value = resolved[name] as number;
    if (!(value > 0 && Number.isFinite(value))) throw new HushError('HUSH_ERR_CONFIG', `drift option ${name} must be a positive number, got ${String(value)}`);
  };
  inOpenUnit('alpha');
  inOpenUnit('psiEpsilon');
  inOpenUnit('jensenShannonThreshold');
  positive('wassersteinThreshold');
  positive('psiThreshold');
  positive('minStd');
  positive('calibrationTolerance');
  if (!(resolved.driftShare > 0 && resolved.driftShare <= 1)) throw new HushError('HUSH_ERR_CONFIG', `drift option driftShare must be in (0, 1], got ${resolved.driftShare}`);
  if (!(resolved.minExpected >= 0)) throw new HushError('HUSH_ERR_CONFIG', `drift option minExpected must be ≥ 0, got ${resolved.minExpected}`);
  for (const name of ['smallWindowMax', 'minWindowRows'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) throw new HushError('HUSH_ERR_CONFIG', `drift option ${name} must be a positive integer, got ${resolved[name]}`);
  }
  if (!['primary', 'both', 'either'].includes(resolved.psiMode)) throw new HushError('HUSH_ERR_CONFIG', `drift option psiMode must be primary, both or either, got ${String(resolved.psiMode)}`);
  return resolved;
}
