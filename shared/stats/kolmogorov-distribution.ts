import { durbinCdf } from './kolmogorov-durbin.js';
import { pelzGoodCdf } from './kolmogorov-pelz-good.js';
import { pomeranzCdf } from './kolmogorov-pomeranz.js';
import { smirnovSf } from './smirnov.js';

// Stirling-series coefficients B_2j / (2j(2j−1)), j = 8 … 1, evaluated by Horner in 1/n².
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/**
 * Survival function `P(D_n ≥ x)` of the two-sided one-sample Kolmogorov–Smirnov statistic for a
 * finite sample size n, equal to `scipy.stats.kstwo.sf(x, n)`. As in scipy, the method follows
 * Simard & L'Ecuyer (2011): Ruben–Gambino closed forms at the ends of the support, 2·Smirnov for
 * x ≥ 0.5 and in the upper tail, Durbin's matrix or Pomeranz's recursion for small n, Pelz–Good for
 * large n.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 0.5) return 1;
  if (t <= 1) {
    const cdf = n <= 140 ? rubenGambinoProduct(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));

  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nx2 <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/** n!/n^n · (2t − 1)^n, the CDF for 1/(2n) < x ≤ 1/n, as a product that cannot overflow. */
function rubenGambinoProduct(n: number, t: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= i * (1 / n) * (2 * t - 1);
  return p;
}

/** log(n!/n^n) by Stirling's series, with the n·log n terms cancelled analytically. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let series = 0;
  for (const c of STIRLING) series = series * (rn / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * series;
}

function clip(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}
