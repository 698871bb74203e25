import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import {
  benjaminiHochberg,
  bonferroni,
  chiSquareHomogeneity,
  jensenShannonDistance,
  ksTwoSample,
  normalizedWassersteinDistance,
  populationStabilityIndex,
  wassersteinDistance,
} from '../../shared/stats/index.js';

function expectValidationError(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(HushError);
  expect((thrown as HushError).code).toBe('HUSH_ERR_VALIDATION');
  expect((thrown as HushError).message).toMatch(message);
}

describe('input validation', () => {
  it('rejects empty samples', () => {
    expectValidationError(() => ksTwoSample([], [1]), /reference must not be empty/);
    expectValidationError(() => wassersteinDistance([1], []), /current must not be empty/);
    expectValidationError(() => populationStabilityIndex([], [1]), /reference must not be empty/);
    expectValidationError(() => bonferroni([]), /pValues must not be empty/);
  });

  it('rejects NaN and infinite values, naming the position', () => {
    expectValidationError(() => ksTwoSample([1, Number.NaN], [1]), /reference\[1\] is NaN/);
    expectValidationError(() => normalizedWassersteinDistance([1], [Infinity]), /current\[0\] is Infinity/);
    expectValidationError(() => jensenShannonDistance([1, Number.NaN], [1, 1]), /p\[1\] is NaN/);
    expectValidationError(() => benjaminiHochberg([0.1, Number.NaN]), /pValues\[1\] is NaN/);
  });

  it('rejects frequency vectors of different lengths', () => {
    expectValidationError(() => chiSquareHomogeneity([1, 2, 3], [1, 2]), /reference has 3 entries but current has 2/);
    expectValidationError(() => jensenShannonDistance([1], [1, 2]), /p has 1 entries but q has 2/);
  });

  it('rejects negative or all-zero counts and p-values outside [0, 1]', () => {
    expectValidationError(() => chiSquareHomogeneity([1, -1], [1, 1]), /reference\[1\] is -1/);
    expectValidationError(() => jensenShannonDistance([0, 0], [1, 1]), /p must have a positive total/);
    expectValidationError(() => bonferroni([0.5, 1.5]), /pValues\[1\] is 1.5/);
  });

  it('rejects invalid options, naming the option', () => {
    expectValidationError(() => populationStabilityIndex([1, 2], [1], { bins: 1 }), /bins/);
    expectValidationError(() => populationStabilityIndex([1, 2], [1], { epsilon: 0 }), /epsilon/);
    expectValidationError(() => chiSquareHomogeneity([1, 2], [1, 2], { minExpected: -1 }), /minExpected/);
    expectValidationError(() => jensenShannonDistance([1], [1], { base: 1 }), /base/);
    expectValidationError(() => normalizedWassersteinDistance([1], [1], { minStd: 0 }), /minStd/);
  });
});
