import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The PID recorded in a PID file, or null when the file is missing or does not hold a PID (yet). */
export function readPidFile(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * A PID file created exclusively: only one of several concurrent `hush up`s gets it, so only one of
 * them launches the service. `null` when the file already exists.
 */
export interface PidFileClaim {
  /** Records the PID of the launched process. */
  record(pid: number): void;
  /** Gives the claim up (deletes the file) when the launch failed or lost a race. */
  release(): void;
}

/** Claims `path` for a process about to be launched; null when another claim exists. */
export function claimPidFile(path: string): PidFileClaim | null {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw thrown;
  }
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    record(pid) {
      writeSync(fd, `${pid}\n`);
      close();
    },
    release() {
      close();
      removePidFile(path);
    },
  };
}

/** Deletes a PID file; missing files are fine. */
export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}
