import type { Gauge } from 'prom-client';
import { withTimeout } from '../async/with-timeout.js';

/** How long a scrape waits for one gauge's reading before answering without it. */
export const COLLECT_TIMEOUT_MS = 1000;

/**
 * Runs `read` (which sets `gauge`'s values) for at most `ms`. A reading that fails or is late leaves the gauge
 * without series in this scrape: Prometheus then sees them absent instead of stale, and the rest of `/metrics`
 * answers at once. Without it, one read waiting for a Redis that is down holds the whole answer until
 * Prometheus gives up on the target, exactly when its metrics are wanted.
 */
export async function collectWithin(gauge: Gauge, read: () => Promise<void>, ms = COLLECT_TIMEOUT_MS): Promise<void> {
  // A reading that lands after the reset sets values again: the next scrape reads afresh either way.
  await withTimeout(read(), ms).catch(() => gauge.reset());
}
