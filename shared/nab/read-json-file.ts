import { readFile } from 'node:fs/promises';
import { HushError } from '../errors/index.js';

/** Parses a JSON file, turning a missing file or bad JSON into a validation error that names it. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `cannot read ${file}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  }
  try {
    return JSON.parse(text);
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file} is not valid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  }
}
