import type { Outcome } from '../../schemas/outcome.js';
import { outcomeRow, type OutcomeRow } from '../../shared/clickhouse/rows.js';
import type { RecordOutcomeResult } from '../scoring/feature-store.js';
import type { RowSink } from '../scoring/scoring-processor.js';

/** What the outcomes processor needs. */
export interface OutcomesDependencies {
  sink: RowSink<OutcomeRow>;
  feedback: { recordOutcome(tenant: string, alertId: string, outcome: Outcome['outcome'], at: number): Promise<RecordOutcomeResult> };
}

/**
 * Stores outcomes (the training labels) and feeds them, at their event time, to the rule feedback sets. Returns the
 * outcomes whose alert the feature store does not know yet (an outcome can overtake its alert in the
 * queues); the caller retries those later. Their labels are stored in ClickHouse either way.
 */
export class OutcomesProcessor {
  constructor(private readonly deps: OutcomesDependencies) {}

  async process(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    const [, results] = await Promise.all([
      Promise.all(outcomes.map((o) => this.deps.sink.write(outcomeRow(o)))),
      Promise.all(outcomes.map((o) => this.deps.feedback.recordOutcome(o.tenant, o.alertId, o.outcome, o.at))),
    ]);
    return outcomes.filter((_, i) => results[i] === 'unknown-alert');
  }
}
