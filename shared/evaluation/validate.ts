import { HushError } from '../errors/index.js';

/** Numbers the evaluation functions accept: a plain array or any typed array. */
export type Numbers = ArrayLike<number>;

function invalid(message: string): HushError {
  return new HushError('HUSH_ERR_VALIDATION', message);
}

/** Checks that `value` is a probability strictly between 0 and 1 (a target rate or a confidence level). */
export function assertOpenUnit(name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw invalid(`${name} is ${String(value)}; it must lie strictly between 0 and 1`);
}

/** Checks that `value` is a whole number ≥ 0 (a count). */
export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw invalid(`${name} is ${String(value)}; it must be a whole number ≥ 0`);
}

/** Checks that `value` is a finite number. */
export function assertFiniteNumber(name: string, value: number): void {
  if (!Number.isFinite(value)) throw invalid(`${name} is ${String(value)}, not a finite number`);
}

/** Checks that every entry of `values` is finite (NaN scores would silently compare false). */
export function assertFiniteAll(name: string, values: Numbers): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw invalid(`${name}[${i}] is ${String(values[i])}, not a finite number`);
  }
}

/** Checks that every entry of `labels` is 1 (actionable) or 0 (noise). */
export function assertLabels(name: string, labels: Numbers): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw invalid(`${name}[${i}] is ${String(label)}; labels are 1 (actionable) or 0 (noise)`);
  }
}

/** Checks that two vectors pair up entry by entry. */
export function assertSameLength(nameA: string, a: Numbers, nameB: string, b: Numbers): void {
  if (a.length !== b.length) throw invalid(`${nameA} has ${a.length} entries but ${nameB} has ${b.length}`);
}

/** Checks `successes` of `trials` are counts with successes ≤ trials. */
export function assertBinomialCounts(successes: number, trials: number): void {
  assertCount('trials', trials);
  assertCount('successes', successes);
  if (successes > trials) throw invalid(`successes (${successes}) exceed trials (${trials})`);
}
