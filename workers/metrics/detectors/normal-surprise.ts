/**
 * `−log10 P(Z > z)` for a standard normal Z: how surprising a value `z` standard deviations high is, in
 * decimal digits. Worked in log space so it keeps growing where the tail probability itself underflows;
 * accurate to about 1e-7 relative (a Chebyshev fit of erfc).
 */
export function normalSurprise(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const lnTailOfAbs = Math.log(0.5 * t) - x * x + poly;
  const lnTail = z >= 0 ? lnTailOfAbs : Math.log1p(-Math.exp(lnTailOfAbs));
  return -lnTail / Math.LN10;
}
