import { HushError } from '../errors/index.js';
import { readJsonFile } from './read-json-file.js';

/** A labelled anomaly window as written in `combined_windows.json`: start and end timestamps, both inclusive. */
export type NabWindowLimits = readonly [start: string, end: string];

/** Reads NAB's `combined_windows.json`: data-file path → its anomaly windows. */
export async function readNabLabels(file: string): Promise<Map<string, NabWindowLimits[]>> {
  const json = await readJsonFile(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file} must map each data file to a list of [start, end] windows`);
  }
  const labels = new Map<string, NabWindowLimits[]>();
  for (const [path, windows] of Object.entries(json)) {
    const valid = Array.isArray(windows)
      && windows.every((w) => Array.isArray(w) && w.length === 2 && typeof w[0] === 'string' && typeof w[1] === 'string');
    if (!valid) throw new HushError('HUSH_ERR_VALIDATION', `${file}: "${path}" must be a list of [start, end] timestamp pairs`);
    labels.set(path, windows as NabWindowLimits[]);
  }
  return labels;
}
