import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { HushError } from '../errors/index.js';

/**
 * Launches a server that outlives the launching process: its own process group, stdout and stderr
 * appended to `logFile`, and no hold on this process's event loop.
 */
export function spawnDetached(binary: string, args: readonly string[], logFile: string, cwd: string): ChildProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(binary, args, { cwd, detached: true, stdio: ['ignore', log, log] });
    // A failed exec is reported both as a missing pid (now) and as an 'error' event (later).
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      throw new HushError('HUSH_ERR_SERVICE_START', `could not launch ${binary} (is it executable?); see ${logFile}`);
    }
    child.unref();
    return child;
  } finally {
    // The child holds its own descriptor now.
    closeSync(log);
  }
}
