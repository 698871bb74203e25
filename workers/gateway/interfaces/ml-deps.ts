import type { TrainingQueue } from '../../../queues/training-queue.js';
import type { ModelRegistry } from '../../../shared/models/model-registry.js';
import type { ThresholdRegistry } from '../../../shared/models/threshold-registry.js';
import type { DriftOverviewSources } from '../../drift/drift-overview.js';

/** What the ML routes (`/api/v1/models…`, `/api/v1/ml/…`) use; all of it needs ClickHouse. */
export interface MlDeps {
  registry: ModelRegistry;
  training: TrainingQueue;
  thresholds: ThresholdRegistry;
  /** Drift reports and retraining decisions (ClickHouse) and the drift schedulers (Redis). */
  drift: DriftOverviewSources;
}

/**
 * The ML dependencies, or a function that opens them on first use (so the gateway starts, and ingests,
 * while ClickHouse is down). A rejected open answers 503 and is tried again by the next request.
 */
export type MlDepsSource = MlDeps | (() => Promise<MlDeps>);
