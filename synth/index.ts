/** The synthetic alert world behind `hush synth` (DESIGN §5). */
export { generateWorld, type WorldRecord } from './generate-world.js';
export { writeWorld, type WriteWorldOptions } from './write-world.js';
export { planWorld } from './world-planner.js';
export type { WorldPlan } from './world-plan.js';
export { DEFAULT_WORLD_OPTIONS, resolveWorldOptions, type ResolvedWorldOptions, type WorldOptions } from './world-options.js';
export { GENERATOR_VERSION, WORLD_FILES, type WorldManifest } from './world-manifest.js';
export { MECHANISMS, MECHANISM_NAMES, type MechanismName } from './mechanism.js';
export type { TruthWire } from './truth.js';
export type { Topology, Service, AlertRule } from './topology.js';
export { DRIFT_MECHANISMS, driftServices, type DriftEpisode, type DriftMechanism } from './drift-episode.js';
