import type { ModelFamily, Trainer } from './trainer.js';

/**
 * A fresh trainer of `family` (DESIGN §6: evaluation chooses between the families by measured results). Loaded on first use: the MLP pulls in tfjs and its wasm backend, which
 * every other `hush` command and role should not pay for at start.
 */
export async function trainerFor(family: ModelFamily): Promise<Trainer> {
  if (family === 'gbdt') return new (await import('./gbdt/gbdt-trainer.js')).GbdtTrainer();
  return new (await import('./mlp/index.js')).MlpTrainer();
}
