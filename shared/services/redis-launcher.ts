import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackage } from './ensure-debian-package.js';
import type { ManagedService } from './managed-service.js';
import { pingRedis } from './redis-ping.js';
import { serviceDir } from './service-home.js';

/** Options of {@link redisService}. */
export interface RedisServiceOptions {
  /** The hush home; data goes to `<home>/redis`. */
  home: string;
  /** @defaultValue `6390` */
  port?: number;
  /** @defaultValue `/usr/bin/redis-server`, installed from Debian's `redis-server` when missing */
  binary?: string;
  /** Progress lines (package installation). @defaultValue writes to stderr */
  log?: (message: string) => void;
}

const DEFAULT_BINARY = '/usr/bin/redis-server';

/**
 * The arguments of a loopback-only Redis whose data lives in `dir`. The append-only file with
 * `everysec` fsync keeps queued jobs across a restart, losing at most a second of writes. RDB snapshots
 * are off: the AOF already persists everything, and the default `save 60 10000` forked a full copy of
 * the data set every minute under load. The AOF is rewritten once it is 1 GB and three times its last
 * rewrite: at 2,000 alerts/s it grows 7–13 MB/s (jobs, their events and the feature writes), and with
 * the defaults (64 MB, twice) a rewrite of the whole data set forked every 5–20 s, 45 in a 3-minute load run.
 */
export function redisArgs(port: number, dir: string): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--auto-aof-rewrite-percentage', '200',
    '--auto-aof-rewrite-min-size', '1gb',
    '--daemonize', 'no',
    // BullMQ requires that Redis never evicts its keys.
    '--maxmemory-policy', 'noeviction',
  ];
}

/** A Redis server on 127.0.0.1 with its data and log under `<home>/redis`. */
export function redisService(options: RedisServiceOptions): ManagedService {
  const { home, port, binary, log } = { port: 6390, binary: undefined, log: undefined, ...options };
  const dir = serviceDir(home, 'redis');
  const logFile = join(dir, 'redis.log');
  return {
    name: 'redis',
    description: `redis-server on 127.0.0.1:${port}`,
    url: `redis://127.0.0.1:${port}`,
    logFiles: [logFile],
    dir,
    ping: (timeoutMs) => pingRedis(port, timeoutMs),
    async prepare() {
      const resolved = binary ?? DEFAULT_BINARY;
      if (binary === undefined) await ensureDebianPackage('redis-server', DEFAULT_BINARY, log ? { log } : {});
      mkdirSync(dir, { recursive: true });
      return { binary: resolved, args: redisArgs(port, dir), logFile, cwd: dir };
    },
  };
}
