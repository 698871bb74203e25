import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
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
    throw unusableDirectory(`the hush home ${home}`, thrown, 'set HUSH_HOME to a directory you can write');
  }
}

/**
 * Checks that the home's `run` directory, where `hush up` records its PID files, can be read and written,
 * before anything is signalled: stopping a service whose PID file cannot then be removed would leave it
 * recorded. A missing `run` directory records nothing and is fine (and is not created).
 * @throws HushError `HUSH_ERR_CONFIG` naming the directory and `HUSH_HOME` when it cannot be used.
 */
export function checkRunDirectory(home: string): void {
  const run = join(home, 'run');
  try {
    if (!statSync(run).isDirectory()) throw Object.assign(new Error(`${run} is not a directory`), { code: 'ENOTDIR' });
    accessSync(run, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw unusableDirectory(
      `the PID-file directory ${run} of the hush home`,
      thrown,
      'make it a directory you can read and write (run hush down as the user that ran hush up); HUSH_HOME chooses the home',
    );
  }
}

function unusableDirectory(what: string, thrown: unknown, advice: string): HushError {
  const { code, message } = thrown as NodeJS.ErrnoException;
  return new HushError('HUSH_ERR_CONFIG', `${what} is not a writable directory (${code ?? message}); ${advice}`, { cause: thrown });
}

/** The directory a service hush starts keeps its data in and runs in. */
export function serviceDir(home: string, name: ServiceName): string {
  return join(home, name);
}

/** Where the PID file of a service hush started lives. */
export function pidFilePath(home: string, name: ServiceName): string {
  return join(home, 'run', `${name}.pid`);
}
