import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { claimPidFile, readPidFile, removePidFile, type PidFileClaim } from './pid-file.js';
import { isProcessOf } from './process-state.js';
import { PROGRAM_MARKERS, type ManagedService } from './managed-service.js';
import { spawnDetached } from './spawn-detached.js';
import { stopProcess } from './stop-process.js';
import { serviceStartError, waitUntilReady } from './wait-until-ready.js';
import type { ServiceName, StoppedService } from './interfaces/local-services-options.js';

// A claimed PID file still empty after this long belongs to a launcher that died mid-launch.
const EMPTY_CLAIM_STALE_MS = 10_000;
// Loopback servers answer within milliseconds; a short probe keeps a start that fails quick to report.
const READY_PING_MS = 500;

/**
 * Makes `service` answer: reuses a server already answering on its port (whoever runs it), otherwise
 * launches one and records it in `pidFile`. Resolves `'started'` only when this call launched it.
 */
export async function ensureServiceRunning(
  service: ManagedService,
  pidFile: string,
  readyTimeoutMs: number,
  log: (message: string) => void,
): Promise<'started' | 'reused'> {
  const marker = PROGRAM_MARKERS[service.name];
  const recorded = readPidFile(pidFile);
  if (await service.ping()) {
    if (recorded !== null && isProcessOf(recorded, marker, service.dir)) {
      log(`${service.description} is already running (started by hush, pid ${recorded})`);
    } else {
      if (recorded !== null) removePidFile(pidFile);
      log(`${service.description} is already running (not started by hush; it will be left alone)`);
    }
    return 'reused';
  }

  const command = await service.prepare();
  const claim = await claimOrFindLauncher(pidFile, marker, service.dir);
  if (typeof claim === 'number') {
    // Another `hush up` (or an earlier one) launched it and it is still coming up: wait for it.
    log(`${service.description} is starting (pid ${claim}); waiting for it`);
    const outcome = await waitUntilReady({ service: service.description, ping: () => service.ping(READY_PING_MS), pid: claim, timeoutMs: readyTimeoutMs, logFiles: service.logFiles });
    if (outcome === 'exited' && !(await service.ping())) {
      throw serviceStartError(service.description, `exited before answering`, service.logFiles);
    }
    return 'reused';
  }

  log(`starting ${service.description}`);
  let pid: number;
  try {
    pid = spawnDetached(command.binary, command.args, command.logFile, command.cwd).pid as number;
  } catch (thrown) {
    claim.release();
    throw thrown;
  }
  claim.record(pid);
  let outcome: 'ready' | 'exited';
  try {
    outcome = await waitUntilReady({ service: service.description, ping: () => service.ping(READY_PING_MS), pid, timeoutMs: readyTimeoutMs, logFiles: service.logFiles });
  } catch (thrown) {
    // It never answered: it is ours, so end it rather than leave a half-started server behind.
    await stopProcess(pid, 2_000);
    removePidFile(pidFile);
    throw thrown;
  }
  if (outcome === 'exited') {
    removePidFile(pidFile);
    // Someone else's server took the port between our ping and our launch: use it, as it is not ours.
    if (await service.ping(READY_PING_MS)) {
      log(`${service.description} was started by someone else meanwhile; using it`);
      return 'reused';
    }
    throw serviceStartError(service.description, `exited before answering (the port may be taken by another program)`, service.logFiles);
  }
  log(`${service.description} is ready (pid ${pid}, logs in ${service.logFiles.join(', ')})`);
  return 'started';
}

/**
 * Claims the PID file for a launch, or returns the PID of a live hush launch that holds it. Stale
 * files (dead process, or left empty by a launcher that died) are removed and the claim retried.
 */
async function claimOrFindLauncher(pidFile: string, marker: string, dir: string): Promise<PidFileClaim | number> {
  for (let attempt = 0; ; attempt += 1) {
    const claim = claimPidFile(pidFile);
    if (claim) return claim;
    const pid = readPidFile(pidFile);
    if (pid !== null && isProcessOf(pid, marker, dir)) return pid;
    if (pid === null && attempt < 50 && !isOlderThan(pidFile, EMPTY_CLAIM_STALE_MS)) {
      // Another launcher created the file a moment ago and is about to write its PID.
      await sleep(20);
      continue;
    }
    removePidFile(pidFile);
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}

/**
 * Stops the process recorded in `pidFile` if it is still the service hush launched (its program, running
 * in `dir`); removes the file. Returns what was stopped, or null when nothing of ours was running.
 */
export async function stopRecordedService(
  name: ServiceName,
  pidFile: string,
  dir: string,
  graceMs: number,
  log: (message: string) => void,
): Promise<StoppedService | null> {
  const pid = readPidFile(pidFile);
  if (pid === null || !isProcessOf(pid, PROGRAM_MARKERS[name], dir)) {
    if (pid !== null) log(`${name}: pid ${pid} from ${pidFile} is no longer hush's ${name} (gone, or another process in ${dir}'s stead); removed the stale PID file and signalled nothing`);
    removePidFile(pidFile);
    return null;
  }
  log(`stopping ${name} (pid ${pid})`);
  const signal = await stopProcess(pid, graceMs);
  removePidFile(pidFile);
  return { name, pid, signal };
}
