import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HushError } from '../../shared/errors/index.js';

/** One parsed NDJSON line with its 1-based line number, or the reason it is not JSON. */
export type NdjsonLine = { line: number; value: unknown; error?: undefined } | { line: number; value?: undefined; error: string };

/** Streams an NDJSON file line by line without holding it in memory; blank lines are skipped. */
export async function* readNdjson(path: string): AsyncGenerator<NdjsonLine> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (err) => reject(new HushError('HUSH_ERR_VALIDATION', `cannot read ${path}: ${err.message}`, { cause: err })));
  });
  await opened;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (err) {
      yield { line, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
