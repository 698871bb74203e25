import { HOLDOUT_FRACTION } from '../training/training-processor.js';

/** Training windows are stored to the second; the evaluation reads alerts from the next second (evaluation-processor.ts). */
const SECOND_MS = 1000;

/**
 * Labelled actionable alerts the evaluation would judge a challenger trained now on. The training worker
 * trains on the older `1 − HOLDOUT_FRACTION` of the labelled alerts, split by event time with alerts of
 * one event time on one side (`assembleDataset`), and the evaluation judges on the labelled alerts after
 * the training window. `labelled` is in event-time order, as training reads it; 0 when no training could
 * split it.
 */
export function evaluationActionable(labelled: { eventTimes: ArrayLike<number>; labels: ArrayLike<number> }): number {
  const { eventTimes, labels } = labelled;
  const n = eventTimes.length;
  let cut = Math.round(n * (1 - HOLDOUT_FRACTION));
  while (cut < n && eventTimes[cut] === eventTimes[cut - 1]) cut += 1;
  if (cut <= 0 || cut >= n) return 0;
  const from = Math.floor((eventTimes[cut - 1] as number) / SECOND_MS) * SECOND_MS + SECOND_MS;
  let actionable = 0;
  for (let row = cut; row < n; row++) if ((eventTimes[row] as number) >= from && labels[row] === 1) actionable += 1;
  return actionable;
}
