/**
 * Bucket bounds of the cumulative `*_le` counters in the SLI rollups (clickhouse/migrations/0006).
 * They are literals in the materialized views' SQL; a test checks that the two agree. A latency or
 * freshness SLO threshold must be one of these bounds, because the rollup can count only those.
 */
export const SLI_BUCKETS = {
  /** Enqueue → decision (decisions.e2e_latency_us), in ms. */
  e2eMs: [5, 10, 25, 50, 100, 140, 250, 500, 1000, 2500, 5000, 10000],
  /** Model inference (decisions.scoring_latency_us), in ms. */
  inferenceMs: [1, 2, 5, 10, 15, 25, 50, 100, 250, 1000],
  /** Alert event time → decided_at, in seconds. */
  freshnessS: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
} as const satisfies Record<string, readonly number[]>;

export type SliBucketSet = keyof typeof SLI_BUCKETS;
