import type { NabProfile } from './nab-profiles.js';
import type { NabWindow } from './nab-windows.js';
import { nabProbationRows } from './probation.js';
import { scaledSigmoid } from './scaled-sigmoid.js';

/** `RowWeights.window` of a row outside every window. */
export const OUTSIDE_WINDOWS = -1;
/** `RowWeights.window` of a probation row, which is never scored. */
export const IN_PROBATION = -2;

/** What a detection on each row of one file is worth under one profile. */
export interface RowWeights {
  /** Per row: the score a detection there earns (positive inside a window, negative outside). */
  weight: Float64Array;
  /** Per row: index of its window, `OUTSIDE_WINDOWS`, or `IN_PROBATION`. */
  window: Int32Array;
  /** How many windows the file has. */
  windowCount: number;
  /** Windows with at least one scored row; a window lost wholly to probation counts neither way. */
  scoredWindows: number[];
}

const MAX_TP = scaledSigmoid(-1);

/**
 * NAB's "sweep scores". Inside a window of `w` rows ending at row `r`, row `i` earns
 * `σ(−(r−i+1)/w)·tp/σ(−1)`: the left edge earns a full `tp`, the right edge little. After a window it
 * costs `σ((i−r)/(w−1))·fp`, gentlest right behind the window; before the first window a full `−fp`.
 * `windows` must be sorted and disjoint, as `resolveNabWindows` returns them.
 */
export function nabRowWeights(rows: number, windows: readonly NabWindow[], profile: NabProfile): RowWeights {
  const weight = new Float64Array(rows);
  const window = new Int32Array(rows).fill(OUTSIDE_WINDOWS);
  const probation = nabProbationRows(rows);
  let next = 0;
  let previous: NabWindow | undefined;
  for (let i = 0; i < rows; i++) {
    const current = windows[next];
    if (current && i >= current.start) {
      const width = current.end - current.start + 1;
      weight[i] = (scaledSigmoid(-(current.end - i + 1) / width) * profile.tpWeight) / MAX_TP;
      window[i] = next;
      if (i === current.end) {
        previous = current;
        next++;
      }
    } else {
      // After a one-row window the position is +∞ (NAB itself divides by zero there): a full −fp.
      const position = previous ? (i - previous.end) / (previous.end - previous.start) : 3;
      weight[i] = scaledSigmoid(position) * profile.fpWeight;
    }
    if (i < probation) window[i] = IN_PROBATION;
  }
  const scoredWindows = windows.map((_, w) => w).filter((w) => (windows[w] as NabWindow).end >= probation);
  return { weight, window, windowCount: windows.length, scoredWindows };
}
