export { GbdtTrainer } from './gbdt-trainer.js';
export { GbdtModel, type GbdtEnsemble } from './gbdt-model.js';
export { GBDT_DEFAULT_PARAMS, resolveGbdtParams, type GbdtParams } from './gbdt-params.js';
export type { PlattScaling } from './platt-scaling.js';
