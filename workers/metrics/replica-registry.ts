import type { Redis } from 'ioredis';

/** Live metrics replicas: a sorted set of replica id → expiry time, refreshed by each replica's heartbeat. */
export class ReplicaRegistry {
  private readonly key: string;

  constructor(private readonly options: { redis: Redis; prefix: string; replicaId: string; ttlMs: number }) {
    this.key = `${options.prefix}:metrics:replicas`;
  }

  /** Records this replica as live, forgets expired ones and returns how many are live. */
  async heartbeat(now: number = Date.now()): Promise<number> {
    const results = await this.options.redis
      .multi()
      .zadd(this.key, now + this.options.ttlMs, this.options.replicaId)
      .zremrangebyscore(this.key, '-inf', now)
      .zcard(this.key)
      .exec();
    const count = results?.[2]?.[1];
    return typeof count === 'number' ? count : 1;
  }

  async leave(): Promise<void> {
    await this.options.redis.zrem(this.key, this.options.replicaId);
  }
}
