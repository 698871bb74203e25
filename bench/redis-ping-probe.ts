import { createRedis } from '../shared/redis/connection.js';
import { sortedQuantile } from '../shared/stats/quantile.js';

/** How often the probe pings: often enough for a p99 over a few seconds, too seldom to load Redis. */
const PING_EVERY_MS = 10;

/** A running probe; `stop` ends it and gives its round trips. */
export interface RedisPingProbe {
  /** Stops pinging; resolves with the p99 round trip (ms) and how many pings it is over. */
  stop(): Promise<{ p99_ms: number; pings: number }>;
}

/**
 * Pings Redis every 10 ms on a connection of its own and times each round trip. A scoring decision waits
 * on at least one Redis round trip (its features), so this is the floor the box itself puts under the
 * scoring latency measured at the same time: when the ping's tail is long, the machine (other processes,
 * the hypervisor) delays Redis or its clients, whatever the scoring code does.
 */
export function startRedisPingProbe(redisUrl: string): RedisPingProbe {
  const redis = createRedis(redisUrl);
  const roundTrips: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const sent = performance.now();
      await redis.ping();
      roundTrips.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      redis.disconnect();
      const sorted = Float64Array.from(roundTrips).sort();
      return { p99_ms: sorted.length === 0 ? Number.NaN : sortedQuantile(sorted, 0.99), pings: sorted.length };
    },
  };
}
