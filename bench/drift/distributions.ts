import type { Prng } from '../../synth/prng.js';

/** The undrifted feature distributions of the suite: two numeric shapes and one categorical mix. */
export type BaseName = 'normal' | 'lognormal' | 'categorical';

/** Category shares of the categorical base over the values 0 … 4. */
const CATEGORY_SHARES: readonly number[] = [0.4, 0.3, 0.15, 0.1, 0.05];
/** Total-variation distance between {@link CATEGORY_SHARES} and its reverse; mixing toward the reverse by t moves 0.55·t. */
const REVERSED_TV = 0.55;
/** log-space σ of the log-normal base (median 1). */
const LOG_SIGMA = 0.5;

/** Mean and standard deviation of a numeric base, the units of mean shifts and variance changes. */
function baseMoments(base: Exclude<BaseName, 'categorical'>): { mean: number; sd: number } {
  if (base === 'normal') return { mean: 0, sd: 1 };
  const s2 = LOG_SIGMA ** 2;
  return { mean: Math.exp(s2 / 2), sd: Math.sqrt((Math.exp(s2) - 1) * Math.exp(s2)) };
}

/** How a window departs from its base. */
export type Departure =
  | { kind: 'none' }
  /** Every value moves by `sd` standard deviations of the base. */
  | { kind: 'mean-shift'; sd: number }
  /** Deviations from the base mean are multiplied by `factor`. */
  | { kind: 'variance'; factor: number }
  /** A share of the values takes a value training never saw. */
  | { kind: 'new-category'; share: number }
  /** The category shares move toward the reversed mix by this total-variation distance. */
  | { kind: 'category-mix'; tv: number };

/** `n` values of `base` departed by `departure`, as Float32 (what the features table stores). */
export function draw(random: Prng, base: BaseName, departure: Departure, n: number): Float32Array {
  const out = new Float32Array(n);
  if (base === 'categorical') {
    const t = departure.kind === 'category-mix' ? departure.tv / REVERSED_TV : 0;
    const shares = CATEGORY_SHARES.map((p, k) => (1 - t) * p + t * (CATEGORY_SHARES[CATEGORY_SHARES.length - 1 - k] as number));
    const unseen = departure.kind === 'new-category' ? departure.share : 0;
    for (let i = 0; i < n; i += 1) out[i] = random.chance(unseen) ? CATEGORY_SHARES.length : pick(random, shares);
    return out;
  }
  const { mean, sd } = baseMoments(base);
  const shift = departure.kind === 'mean-shift' ? departure.sd * sd : 0;
  const factor = departure.kind === 'variance' ? departure.factor : 1;
  for (let i = 0; i < n; i += 1) {
    const x = base === 'normal' ? random.normal() : Math.exp(LOG_SIGMA * random.normal());
    out[i] = mean + factor * (x - mean) + shift;
  }
  return out;
}

function pick(random: Prng, shares: readonly number[]): number {
  let u = random.next();
  for (let k = 0; k < shares.length; k += 1) {
    u -= shares[k] as number;
    if (u < 0) return k;
  }
  return shares.length - 1;
}
