import { HushError } from '../../../shared/errors/index.js';
import type { StreamingDetectorFactory, StreamingDetectorRestore } from './detector.js';
import { GaussianTailDetector } from './gaussian-tail-detector.js';
import { HushEnsembleDetector } from './hush-ensemble-detector.js';

/** A registered detector: what it is, how to start one, and how to continue one from its snapshot. */
export interface RegisteredDetector {
  summary: string;
  create: StreamingDetectorFactory;
  restore: StreamingDetectorRestore;
}

/** Every detector `hush nab run --detector NAME` can run, by name. */
export const DETECTORS: Readonly<Record<string, RegisteredDetector>> = {
  'gaussian-tail': {
    summary: 'windowed Gaussian z-score with an anomaly-likelihood tail (the baseline)',
    create: () => new GaussianTailDetector(),
    restore: (snapshot) => GaussianTailDetector.restore(snapshot),
  },
  'hush-ensemble': {
    summary: 'deviation, daily-seasonal error and context novelty through anomaly likelihoods, plus range novelty; daily recurrences discounted, onsets only',
    create: () => new HushEnsembleDetector(),
    restore: (snapshot) => HushEnsembleDetector.restore(snapshot),
  },
};

function registered(name: string): RegisteredDetector {
  const entry = Object.hasOwn(DETECTORS, name) ? DETECTORS[name] : undefined;
  if (!entry) throw new HushError('HUSH_ERR_VALIDATION', `unknown detector "${name}"; known: ${Object.keys(DETECTORS).join(', ')}`);
  return entry;
}

/** The factory registered as `name`, or a validation error listing the names there are. */
export function detectorFactory(name: string): StreamingDetectorFactory {
  return registered(name).create;
}

/** Continues the detector registered as `name` from its snapshot. */
export function restoreDetector(name: string, snapshot: unknown): ReturnType<StreamingDetectorRestore> {
  return registered(name).restore(snapshot);
}
