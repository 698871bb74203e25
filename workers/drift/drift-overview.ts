import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftQueue, ScheduledDriftCheck } from '../../queues/drift-queue.js';
import { latestDriftReports, type StoredDriftReport } from '../../shared/clickhouse/queries/latest-drift-reports.js';
import { latestRetrainingDecisions, type StoredRetrainingDecision } from '../../shared/clickhouse/queries/latest-retraining-decisions.js';

/** Retraining decisions an overview carries, newest first. */
export const OVERVIEW_DECISIONS = 10;

/** Where a drift overview is read from. */
export interface DriftOverviewSources {
  clickhouse: ClickHouseClient;
  /** The drift queue's job schedulers (the next scheduled checks). */
  schedules: Pick<DriftQueue, 'scheduled'>;
}

/** Which part of a tenant's drift history to show. */
export interface DriftOverviewQuery {
  tenant: string;
  /** Only the reports and decisions of this model id; absent: every model. */
  modelId?: string;
  /** Reports to show, newest window first (1–1000). */
  limit: number;
}

/** The next planned training, as the latest retraining decision planned it. */
export interface PlannedTraining {
  kind: string;
  /** When the decision was taken. */
  decidedAt: string;
  /** `train`: a training was started then (`jobId`); `wait`: none, for `reason`. */
  action: StoredRetrainingDecision['action'];
  trigger: string;
  reason: string;
  jobId: string;
  /** When the adaptive schedule falls due (never in quiet hours nor within the minimum interval). */
  nextScheduledAt: string;
  volumeClass: string;
}

/** What `hush drift` and `GET /api/v1/ml/drift` show: the same object from the same code. */
export interface DriftOverview {
  tenant: string;
  modelId: string | null;
  reports: StoredDriftReport[];
  decisions: StoredRetrainingDecision[];
  /** From the latest decision; null before the first drift check. */
  nextTraining: PlannedTraining | null;
  scheduled: ScheduledDriftCheck[];
}

/** A tenant's latest drift reports, retraining decisions, next planned training and scheduled checks. */
export async function readDriftOverview(sources: DriftOverviewSources, query: DriftOverviewQuery): Promise<DriftOverview> {
  const { tenant, modelId, limit } = query;
  const [reports, decisions, scheduled] = await Promise.all([
    latestDriftReports(sources.clickhouse, tenant, limit, modelId),
    latestRetrainingDecisions(sources.clickhouse, tenant, OVERVIEW_DECISIONS, modelId),
    sources.schedules.scheduled(tenant),
  ]);
  const [latest] = decisions;
  const nextTraining = latest === undefined ? null : {
    kind: latest.kind,
    decidedAt: latest.at,
    action: latest.action,
    trigger: latest.trigger,
    reason: latest.reason,
    jobId: latest.jobId,
    nextScheduledAt: latest.nextScheduledAt,
    volumeClass: latest.volumeClass,
  };
  return { tenant, modelId: modelId ?? null, reports, decisions, nextTraining, scheduled };
}
