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

/** A `training` job: train one model family for (tenant, kind) and register it as challenger. */
export interface TrainingJob {
  tenant: string;
  kind: string;
  family: 'gbdt' | 'mlp';
  /** Hyper-parameters (`{"n_estimators": 300, …}`); the family's defaults fill the rest. */
  params: Record<string, number>;
  /** Who asked: `api`, `cli`, `policy:<reason>`. */
  requestedBy: string;
}

/** Progress a training job reports (BullMQ `job.progress`). */
export interface TrainingJobProgress {
  fraction: number;
  stage: string;
}

/** What a finished training job returns. */
export interface TrainingJobResult {
  modelId: string;
  version: number;
  metrics: Record<string, unknown>;
}

/** An `evaluation` job: judge the newest challenger of (tenant, kind), tune thresholds, watch the champion. */
export interface EvaluationJob {
  tenant: string;
  kind: string;
}

/** What an evaluation did, with the evidence behind it. */
export interface EvaluationJobResult {
  action: 'promoted' | 'kept' | 'recertified' | 'rolled-back' | 'nothing-to-evaluate';
  reason: string;
  champion: string | null;
  challenger: string | null;
  evidence: Record<string, unknown>;
}
