import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HushError } from '../errors/index.js';
import { isProcessRunning } from './process-state.js';

/** What {@link waitUntilReady} waits for. */
export interface ReadinessCheck {
  /** Shown in messages, e.g. `redis-server on 127.0.0.1:6390`. */
  service: string;
  /** Resolves true once the service answers. */
  ping: () => Promise<boolean>;
  /** The launched process; the wait ends early when it exits. */
  pid: number;
  /** Give up after this long. */
  timeoutMs: number;
  /** Files that explain a failed start, named in the error. */
  logFiles: readonly string[];
  /** Pause between pings. @defaultValue `100` (ms) */
  intervalMs?: number;
}

/**
 * Polls until the service answers (`'ready'`) or its process exits first (`'exited'`: the caller
 * decides whether someone else's server answers instead).
 * @throws HushError `HUSH_ERR_SERVICE_START` naming the log files when `timeoutMs` passes.
 */
export async function waitUntilReady(check: ReadinessCheck): Promise<'ready' | 'exited'> {
  const deadline = Date.now() + check.timeoutMs;
  const intervalMs = check.intervalMs ?? 100;
  for (;;) {
    // An exited process cannot be the one answering; the caller checks for someone else's server.
    if (!isProcessRunning(check.pid)) return 'exited';
    if (await check.ping()) return 'ready';
    if (Date.now() >= deadline) {
      throw serviceStartError(check.service, `did not answer within ${check.timeoutMs} ms`, check.logFiles);
    }
    await sleep(intervalMs);
  }
}

/**
 * The error for a service that failed to start: names the files that say why and quotes the last
 * lines of the first one that has any.
 */
export function serviceStartError(service: string, what: string, logFiles: readonly string[]): HushError {
  const tail = logFiles.map((file) => lastLines(file, 3)).find((lines) => lines.length > 0) ?? [];
  const quoted = tail.length > 0 ? `; it last logged:\n  ${tail.join('\n  ')}` : '';
  return new HushError('HUSH_ERR_SERVICE_START', `${service} ${what}; see ${logFiles.join(' and ')}${quoted}`);
}

function lastLines(file: string, count: number): string[] {
  let text: string;
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const length = Math.min(size, 4096);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  return text.split('\n').map((line) => line.trim()).filter(Boolean).slice(-count);
}
