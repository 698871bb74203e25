/**
 * The pipeline benchmark's `--features constant` worker: the scoring role exactly as `hush worker scoring`
 * runs it, except that every firing alert gets the same feature vector and no feature state is read or
 * written. What it measures is the rest of the scoring path (queue, models, thresholds, row journal,
 * notifications): the ceiling that no feature store, in Redis or in the worker, can raise. Its figures are
 * not Hush's. Runs until SIGTERM/SIGINT.
 */
import type { Alert } from '../../schemas/alert.js';
import { hostRoles } from '../../shared/process/role-host.js';
import { FEATURE_COUNT } from '../../workers/scoring/feature-schema.js';
import { scoringRole, type FeatureSource } from '../../workers/scoring/main.js';

const VECTOR = new Float32Array(FEATURE_COUNT);
const NO_DECISION = new Float32Array(0);

const constantFeatures: FeatureSource = {
  observe: async (alerts: readonly Alert[]) => alerts.map((alert) => (alert.status === 'firing' ? VECTOR : NO_DECISION)),
};

await hostRoles({ roles: [['scoring', (context) => scoringRole(context, constantFeatures)]] });
