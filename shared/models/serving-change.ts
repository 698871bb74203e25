import { HushError } from '../errors/index.js';
import type { ChampionChange, Flip } from './model-registry.js';
import type { ServedThresholds, ThresholdRegistry } from './threshold-registry.js';

/** A promotion or rollback (API, CLI), with the thresholds the new champion serves with. */
export interface ServingChange extends ChampionChange {
  thresholds: ServedThresholds;
}

/**
 * Runs `change` (a registry promote or rollback, handed the {@link Flip} that moves its pointer) so that
 * the model it installs serves with its thresholds (`ThresholdRegistry.serveModel`), which move with the
 * pointer in one Redis script: a promotion or rollback landing meanwhile makes it change nothing and throw
 * `HUSH_ERR_CONFLICT`.
 */
export async function changeServing(thresholds: ThresholdRegistry, tenant: string, reason: string, change: (flip: Flip) => Promise<ChampionChange>): Promise<ServingChange> {
  const served: { value?: ServedThresholds } = {};
  const changed = await change(async (move, history) => {
    served.value = await thresholds.serveModel(tenant, move.next, history, reason, move);
  });
  if (served.value === undefined) throw new HushError('HUSH_ERR_INTERNAL', 'the champion changed without its thresholds being applied');
  return { ...changed, thresholds: served.value };
}
