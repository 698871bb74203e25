import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** A JSON logger for one process role. */
export function createLogger(role: string, level: string = process.env.HUSH_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: `hush-${role}`, level, base: { role, pid: process.pid } });
}
