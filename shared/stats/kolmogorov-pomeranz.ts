import { ldexp, SCALE, SCALE_BITS } from './scale-exponent.js';

/**
 * `P(D_n ≤ x)` for the two-sided one-sample KS statistic by Pomeranz's recursion (1974), following
 * the arrangement in scipy's `_kolmogn_Pomeranz`: 2n+1 rows, each the convolution of the previous row
 * with one of three truncated Poisson weight vectors, keeping only the band of non-zero entries.
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);
  const gPowers = poissonWeights(g / n, width);
  const twoGPowers = poissonWeights((2 * g) / n, width);
  const oneMinusTwoGPowers = poissonWeights((1 - 2 * g) / n, width);

  let prev = new Float64Array(width);
  let cur = new Float64Array(width);
  cur[0] = 1;
  let prevStart = 0;
  let curStart = 0;
  let exponent = 0;
  let [j1, j2] = rowBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
    cur.fill(0);
    [j1, j2] = rowBounds(i, n, ll, ceilf, roundf);
    const weights = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : oneMinusTwoGPowers;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    const offset = k1 - prevStart;
    let max = 0;
    for (let out = 0; out <= j2 - j1; out++) {
      const c = j1 - k1 + out;
      let acc = 0;
      for (let a = Math.max(0, c - span + 1); a <= Math.min(c, span - 1); a++) {
        acc += (prev[offset + a] ?? 0) * (weights[c - a] ?? 0);
      }
      cur[out] = acc;
      max = Math.max(max, acc);
    }
    if (max > 0 && max < 1 / SCALE) {
      for (let out = 0; out < width; out++) cur[out]! *= SCALE;
      exponent -= SCALE_BITS;
    }
    curStart = prevStart + j1 - k1;
  }

  let answer = cur[n - curStart]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE) {
      answer /= SCALE;
      exponent += SCALE_BITS;
    }
    answer *= m;
  }
  return Math.min(Math.max(ldexp(answer, exponent), 0), 1);
}

/** (rate)^m / m! for m = 0 … count−1: Poisson probabilities without the e^(−rate) factor. */
function poissonWeights(rate: number, count: number): Float64Array {
  const out = new Float64Array(count);
  out[0] = 1;
  for (let m = 1; m < count; m++) out[m] = (out[m - 1]! * rate) / m;
  return out;
}

/** First and last non-zero column of row i of the Pomeranz recursion. */
function rowBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}
