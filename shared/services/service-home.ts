import { accessSync, constants, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import { HushError } from '../errors/index.js';
import type { ServiceName } from './interfaces/local-services-options.js';

/** The repository root, found from this file's location so that the result does not depend on the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The home directory: explicit option, then `HUSH_HOME`, then `<project root>/.hush`. */
export function resolveServiceHome(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = explicit ?? (env.HUSH_HOME ? env.HUSH_HOME : join(PROJECT_ROOT, '.hush'));
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}

/**
 * Creates the home (and its `run` directory) and checks that it is writable, before anything is installed
 * or launched into it.
 * @throws HushError `HUSH_ERR_CONFIG` naming the directory and `HUSH_HOME` when it cannot be written.
 */
export function ensureWritableHome(home: string): void {
  try {
    mkdirSync(join(home, 'run'), { recursive: true });
    accessSync(home, constants.W_OK);
  } catch (thrown) {
    const { code, message } = thrown as NodeJS.ErrnoException;
    throw new HushError('HUSH_ERR_CONFIG', `the hush home ${home} is not a writable directory (${code ?? message}); set HUSH_HOME to a directory you can write`, { cause: thrown });
  }
}

/** The directory a service hush starts keeps its data in and runs in. */
export function serviceDir(home: string, name: ServiceName): string {
  return join(home, name);
}

/** Where the PID file of a service hush started lives. */
export function pidFilePath(home: string, name: ServiceName): string {
  return join(home, 'run', `${name}.pid`);
}
