import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { HushError } from '../../shared/errors/index.js';

/** One parsed NDJSON line with its 1-based line number, or the reason it is not JSON. */
export type NdjsonLine = { line: number; value: unknown; error?: undefined } | { line: number; value?: undefined; error: string };

/** Fails with a validation error naming `path` unless it exists, is not a directory and can be read. */
export async function requireReadableFile(path: string): Promise<void> {
  const info = await stat(path).catch((err: Error) => {
    throw cannotRead(path, err);
  });
  // Opening a directory succeeds; only reading it fails, with a bare EISDIR.
  if (info.isDirectory()) throw new HushError('HUSH_ERR_VALIDATION', `cannot read ${path}: it is a directory, not a file`);
  await access(path, constants.R_OK).catch((err: Error) => {
    throw cannotRead(path, err);
  });
}

/** Streams an NDJSON file line by line without holding it in memory; blank lines are skipped. */
export async function* readNdjson(path: string): AsyncGenerator<NdjsonLine> {
  await requireReadableFile(path);
  const input = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (err) => reject(cannotRead(path, err)));
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

function cannotRead(path: string, cause: Error): HushError {
  return new HushError('HUSH_ERR_VALIDATION', `cannot read ${path}: ${cause.message}`, { cause });
}
