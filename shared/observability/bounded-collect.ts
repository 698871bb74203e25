import type { Gauge } from 'prom-client';

/** How long a scrape waits for one gauge's reading before answering without it. */
export const COLLECT_TIMEOUT_MS = 1000;

/**
 * Runs `read` (which sets `gauge`'s values) for at most `ms`. A reading that fails or is late leaves the gauge
 * without series in this scrape: Prometheus then sees them absent instead of stale, and the rest of `/metrics`
 * answers at once. Without it, one read waiting for a Redis that is down holds the whole answer until
 * Prometheus gives up on the target, exactly when its metrics are wanted.
 */
export async function collectWithin(gauge: Gauge, read: () => Promise<void>, ms = COLLECT_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  // A late reading may still land and set values: they are reset here and set again by the next scrape.
  const outcome = await Promise.race([read().then(() => 'read' as const, () => 'failed' as const), late]).finally(() => clearTimeout(timer));
  if (outcome !== 'read') gauge.reset();
}
