import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../command-args.js';
import type { UsageError } from '../errors/usage-error.js';

/** Where a NAB corpus's parts are. */
export interface NabPaths {
  dataDir: string;
  labelsFile: string;
  profilesFile: string;
}

/**
 * The corpus paths from `--corpus DIR` (NAB's own layout: `DIR/data`, `DIR/labels/combined_windows.json`,
 * `DIR/config/profiles.json`), each overridable by `--data`, `--labels`, `--profiles`.
 */
export function nabPaths(values: Record<string, unknown>, usage: string): NabPaths {
  return {
    dataDir: nabPath(values, 'data', 'data', usage),
    labelsFile: nabPath(values, 'labels', join('labels', 'combined_windows.json'), usage),
    profilesFile: nabPath(values, 'profiles', join('config', 'profiles.json'), usage),
  };
}

/** `--<flag>`, else `inCorpus` under `--corpus`; a usage error when neither is given. */
export function nabPath(values: Record<string, unknown>, flag: 'data' | 'labels' | 'profiles', inCorpus: string, usage: string): string {
  const corpus = text(values.corpus);
  const path = text(values[flag]) ?? (corpus === undefined ? undefined : join(corpus, inCorpus));
  if (path === undefined) throw nabUsageError(`--${flag} ${flag === 'data' ? 'DIR' : 'FILE'} or --corpus DIR is required`, usage);
  return path;
}

/** `parseArgs` with strict options, its complaints turned into usage errors. */
export function parseNabArgs(argv: string[], options: ParseArgsConfig['options'], usage: string): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values as Record<string, string | boolean | undefined>;
  } catch (thrown) {
    throw nabUsageError(thrown instanceof Error ? thrown.message : String(thrown), usage);
  }
}

/** A {@link usageError} (exit code 2) that ends with the command's usage line. */
export function nabUsageError(message: string, usage: string): UsageError {
  return usageError(message, usage);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
