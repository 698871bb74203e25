import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { HushError } from '../errors/index.js';

/** Every `.csv` under `dataDir` (NAB layout `<category>/<file>.csv`), as sorted `/`-separated relative paths. */
export async function listNabDataFiles(dataDir: string): Promise<string[]> {
  await requireDirectory(dataDir, 'data directory');
  const paths: string[] = [];
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.csv')) continue;
    paths.push(relative(dataDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  if (paths.length === 0) throw new HushError('HUSH_ERR_VALIDATION', `data directory ${dataDir} holds no .csv files`);
  return paths.sort();
}

/** Fails with a validation error naming `what` unless `dir` is a directory. */
export async function requireDirectory(dir: string, what: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new HushError('HUSH_ERR_VALIDATION', `${what} ${dir} does not exist or is not a directory`);
}
