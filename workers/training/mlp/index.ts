export { MlpTrainer, type MlpTrainerOptions } from './mlp-trainer.js';
export { MlpModel, type MlpTrainingSummary } from './mlp-model.js';
export { MLP_DEFAULT_PARAMS, resolveMlpParams, type MlpParams } from './mlp-params.js';
export { selectTfBackend, type TfBackendPreference } from './tf-backend.js';
export type { DenseWeights, MlpWeights, Standardisation } from './mlp-network.js';
