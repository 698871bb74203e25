import type { OutcomeKind, OutcomeSource } from '../schemas/outcome.js';
import type { Severity } from '../schemas/alert.js';
import type { MechanismName } from './mechanism.js';
import type { AlertRule } from './topology.js';

/** One firing of one rule, with its hidden truth; the firing and the resolved line share it. */
export interface SynthAlert {
  id: string;
  rule: AlertRule;
  instance: string;
  source: string;
  severity: Severity;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms of resolution (may lie beyond the end of the stream: then no resolved line is written). */
  endsAt: number;
  value: number;
  mechanism: MechanismName;
  actionable: boolean;
  /** Filled in when the firing line is rendered, reused by the resolved line. */
  summary: string | null;
}

/** A firing or resolved line waiting for its turn. */
export interface AlertEvent {
  t: number;
  seq: number;
  status: 'firing' | 'resolved';
  alert: SynthAlert;
}

/** Feedback on an alert waiting for its turn. */
export interface OutcomeEvent {
  t: number;
  seq: number;
  alert: SynthAlert;
  outcome: OutcomeKind;
  source: OutcomeSource;
  /** The label contradicts the truth (label noise). */
  mislabeled: boolean;
}
