import { HushError } from '../../../shared/errors/index.js';

/** Hyper-parameters of the MLP family, as the retrain job names them. */
export interface MlpParams {
  /** Most passes over the training rows (early stopping usually ends sooner). @defaultValue 40 */
  readonly epochs: number;
  /** Rows per Adam step. @defaultValue 256 */
  readonly batch_size: number;
  /** Adam step size. @defaultValue 0.001 */
  readonly learning_rate: number;
  /** Units of the first hidden layer. @defaultValue 64 */
  readonly hidden1: number;
  /** Units of the second hidden layer. @defaultValue 32 */
  readonly hidden2: number;
  /** L2 penalty on the three weight matrices (not the biases). @defaultValue 0.0001 */
  readonly l2: number;
  /** Seeds the initialisers, the validation split and the per-epoch shuffles. @defaultValue 42 */
  readonly seed: number;
  /** Share of rows held out for early stopping; 0 trains on every row for all `epochs`. @defaultValue 0.1 */
  readonly validation_fraction: number;
  /** Epochs without a better validation loss before training stops (best weights kept); 0 never stops early. @defaultValue 5 */
  readonly patience: number;
  /**
   * Loss weight of an actionable row relative to a noise row; 0 balances the classes (weight of noise rows ÷
   * weight of actionable rows). @defaultValue 0
   */
  readonly pos_weight: number;
}

export const MLP_DEFAULT_PARAMS: Readonly<MlpParams> = Object.freeze({
  epochs: 40,
  batch_size: 256,
  learning_rate: 0.001,
  hidden1: 64,
  hidden2: 32,
  l2: 0.0001,
  seed: 42,
  validation_fraction: 0.1,
  patience: 5,
  pos_weight: 0,
});

interface Bound {
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** `min` itself is not allowed. */
  readonly minExclusive?: boolean;
}

const BOUNDS: Readonly<Record<keyof MlpParams, Bound>> = {
  epochs: { integer: true, min: 1, max: 10_000 },
  batch_size: { integer: true, min: 1, max: 1_048_576 },
  learning_rate: { integer: false, min: 0, max: 1, minExclusive: true },
  hidden1: { integer: true, min: 1, max: 4096 },
  hidden2: { integer: true, min: 1, max: 4096 },
  l2: { integer: false, min: 0, max: 1 },
  seed: { integer: true, min: 0, max: 0xffff_ffff },
  validation_fraction: { integer: false, min: 0, max: 0.5 },
  patience: { integer: true, min: 0, max: 10_000 },
  pos_weight: { integer: false, min: 0, max: 1e6 },
};

function isKnown(key: string): key is keyof MlpParams {
  return Object.hasOwn(BOUNDS, key);
}

/** Defaults merged with the job's `params`; an unknown key or a value out of range throws `HUSH_ERR_VALIDATION` naming it. */
export function resolveMlpParams(params: Readonly<Record<string, number>>): MlpParams {
  const resolved: { -readonly [K in keyof MlpParams]: number } = { ...MLP_DEFAULT_PARAMS };
  for (const [key, value] of Object.entries(params)) {
    if (!isKnown(key)) {
      throw new HushError('HUSH_ERR_VALIDATION', `params.${key}: unknown mlp parameter; known: ${Object.keys(BOUNDS).join(', ')}`);
    }
    const bound = BOUNDS[key];
    const kind = bound.integer ? 'an integer' : 'a number';
    const low = bound.minExclusive === true ? `> ${bound.min}` : `≥ ${bound.min}`;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!bound.integer || Number.isInteger(value)) &&
      (bound.minExclusive === true ? value > bound.min : value >= bound.min) &&
      value <= bound.max;
    if (!ok) {
      throw new HushError('HUSH_ERR_VALIDATION', `params.${key}: must be ${kind} ${low} and ≤ ${bound.max}, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  return resolved;
}
