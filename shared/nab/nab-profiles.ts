import { HushError } from '../errors/index.js';
import { readJsonFile } from './read-json-file.js';

/** A NAB application profile: how much a true positive, a false positive and a missed window weigh. */
export interface NabProfile {
  name: string;
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** Reads NAB's `config/profiles.json` (`{ name: { CostMatrix: { tpWeight, fpWeight, fnWeight, … } } }`), in file order. */
export async function readNabProfiles(file: string): Promise<NabProfile[]> {
  const json = await readJsonFile(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json) || Object.keys(json).length === 0) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file} must map profile names to { "CostMatrix": { … } }`);
  }
  return Object.entries(json).map(([name, profile]) => {
    const costs = (profile as { CostMatrix?: Record<string, unknown> } | null)?.CostMatrix;
    const weight = (key: string): number => {
      const value = costs?.[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new HushError('HUSH_ERR_VALIDATION', `${file}: profile "${name}" needs CostMatrix.${key} as a non-negative number`);
      }
      return value;
    };
    return { name, tpWeight: weight('tpWeight'), fpWeight: weight('fpWeight'), fnWeight: weight('fnWeight') };
  });
}
