import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/** What {@link watchRedis} and {@link logQueueErrors} log with. */
export type OutageLogger = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;

/** A BullMQ `Queue`, `Worker` or `QueueEvents`. */
export interface QueueErrorSource {
  readonly name: string;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Logs the outages of `client` as connection `name`: one warning when it starts failing, one info line
 * when it is ready again. Without a listener, ioredis prints every failed reconnection attempt to stderr.
 */
export function watchRedis<C extends Redis>(client: C, name: string, logger: OutageLogger): C {
  let failingSince: number | undefined;
  client.on('error', (err: Error) => {
    if (failingSince !== undefined) {
      logger.debug({ connection: name, err }, 'Redis connection still failing');
      return;
    }
    failingSince = Date.now();
    logger.warn({ connection: name, err }, 'Redis connection failing; retrying until it is back');
  });
  client.on('ready', () => {
    if (failingSince === undefined) return;
    logger.info({ connection: name, downMs: Date.now() - failingSince }, 'Redis connection back');
    failingSince = undefined;
  });
  return client;
}

/**
 * Logs a BullMQ queue's or worker's 'error' events, which BullMQ prints to the console when nobody
 * listens. Connection errors go to debug only: BullMQ repeats them for every reconnection attempt of
 * every connection, and {@link watchRedis} on the connection underneath reports the outage once.
 */
export function logQueueErrors(source: QueueErrorSource, logger: OutageLogger): void {
  source.on('error', (err) => {
    if (isConnectionError(err)) logger.debug({ queue: source.name, err }, 'queue connection error');
    else logger.error({ queue: source.name, err }, 'queue error');
  });
}

// Socket errors name their system call (connect, read, write, getaddrinfo); ioredis rejects with this
// message what it cannot send because the connection closed.
function isConnectionError(err: Error): boolean {
  return 'syscall' in err || err.message === 'Connection is closed.';
}
