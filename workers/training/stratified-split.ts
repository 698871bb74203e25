import { shuffleInPlace } from './seeded-random.js';

/** Row indices for boosting and for early stopping / calibration, each sorted (for memory locality). */
export interface RowSplit {
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
}

/**
 * Holds out `fraction` of each class at random, so a rare class keeps its share on both sides: a class
 * with two rows or more leaves at least one in each.
 */
export function stratifiedSplit(labels: Uint8Array, fraction: number, random: () => number): RowSplit {
  const byClass = [0, 1].map((label) => {
    const rows: number[] = [];
    labels.forEach((value, row) => {
      if (value === label) rows.push(row);
    });
    return shuffleInPlace(Uint32Array.from(rows), random);
  });
  const train: number[] = [];
  const validation: number[] = [];
  for (const rows of byClass) {
    const held = fraction > 0 && rows.length >= 2 ? Math.min(Math.max(Math.round(rows.length * fraction), 1), rows.length - 1) : 0;
    rows.forEach((row, i) => (i < held ? validation : train).push(row));
  }
  return { train: Uint32Array.from(train).sort(), validation: Uint32Array.from(validation).sort() };
}
