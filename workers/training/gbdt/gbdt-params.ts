import { HushError } from '../../../shared/errors/index.js';

/** Hyper-parameters of the gradient-boosted trees family, named as the retrain job (and LightGBM) names them. */
export interface GbdtParams {
  /** Boosting rounds (trees), before early stopping. @defaultValue 300 */
  readonly n_estimators: number;
  /** Shrinkage applied to every leaf value. @defaultValue 0.05 */
  readonly learning_rate: number;
  /** Leaves per tree; trees grow best-first (leaf-wise) up to this. @defaultValue 31 */
  readonly num_leaves: number;
  /** Deepest a leaf may be (the root is depth 0). @defaultValue 8 */
  readonly max_depth: number;
  /** Fewest training rows in a leaf. @defaultValue 20 */
  readonly min_child_samples: number;
  /** Smallest summed hessian (weighted p·(1−p); with `label_noise`, its Fisher information) in a leaf. @defaultValue 0.001 */
  readonly min_sum_hessian: number;
  /** Smallest loss reduction worth a split. @defaultValue 0 */
  readonly min_split_gain: number;
  /** L2 penalty on leaf values. @defaultValue 1 */
  readonly reg_lambda: number;
  /** Share of rows each tree samples (without replacement). @defaultValue 1 */
  readonly subsample: number;
  /** Share of features each tree may split on. @defaultValue 1 */
  readonly colsample_bytree: number;
  /** Most quantile bins per feature (one more bin holds NaN). @defaultValue 255 */
  readonly max_bin: number;
  /** Weight of an actionable row relative to a noise row, on top of the set's sample weights. @defaultValue 1 */
  readonly scale_pos_weight: number;
  /** Share of rows held out (stratified) for early stopping and calibration; 0 trains on every row. @defaultValue 0.1 */
  readonly validation_fraction: number;
  /** Trees without a better validation loss before boosting stops (best prefix kept); 0 never stops early. @defaultValue 30 */
  readonly early_stopping_rounds: number;
  /** 1 fits Platt scaling on the held-out rows and folds it into the trees; 0 keeps raw boosted scores. @defaultValue 1 */
  readonly calibrate: number;
  /** Seeds the validation split and the row and feature sampling. @defaultValue 42 */
  readonly seed: number;
  /**
   * Share of labels taken as flipped (either way) that the loss corrects for: the point estimate, since
   * overestimating it ranks worse than 0. A retraining that leaves it unset uses the tenant's latest
   * evaluated estimate (training-label-noise.ts). @defaultValue 0
   */
  readonly label_noise: number;
}

interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** The value `min` itself is refused. */
  readonly above?: boolean;
}

const SPECS: Readonly<Record<keyof GbdtParams, ParamSpec>> = {
  n_estimators: { default: 500, min: 1, max: 10_000, integer: true },
  learning_rate: { default: 0.03, min: 0, max: 1, integer: false, above: true },
  num_leaves: { default: 8, min: 2, max: 4096, integer: true },
  max_depth: { default: 8, min: 1, max: 64, integer: true },
  min_child_samples: { default: 100, min: 1, max: 1e9, integer: true },
  min_sum_hessian: { default: 1e-3, min: 0, max: 1e9, integer: false },
  min_split_gain: { default: 0, min: 0, max: 1e9, integer: false },
  reg_lambda: { default: 1, min: 0, max: 1e9, integer: false },
  subsample: { default: 1, min: 0, max: 1, integer: false, above: true },
  colsample_bytree: { default: 1, min: 0, max: 1, integer: false, above: true },
  max_bin: { default: 255, min: 2, max: 255, integer: true },
  scale_pos_weight: { default: 1, min: 0, max: 1e6, integer: false, above: true },
  validation_fraction: { default: 0.1, min: 0, max: 0.5, integer: false },
  early_stopping_rounds: { default: 30, min: 0, max: 10_000, integer: true },
  calibrate: { default: 1, min: 0, max: 1, integer: true },
  seed: { default: 42, min: 0, max: 0xffff_ffff, integer: true },
  label_noise: { default: 0, min: 0, max: 0.2, integer: false },
};

/** The largest `label_noise` accepted: a recorded estimate above it is cut to it. */
export const MAX_LABEL_NOISE = SPECS.label_noise.max;

/** Every default, as the retrain job would spell it. */
export const GBDT_DEFAULT_PARAMS: Readonly<GbdtParams> = Object.freeze(
  Object.fromEntries(Object.entries(SPECS).map(([key, spec]) => [key, spec.default])) as unknown as GbdtParams,
);

/**
 * Defaults merged with the job's `params`. An unknown key, a value out of its range, or calibration
 * without a held-out split throws `HUSH_ERR_VALIDATION` naming the key.
 */
export function resolveGbdtParams(params: Readonly<Record<string, number>>): GbdtParams {
  const resolved: Record<string, number> = { ...GBDT_DEFAULT_PARAMS };
  for (const [key, value] of Object.entries(params)) {
    const spec = Object.hasOwn(SPECS, key) ? SPECS[key as keyof GbdtParams] : undefined;
    if (spec === undefined) {
      throw new HushError('HUSH_ERR_VALIDATION', `params.${key}: not a gbdt parameter (known: ${Object.keys(SPECS).join(', ')})`);
    }
    if (!inRange(spec, value)) {
      const lower = spec.above === true ? `(${spec.min}` : `[${spec.min}`;
      throw new HushError(
        'HUSH_ERR_VALIDATION',
        `params.${key}: must be ${spec.integer ? 'an integer' : 'a finite number'} in ${lower}, ${spec.max}], got ${String(value)}`,
      );
    }
    resolved[key] = value;
  }
  const result = resolved as unknown as GbdtParams;
  if (result.calibrate === 1 && result.validation_fraction === 0) {
    throw new HushError('HUSH_ERR_VALIDATION', 'params.calibrate: calibration needs held-out rows; set validation_fraction > 0 or calibrate = 0');
  }
  return result;
}

function inRange(spec: ParamSpec, value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (spec.integer && !Number.isInteger(value)) return false;
  return (spec.above === true ? value > spec.min : value >= spec.min) && value <= spec.max;
}
