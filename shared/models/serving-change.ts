import { HushError } from '../errors/index.js';
import type { BeforeFlip, ChampionChange } from './model-registry.js';
import type { ServedThresholds, ThresholdRegistry } from './threshold-registry.js';

/** A promotion or rollback (API, CLI), with the thresholds the new champion serves with. */
export interface ServingChange extends ChampionChange {
  thresholds: ServedThresholds;
}

/**
 * Runs `flip` (a registry promote or rollback, handed the step to run before its pointer flips) so that
 * the thresholds of the model it installs are served from then on (`ThresholdRegistry.serveModel`).
 */
export async function changeServing(thresholds: ThresholdRegistry, tenant: string, reason: string, flip: (beforeFlip: BeforeFlip) => Promise<ChampionChange>): Promise<ServingChange> {
  const served: { value?: ServedThresholds } = {};
  const change = await flip(async (target, history) => {
    served.value = await thresholds.serveModel(tenant, target, history, reason);
  });
  if (served.value === undefined) throw new HushError('HUSH_ERR_INTERNAL', 'the champion changed without its thresholds being applied');
  return { ...change, thresholds: served.value };
}
