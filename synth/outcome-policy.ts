import type { OutcomeKind, OutcomeSource } from '../schemas/outcome.js';
import type { Prng } from './prng.js';
import type { SynthAlert } from './synth-alert.js';

const MINUTE = 60_000;

export interface OutcomePolicyOptions {
  labelNoiseRate: number;
  missingOutcomeRate: number;
}

/** The feedback a firing alert receives: label, where it came from, and how late. */
export interface OutcomeDraft {
  at: number;
  outcome: OutcomeKind;
  source: OutcomeSource;
  mislabeled: boolean;
}

/**
 * Decides the feedback for one alert: some never get any; people acknowledge real problems within
 * minutes and close noise hours later (or a rule auto-closes it); a few labels are simply wrong.
 */
export function draftOutcome(prng: Prng, alert: SynthAlert, options: OutcomePolicyOptions): OutcomeDraft | null {
  if (prng.chance(options.missingOutcomeRate)) return null;
  const mislabeled = prng.chance(options.labelNoiseRate);
  const actionable = alert.actionable !== mislabeled;
  let source: OutcomeSource;
  let delay: number;
  if (mislabeled) {
    source = 'human';
    delay = prng.logNormal(40 * MINUTE, 0.9);
  } else if (actionable) {
    source = alert.mechanism === 'incident' && prng.chance(0.75) ? 'incident' : 'human';
    delay = prng.logNormal(12 * MINUTE, 0.8);
  } else {
    source = prng.chance(0.6) ? 'auto' : 'human';
    delay = source === 'auto' ? prng.uniform(60, 480) * MINUTE : prng.logNormal(45 * MINUTE, 0.9);
  }
  delay = Math.min(Math.max(delay, 2 * MINUTE), 12 * 60 * MINUTE);
  return { at: alert.startsAt + Math.round(delay), outcome: actionable ? 'actionable' : 'noise', source, mislabeled };
}
