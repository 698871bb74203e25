import type { LabelledAlertTimes } from '../../shared/clickhouse/queries/labelled-alert-times.js';
import { HOLDOUT_FRACTION } from '../training/training-processor.js';

/** Training windows are stored to the second; the evaluation reads alerts from the next second (evaluation-processor.ts). */
const SECOND_MS = 1000;

/**
 * How many of `n` labelled alerts (in event-time order) the training worker trains on: the older
 * `1 − HOLDOUT_FRACTION` (`assembleDataset`); null when it could not split them.
 */
function trainingCut(n: number): number | null {
  const cut = Math.round(n * (1 - HOLDOUT_FRACTION));
  return cut <= 0 || cut >= n ? null : cut;
}

/**
 * Where the evaluation's alerts start: the second after the last trained alert's. Alerts sharing that
 * alert's time go to training too (`assembleDataset` keeps one event time on one side), and those later
 * in its second fall inside the training window, stored to the second.
 */
function evaluationStart(lastTrainedMs: number): number {
  return Math.floor(lastTrainedMs / SECOND_MS) * SECOND_MS + SECOND_MS;
}

/**
 * Labelled actionable alerts the evaluation would judge a challenger trained now on: those after the
 * training window, whose older part of the labelled alerts training takes. `labelled` is in event-time
 * order, as training reads it (label 1 = actionable); 0 when no training could split it.
 */
export function evaluationActionable(labelled: { eventTimes: ArrayLike<number>; labels: ArrayLike<number> }): number {
  const { eventTimes, labels } = labelled;
  const first = evaluationFirstRow(eventTimes);
  if (first === null) return 0;
  let actionable = 0;
  for (let row = first; row < eventTimes.length; row++) if (labels[row] === 1) actionable += 1;
  return actionable;
}

/**
 * The first of the labelled alerts (event times in order, as training reads them) that the evaluation of
 * a challenger trained on them judges: every row from it on; null when no training could split them.
 */
export function evaluationFirstRow(eventTimes: ArrayLike<number>): number | null {
  const cut = trainingCut(eventTimes.length);
  if (cut === null) return null;
  const from = evaluationStart(eventTimes[cut - 1] as number);
  let row = cut;
  while (row < eventTimes.length && (eventTimes[row] as number) < from) row += 1;
  return row;
}

/** {@link evaluationActionable} of stored alerts, from three aggregates instead of every row. */
export async function storedEvaluationActionable(source: LabelledAlertTimes): Promise<number> {
  const cut = trainingCut(await source.count());
  if (cut === null) return 0;
  return source.actionableFrom(evaluationStart(await source.eventTimeAt(cut - 1)));
}
