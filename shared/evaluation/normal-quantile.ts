import { regularizedUpperGamma } from '../stats/incomplete-gamma.js';
import { assertOpenUnit } from './validate.js';

/** P(Z > z) for a standard normal Z and z ≥ 0: erfc(z/√2)/2 = Q(1/2, z²/2)/2. */
function normalUpperTail(z: number): number {
  return 0.5 * regularizedUpperGamma(0.5, (z * z) / 2);
}

/** The standard normal quantile Φ⁻¹(p) (scipy's `norm.ppf`), by bisection on the exact upper tail. */
export function normalQuantile(p: number): number {
  assertOpenUnit('p', p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -normalQuantile(1 - p);
  const tail = 1 - p;
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (normalUpperTail(mid) > tail) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}
