import type { ModelRegistry } from '../../shared/models/model-registry.js';
import type { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import type { EvaluationDependencies } from './evaluation-processor.js';

/**
 * The evaluation role's threshold writes, through the registry the API writes through too. Every write is
 * guarded by the champion pointer, and a promotion or rollback moves the pointer in the same script, so a
 * promotion or rollback by hand that lands while an evaluation runs is neither followed by thresholds tuned
 * for the champion it replaced nor overwritten.
 */
export function evaluationThresholds(models: ModelRegistry, thresholds: ThresholdRegistry): EvaluationDependencies['thresholds'] {
  return {
    pinned: (tenant) => thresholds.pinnedThresholds(tenant),
    apply: async (tenant, byService, reason, evidence, champion, promote) => {
      const pointer = { key: models.championKey(tenant, champion.kind), value: champion.modelId };
      await thresholds.replaceOptimised(tenant, byService, reason, evidence, promote === undefined ? pointer : { ...pointer, next: promote });
    },
    serve: async (tenant, move, history, reason) => {
      await thresholds.serveModel(tenant, move.next, history, reason, move);
    },
  };
}
