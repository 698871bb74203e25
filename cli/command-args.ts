import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A bad command line ({@link UsageError}, exit code 2): the message, then the command's usage line. */
export function usageError(message: string, usage: string): UsageError {
  return new UsageError(`${message}\nusage: ${usage.split('\n')[0]}`);
}

/** `parseArgs` in strict mode; an unknown or malformed flag becomes a {@link usageError}. */
export function parseCommandArgs<const O extends Options, const P extends boolean = false>(argv: string[], usage: string, options: O, allowPositionals?: P) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: (allowPositionals ?? false) as P });
  } catch (thrown) {
    throw usageError(thrown instanceof Error ? thrown.message : String(thrown), usage);
  }
}

/**
 * Fails with a {@link usageError} naming `flag` unless `dir` is a writable directory or could be created
 * as one (its nearest existing ancestor is a writable directory), so a command refuses it before any work.
 */
export async function requireOutputDirectory(dir: string, flag: string, usage: string): Promise<void> {
  let path = resolve(dir);
  let info = await stat(path).catch(() => undefined);
  while (info === undefined && dirname(path) !== path) {
    path = dirname(path);
    info = await stat(path).catch(() => undefined);
  }
  if (!info?.isDirectory()) throw usageError(`${flag} ${dir}: ${path} is not a directory`, usage);
  await access(path, constants.W_OK).catch(() => {
    throw usageError(`${flag} ${dir}: ${path} is not writable`, usage);
  });
}
