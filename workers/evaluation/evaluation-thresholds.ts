import type { ModelRegistry } from '../../shared/models/model-registry.js';
import type { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import type { EvaluationDependencies } from './evaluation-processor.js';

/**
 * The evaluation role's threshold writes, through the registry the API writes through too. Applied
 * sets are guarded by the champion pointer, so a promotion or rollback by hand that lands while an
 * evaluation runs is never followed by thresholds tuned for the champion it replaced.
 */
export function evaluationThresholds(models: ModelRegistry, thresholds: ThresholdRegistry): EvaluationDependencies['thresholds'] {
  return {
    pinned: (tenant) => thresholds.pinnedThresholds(tenant),
    apply: async (tenant, byService, reason, evidence, champion) => {
      await thresholds.replaceOptimised(tenant, byService, reason, evidence, { key: models.championKey(tenant, champion.kind), value: champion.modelId });
    },
    serve: async (tenant, modelId, history, reason) => {
      await thresholds.serveModel(tenant, modelId, history, reason);
    },
  };
}
