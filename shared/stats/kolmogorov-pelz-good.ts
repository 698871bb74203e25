const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;

/**
 * Pelz–Good (1976) approximation of `P(D_n ≤ x)`: the Li-Chien/Korolyuk expansion
 * K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 in z = x√n, with each term rewritten through Jacobi theta
 * identities so it converges fast for small z. Used for large n where the exact methods are too slow.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner over odd m = 2k−1 of c_m · q^(m²), factoring out q.
  const terms = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const qPower = q ** (8 * k);
    terms[0] = terms[0]! * qPower + 1;
    terms[1] = terms[1]! * qPower + (k1a + k1b * m2);
    terms[2] = terms[2]! * qPower + (k2a + k2b * m2 + k2c * m2 * m2);
    terms[3] = terms[3]! * qPower + (k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i]! * q * SQRT_2PI) / divisors[i]!;

  // The remaining sums run over all integers k and do not cancel, so they are summed directly.
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const weighted = k2 * q ** k2;
    k2extra += weighted;
    k3extra += (SQRT3 * z + Math.PI * k) * (SQRT3 * z - Math.PI * k) * weighted;
  }
  terms[2] = terms[2]! + (k2extra * PI2 * SQRT_2PI) / (-36 * z ** 3);
  terms[3] = terms[3]! + (k3extra * PI2 * SQRT_2PI) / (216 * z6);

  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += terms[i]! / n ** (i / 2);
  return cdf;
}
