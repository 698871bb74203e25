import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessRunning } from './process-state.js';

/**
 * Sends SIGTERM to a server hush launched (and to its process group, which it leads), waits up to
 * `graceMs` for it to exit, then SIGKILLs it. Resolves with the signal that ended it.
 */
export async function stopProcess(pid: number, graceMs: number): Promise<'SIGTERM' | 'SIGKILL'> {
  signal(pid, 'SIGTERM');
  if (await exited(pid, graceMs)) return 'SIGTERM';
  signal(pid, 'SIGKILL');
  await exited(pid, 5_000);
  return 'SIGKILL';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    // Launched with `detached`, the server leads its own group; signal helpers it may have forked too.
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isProcessRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}
