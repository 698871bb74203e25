import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HushError } from '../shared/errors/index.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A bad command line: `HUSH_ERR_VALIDATION`, the message, then the command's usage line. */
export function usageError(message: string, usage: string): HushError {
  return new HushError('HUSH_ERR_VALIDATION', `${message}\nusage: ${usage.split('\n')[0]}`);
}

/** `parseArgs` in strict mode; an unknown or malformed flag becomes a {@link usageError}. */
export function parseCommandArgs<const O extends Options, const P extends boolean = false>(argv: string[], usage: string, options: O, allowPositionals?: P) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: (allowPositionals ?? false) as P });
  } catch (thrown) {
    throw usageError(thrown instanceof Error ? thrown.message : String(thrown), usage);
  }
}
