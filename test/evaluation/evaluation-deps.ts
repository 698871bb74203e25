import { ClickHouseArtifactSource } from '../../shared/models/clickhouse-artifact-source.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';
import type { EvaluationDependencies } from '../../workers/evaluation/evaluation-processor.js';
import { evaluationThresholds } from '../../workers/evaluation/evaluation-thresholds.js';
import type { MlWorld } from '../gateway/ml-world.js';

/** The evaluation role's dependencies over `world`, wired as workers/evaluation/main.ts does; `overrides` replace single ones. */
export function evaluationDeps(world: MlWorld, overrides: Partial<EvaluationDependencies> = {}): EvaluationDependencies {
  const { clickhouse, ml } = world;
  return {
    clickhouse,
    registry: ml.registry,
    artifacts: new ClickHouseArtifactSource(clickhouse),
    thresholds: evaluationThresholds(ml.registry, ml.thresholds),
    policy: DEFAULT_EVALUATION_POLICY,
    now: Date.now,
    ...overrides,
  };
}
