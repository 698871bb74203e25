import type { AlertWire } from '../../schemas/alert.js';
import type { OutcomeWire } from '../../schemas/outcome.js';
import { generateWorld } from '../../synth/generate-world.js';
import type { TruthWire } from '../../synth/truth.js';
import type { WorldOptions } from '../../synth/world-options.js';

export interface CollectedWorld {
  alerts: AlertWire[];
  truth: TruthWire[];
  outcomes: { outcome: OutcomeWire; mislabeled: boolean }[];
}

/** Runs a (small) world into arrays. */
export function collectWorld(options: WorldOptions): CollectedWorld {
  const world: CollectedWorld = { alerts: [], truth: [], outcomes: [] };
  for (const record of generateWorld(options)) {
    if (record.kind === 'alert') world.alerts.push(record.alert);
    else if (record.kind === 'truth') world.truth.push(record.truth);
    else world.outcomes.push({ outcome: record.outcome, mislabeled: record.mislabeled });
  }
  return world;
}
