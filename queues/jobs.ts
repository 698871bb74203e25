import type { Alert } from '../schemas/alert.js';
import type { Outcome } from '../schemas/outcome.js';

/** An `alerts` job: one alert (single ingest) or a chunk of alerts (bulk ingest), all validated. */
export interface AlertsJob {
  alerts: Alert[];
  /** Epoch ms at which the job was enqueued, for end-to-end latency. */
  enqueuedAt: number;
}

/** An `outcomes` job: validated outcomes of one tenant. */
export interface OutcomesJob {
  outcomes: Outcome[];
}

/** A `notifications` job: an alert the scoring worker decided to notify. */
export interface NotificationJob {
  tenant: string;
  alertId: string;
  name: string;
  service: string;
  severity: Alert['severity'];
  summary: string;
  startsAt: number;
  /** Probability actionable, or null at cold start (no model yet). */
  score: number | null;
  threshold: number;
  modelId: string | null;
}
