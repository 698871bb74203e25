import { HushError } from '../errors/index.js';

/** Numbers a statistic accepts: a plain array or any typed array. */
export type Sample = ArrayLike<number>;

/** Copies `values` into a sorted Float64Array after checking it is non-empty and all finite. */
export function sortedSample(name: string, values: Sample): Float64Array {
  assertFinite(name, values);
  return Float64Array.from(values).sort();
}

/** Checks that `values` is non-empty and holds only finite numbers. */
export function assertFinite(name: string, values: Sample): void {
  if (values.length === 0) throw new HushError('HUSH_ERR_VALIDATION', `${name} must not be empty`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new HushError('HUSH_ERR_VALIDATION', `${name}[${i}] is ${String(values[i])}, not a finite number`);
    }
  }
}

/** Checks that `counts` is a non-empty vector of finite, non-negative numbers with a positive total. */
export function assertCounts(name: string, counts: Sample): void {
  assertFinite(name, counts);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c < 0) throw new HushError('HUSH_ERR_VALIDATION', `${name}[${i}] is ${c}; counts must not be negative`);
    total += c;
  }
  if (total <= 0) throw new HushError('HUSH_ERR_VALIDATION', `${name} must have a positive total`);
}

/** Checks that two vectors pair up element by element. */
export function assertSameLength(nameA: string, a: Sample, nameB: string, b: Sample): void {
  if (a.length !== b.length) {
    throw new HushError('HUSH_ERR_VALIDATION', `${nameA} has ${a.length} entries but ${nameB} has ${b.length}`);
  }
}
