import { HushError } from '../../../shared/errors/index.js';
import type { StreamingDetectorFactory } from './detector.js';
import { GaussianTailDetector } from './gaussian-tail-detector.js';

/** Every detector `hush nab run --detector NAME` can run, by name. */
export const DETECTORS: Readonly<Record<string, { summary: string; create: StreamingDetectorFactory }>> = {
  'gaussian-tail': {
    summary: 'windowed Gaussian z-score with an anomaly-likelihood tail (the baseline)',
    create: () => new GaussianTailDetector(),
  },
};

/** The factory registered as `name`, or a validation error listing the names there are. */
export function detectorFactory(name: string): StreamingDetectorFactory {
  const entry = Object.hasOwn(DETECTORS, name) ? DETECTORS[name] : undefined;
  if (!entry) throw new HushError('HUSH_ERR_VALIDATION', `unknown detector "${name}"; known: ${Object.keys(DETECTORS).join(', ')}`);
  return entry.create;
}
