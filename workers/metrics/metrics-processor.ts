import type { MetricSample } from '../../schemas/metric-sample.js';
import type { StreamingDetector } from './detectors/detector.js';
import { detectorFactory, restoreDetector } from './detectors/registry.js';
import type { PartitionLease } from './partition-leases.js';
import type { ScoredSample } from './scored-sample.js';
import { groupBySeries, type SeriesBatch } from './series-batches.js';
import type { SeriesCheckpoint, SeriesCheckpoints } from './series-checkpoints.js';

/** Where a processed batch goes; both sinks must be idempotent, since a crash replays the batch. */
export interface MetricsSinks {
  /** Records a score at or above the recording floor (`metric_anomalies`). */
  record(scored: ScoredSample): Promise<void>;
  /** Raises alerts for scores at or above their tenant's threshold. */
  raise(anomalies: readonly ScoredSample[]): Promise<void>;
}

/** Options of {@link MetricsProcessor}. */
export interface MetricsProcessorOptions {
  checkpoints: SeriesCheckpoints;
  /** Registry name of the detector (same parameters for every series). */
  detector: string;
  sinks: MetricsSinks;
  /** Scores at or above this are recorded. */
  recordMinScore: number;
  alertThresholdOf(tenant: string): number;
  /** Detector states kept in memory; the least recently used beyond this reload from their checkpoint. @defaultValue `10000` */
  maxCachedSeries?: number;
  /** Counts what a batch did, for metrics. */
  onBatch?(counts: { scored: number; skipped: number; recorded: number; raised: number }): void;
}

interface SeriesState {
  detector: StreamingDetector;
  lastTimestamp: number;
}

/**
 * Scores the batches of one partition lease: per series, in timestamp order, skipping samples at or
 * before the series' checkpointed timestamp (a replayed or late sample is never fed twice), then
 * records, alerts and checkpoints every touched series atomically under the lease. Detector states
 * are cached while the lease lasts; create a new processor per lease.
 */
export class MetricsProcessor {
  // Map order is recency order: a series is re-inserted when used, so the first keys are the stalest.
  private readonly states = new Map<string, SeriesState>();
  private readonly maxCachedSeries: number;

  constructor(private readonly options: MetricsProcessorOptions) {
    this.maxCachedSeries = options.maxCachedSeries ?? 10_000;
    if (!Number.isInteger(this.maxCachedSeries) || this.maxCachedSeries < 1) {
      throw new RangeError(`MetricsProcessor option maxCachedSeries must be a positive integer, got ${this.maxCachedSeries}`);
    }
  }

  /**
   * Processes one job's samples.
   * @returns false when the lease was lost before the checkpoint (the job must go back to its queue)
   */
  async process(samples: readonly MetricSample[], lease: PartitionLease): Promise<boolean> {
    try {
      const batches = groupBySeries(samples);
      await this.loadMissing(batches);
      const scored: ScoredSample[] = [];
      const touched: { series: SeriesBatch['series']; checkpoint: SeriesCheckpoint }[] = [];
      for (const batch of batches) {
        const state = this.states.get(batch.series.seriesKey) as SeriesState;
        const before = scored.length;
        for (const sample of batch.samples) {
          if (sample.timestamp <= state.lastTimestamp) continue;
          scored.push({ sample, seriesKey: batch.series.seriesKey, score: state.detector.update(sample.timestamp, sample.value) });
          state.lastTimestamp = sample.timestamp;
        }
        if (scored.length > before) {
          touched.push({ series: batch.series, checkpoint: { detector: this.options.detector, lastTimestamp: state.lastTimestamp, snapshot: state.detector.snapshot() } });
        }
      }
      const recorded = scored.filter((s) => s.score >= this.options.recordMinScore);
      const anomalies = scored.filter((s) => s.score >= this.options.alertThresholdOf(s.sample.tenant));
      await Promise.all([...recorded.map((s) => this.options.sinks.record(s)), anomalies.length > 0 ? this.options.sinks.raise(anomalies) : undefined]);
      const committed = await this.options.checkpoints.commit(lease, touched);
      if (committed) this.evictStalest();
      else this.states.clear();
      this.options.onBatch?.({ scored: scored.length, skipped: samples.length - scored.length, recorded: recorded.length, raised: anomalies.length });
      return committed;
    } catch (thrown) {
      // The cache may be ahead of the stored checkpoints now; the next batch starts from Redis.
      this.states.clear();
      throw thrown;
    }
  }

  private evictStalest(): void {
    for (const key of this.states.keys()) {
      if (this.states.size <= this.maxCachedSeries) return;
      this.states.delete(key);
    }
  }

  private async loadMissing(batches: readonly SeriesBatch[]): Promise<void> {
    for (const { series } of batches) {
      const state = this.states.get(series.seriesKey);
      if (state === undefined) continue;
      this.states.delete(series.seriesKey);
      this.states.set(series.seriesKey, state);
    }
    const missing = batches.filter((b) => !this.states.has(b.series.seriesKey)).map((b) => b.series);
    const stored = await this.options.checkpoints.load(missing);
    missing.forEach((series, index) => {
      const checkpoint = stored[index] ?? null;
      this.states.set(
        series.seriesKey,
        checkpoint === null
          ? { detector: detectorFactory(this.options.detector)(), lastTimestamp: Number.NEGATIVE_INFINITY }
          : { detector: restoreDetector(this.options.detector, checkpoint.snapshot), lastTimestamp: checkpoint.lastTimestamp },
      );
    });
  }
}
