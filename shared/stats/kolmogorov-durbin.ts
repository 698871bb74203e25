import { ldexp, SCALE, SCALE_BITS } from './scale-exponent.js';

/**
 * `P(D_n ≤ d)` for the two-sided one-sample KS statistic by Durbin's matrix method as organised by
 * Marsaglia, Tsang & Wang (2003): the k-th diagonal entry of `(n!/n^n)·H^n`, with H of size 2k−1
 * where d = (k − h)/n. Memory O(k²), time O(k³ log n), so it suits small n·d.
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * fac;

  let hm: Float64Array = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) hm[row * m + col] = w[row - col + 1]!;
  }
  for (let row = 0; row < m; row++) hm[row * m] = v[row]!;
  for (let col = 0; col < m; col++) hm[(m - 1) * m + col] = v[m - 1 - col]!;

  let power = identity(m);
  let powerExponent = 0;
  let hExponent = 0;
  const diagonal = (k - 1) * m + (k - 1);
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      power = multiply(power, hm, m);
      powerExponent += hExponent;
    }
    hm = multiply(hm, hm, m);
    hExponent *= 2;
    if (Math.abs(hm[diagonal]!) > SCALE) {
      for (let i = 0; i < hm.length; i++) hm[i]! /= SCALE;
      hExponent += SCALE_BITS;
    }
  }

  let p = power[diagonal]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      powerExponent -= SCALE_BITS;
    }
  }
  return Math.min(Math.max(ldexp(p, powerExponent), 0), 1);
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i * m + i] = 1;
  return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return out;
}
