import { readFileSync, readlinkSync, realpathSync } from 'node:fs';

/** Whether a process exists and has not exited (a zombie waiting to be reaped counts as exited). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (thrown) {
    // EPERM: it exists but belongs to someone else.
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readProc(pid, 'stat');
  if (stat === undefined) return true;
  // The state follows the parenthesised command name, which may itself contain ") ".
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Whether the process `pid` is running the program named `programMarker` in the directory `dir`, as
 * the servers hush launches do. Guards against killing an unrelated process that was given a PID hush
 * once recorded, even one running the same program (someone else's redis-server, another home's).
 */
export function isProcessOf(pid: number, programMarker: string, dir: string): boolean {
  if (!isProcessRunning(pid)) return false;
  const cmdline = readProc(pid, 'cmdline');
  // Without /proc (not Linux) the recorded PID is all we have.
  if (cmdline === undefined) return true;
  return cmdline.includes(programMarker) && workingDirectory(pid) === canonical(dir);
}

function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
