import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import type { ServiceName } from './interfaces/local-services-options.js';

/** The repository root, found from this file's location so that the result does not depend on the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The home directory: explicit option, then `HUSH_HOME`, then `<project root>/.hush`. */
export function resolveServiceHome(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = explicit ?? (env.HUSH_HOME ? env.HUSH_HOME : join(PROJECT_ROOT, '.hush'));
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}

/** The directory a service hush starts keeps its data in and runs in. */
export function serviceDir(home: string, name: ServiceName): string {
  return join(home, name);
}

/** Where the PID file of a service hush started lives. */
export function pidFilePath(home: string, name: ServiceName): string {
  return join(home, 'run', `${name}.pid`);
}
