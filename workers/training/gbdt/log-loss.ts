import { softplus } from './platt-scaling.js';

/** The per-row loss boosting descends, with its derivatives in the margin z. */
export interface BinaryLoss {
  /** Loss of one row with label `y` (1 = actionable) at margin `z`, unweighted. */
  loss(z: number, y: number): number;
  /** Weighted gradient and hessian at the current margins, for `rows`. */
  derivatives(rows: Uint32Array, labels: Uint8Array, weights: Float64Array, margins: Float64Array, out: { grad: Float64Array; hess: Float64Array }): void;
}

/** A floor keeps saturated rows from zeroing a leaf's hessian. */
const HESSIAN_FLOOR = 1e-16;
/** Keeps −log q finite where float rounding puts q on 0 or 1. */
const PROBABILITY_FLOOR = 1e-12;

/** Binary log-loss of σ(z). */
export const LOG_LOSS: BinaryLoss = {
  loss: (z, y) => (y === 1 ? softplus(-z) : softplus(z)),
  derivatives(rows, labels, weights, margins, out) {
    for (const row of rows) {
      const prob = 1 / (1 + Math.exp(-(margins[row] as number)));
      const w = weights[row] as number;
      out.grad[row] = w * (prob - (labels[row] as number));
      out.hess[row] = w * Math.max(prob * (1 - prob), HESSIAN_FLOOR);
    }
  },
};

/**
 * Log-loss corrected forward for labels flipped at rate `rho` either way: the observed label is 1 with
 * q = ρ + (1 − 2ρ)·σ(z), so σ(z) keeps estimating the clean label and flipped rows pull less on the trees.
 * The hessian is the Fisher information d²/(q(1 − q)), d = dq/dz, which stays positive where the exact
 * second derivative does not. `rho` = 0 is {@link LOG_LOSS}.
 */
export function binaryLoss(rho: number): BinaryLoss {
  if (rho === 0) return LOG_LOSS;
  if (!(rho > 0 && rho < 0.5)) throw new RangeError(`label noise must lie in [0, 0.5), got ${String(rho)}`);
  const scale = 1 - 2 * rho;
  const observed = (prob: number): number => Math.min(Math.max(rho + scale * prob, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR);
  return {
    loss(z, y) {
      const q = observed(1 / (1 + Math.exp(-z)));
      return y === 1 ? -Math.log(q) : -Math.log(1 - q);
    },
    derivatives(rows, labels, weights, margins, out) {
      for (const row of rows) {
        const prob = 1 / (1 + Math.exp(-(margins[row] as number)));
        const q = observed(prob);
        const d = scale * prob * (1 - prob);
        const w = weights[row] as number;
        out.grad[row] = (w * d * (q - (labels[row] as number))) / (q * (1 - q));
        out.hess[row] = w * Math.max((d * d) / (q * (1 - q)), HESSIAN_FLOOR);
      }
    },
  };
}
