import { inverseRegularizedBeta } from './incomplete-beta.js';
import { assertOpenUnit } from './validate.js';
import { HushError } from '../errors/index.js';

/**
 * The Student t quantile `t.ppf(p, dof)` (scipy) for p in (0, 1) and dof > 0. For t > 0,
 * P(T > t) = I_x(dof/2, 1/2)/2 with x = dof/(dof + t²), so the upper quantile inverts the regularized
 * incomplete beta; the lower one follows by symmetry.
 */
export function studentTQuantile(p: number, dof: number): number {
  assertOpenUnit('p', p);
  if (!(dof > 0 && Number.isFinite(dof))) throw new HushError('HUSH_ERR_VALIDATION', `dof is ${String(dof)}; it must be a positive number`);
  if (p === 0.5) return 0;
  const upper = p > 0.5 ? p : 1 - p;
  const x = inverseRegularizedBeta(2 * (1 - upper), dof / 2, 0.5);
  const t = Math.sqrt((dof * (1 - x)) / x);
  return p > 0.5 ? t : -t;
}
