import { readFileSync } from 'node:fs';

/**
 * A body a real Prometheus 2.42 remote-wrote while scraping itself (captured from the wire): 500
 * series of one sample each, 32 of them NaN (summaries without observations), 68,712 bytes raw.
 */
export const PROMETHEUS_BODY = readFileSync(new URL('../fixtures/remote-write/prometheus-2.42-self-scrape.snappy', import.meta.url));
