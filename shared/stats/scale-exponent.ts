/** 2^128: intermediate results are rescaled by this factor to stay inside double range. */
export const SCALE = 2 ** 128;
/** log2 of {@link SCALE}. */
export const SCALE_BITS = 128;

/** `x · 2^exponent` without overflowing or underflowing the power of two on the way (C's `ldexp`). */
export function ldexp(x: number, exponent: number): number {
  let result = x;
  let e = exponent;
  while (e > 1000) {
    result *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    result *= 2 ** -1000;
    e += 1000;
  }
  return result * 2 ** e;
}
