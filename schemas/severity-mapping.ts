import type { Severity } from './alert.js';

/** Severity words collectors use, folded onto Hush's four levels (case-insensitive). */
const SEVERITY_SYNONYMS: ReadonlyMap<string, Severity> = new Map([
  ['critical', 'critical'],
  ['page', 'critical'],
  ['error', 'error'],
  ['high', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['medium', 'warning'],
  ['info', 'info'],
  ['low', 'info'],
  ['none', 'info'],
]);

export const SEVERITY_WORDS = [...SEVERITY_SYNONYMS.keys()];

export function mapSeverity(word: string): Severity | undefined {
  return SEVERITY_SYNONYMS.get(word.toLowerCase());
}
