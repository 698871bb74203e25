import { HushError } from '../errors/index.js';

/** Fails fast, naming the baseline and the option, as every Hush component does with a bad option. */
export function invalidOption(baseline: string, option: string, problem: string): never {
  throw new HushError('HUSH_ERR_VALIDATION', `${baseline} option "${option}" ${problem}`);
}

/** A duration in milliseconds: a whole number from `min` up (`Number.MAX_SAFE_INTEGER` at most). */
export function checkDurationMs(baseline: string, option: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    invalidOption(baseline, option, `must be a whole number of milliseconds ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}
