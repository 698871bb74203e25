import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Exclusive ownership of one partition, valid while its Redis key holds `token`. */
export interface PartitionLease {
  partition: number;
  /** Unique per acquisition, so a lease lost and re-taken is a different lease (fencing). */
  token: string;
  key: string;
}

// Compare-and-act scripts: only the holder of the token may extend or drop the lease.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Partition leases in Redis: `SET NX PX` to take one, token-checked scripts to renew or release it. */
export class PartitionLeases {
  constructor(private readonly options: { redis: Redis; prefix: string; ttlMs: number }) {}

  keyOf(partition: number): string {
    return `${this.options.prefix}:metrics:lease:${partition}`;
  }

  /** Takes the partition if nobody holds it; null when another replica does. */
  async tryAcquire(partition: number, replicaId: string): Promise<PartitionLease | null> {
    const lease = { partition, token: `${replicaId}:${randomUUID()}`, key: this.keyOf(partition) };
    const set = await this.options.redis.set(lease.key, lease.token, 'PX', this.options.ttlMs, 'NX');
    return set === 'OK' ? lease : null;
  }

  /** Extends the lease; false once it has expired or another replica holds the partition. */
  async renew(lease: PartitionLease): Promise<boolean> {
    return (await this.options.redis.eval(RENEW, 1, lease.key, lease.token, this.options.ttlMs)) === 1;
  }

  async release(lease: PartitionLease): Promise<void> {
    await this.options.redis.eval(RELEASE, 1, lease.key, lease.token);
  }

  async holds(lease: PartitionLease): Promise<boolean> {
    return (await this.options.redis.get(lease.key)) === lease.token;
  }
}
