import type { AlertWire } from '../schemas/alert.js';
import type { OutcomeWire } from '../schemas/outcome.js';
import { Prng } from './prng.js';
import { isAlertEvent, simulate } from './simulation.js';
import type { TruthWire } from './truth.js';
import { toAlertWire, toOutcomeWire, toTruthWire } from './wire-format.js';
import type { WorldOptions } from './world-options.js';
import type { WorldPlan } from './world-plan.js';
import { planWorld } from './world-planner.js';

/** One line of one of the three files; a firing alert's truth follows it directly. */
export type WorldRecord =
  | { kind: 'alert'; alert: AlertWire }
  | { kind: 'truth'; truth: TruthWire }
  | { kind: 'outcome'; outcome: OutcomeWire; /** the label contradicts the truth */ mislabeled: boolean };

/**
 * The synthetic world as a lazy stream of records: alerts (sorted by `startsAt`) each firing one
 * followed by its truth, and outcomes (sorted by `at`) interleaved hour by hour. Iterate it once; it
 * holds only in-flight episodes in memory, so a million-alert world streams in constant space.
 */
export function* generateWorld(options: WorldOptions | WorldPlan = {}): Generator<WorldRecord> {
  const plan = 'topology' in options ? options : planWorld(options);
  const tenant = plan.options.tenant;
  const summaries = new Prng(plan.options.seed, 'summaries');
  for (const event of simulate(plan)) {
    if (isAlertEvent(event)) {
      yield { kind: 'alert', alert: toAlertWire(event, tenant, summaries) };
      if (event.status === 'firing') yield { kind: 'truth', truth: toTruthWire(event.alert, tenant) };
      else event.alert.summary = null;
    } else {
      yield { kind: 'outcome', outcome: toOutcomeWire(event, tenant), mislabeled: event.mislabeled };
    }
  }
}
