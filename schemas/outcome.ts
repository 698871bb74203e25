export const OUTCOME_KINDS = ['actionable', 'noise'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const OUTCOME_SOURCES = ['human', 'incident', 'auto'] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

/** Feedback on an alert (DESIGN §3), normalised: `at` in epoch ms. */
export interface Outcome {
  tenant: string;
  alertId: string;
  outcome: OutcomeKind;
  at: number;
  source: OutcomeSource;
}

/** An outcome on the wire and in NDJSON files. */
export interface OutcomeWire {
  tenant?: string;
  alertId: string;
  outcome: OutcomeKind;
  at: string;
  source: OutcomeSource;
}
