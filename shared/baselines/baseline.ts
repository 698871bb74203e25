import type { Alert } from '../../schemas/alert.js';

/** What a baseline did with one firing alert. `reason` names the rule that decided (see docs/baselines.md). */
export type BaselineDecision =
  | { decision: 'notify'; /** Event time from firing to the notification that showed it. */ delayMs: number; reason: string }
  | { decision: 'suppress'; reason: string };

/**
 * A heuristic Hush must beat (issue 3, item 6). `decide` is a pure function of an alert stream in
 * event-time order (firing and resolved events) and returns one decision per firing alert id.
 */
export interface Baseline {
  readonly name: string;
  /** The effective options, defaults included (printed beside the figures so that a run can be repeated). */
  readonly options: Readonly<object>;
  decide(stream: Iterable<Alert>): Map<string, BaselineDecision>;
}
