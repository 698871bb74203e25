/**
 * How a scoring process splits its concurrency among its BullMQ workers on the alerts queue: at most
 * `concurrency` workers, whose concurrencies differ by at most one and add up to `concurrency`.
 */
export function fetcherConcurrencies(concurrency: number, fetchers: number): number[] {
  const count = Math.min(fetchers, concurrency);
  const base = Math.floor(concurrency / count);
  return Array.from({ length: count }, (_, i) => base + (i < concurrency % count ? 1 : 0));
}
