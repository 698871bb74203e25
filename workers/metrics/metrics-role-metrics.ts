import { Counter, Gauge, type Registry } from 'prom-client';

/** Prometheus metrics of the metrics role. */
export class MetricsRoleMetrics {
  private readonly samples: Counter<'result'>;
  private readonly recorded: Counter;
  private readonly alerts: Counter;

  constructor(registry: Registry, ownedPartitions: () => number) {
    this.samples = new Counter({
      name: 'hush_metric_samples_total',
      help: 'Metric samples by result: scored, or skipped as at/before the series checkpoint (replayed or late)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.recorded = new Counter({ name: 'hush_metric_anomalies_recorded_total', help: 'Scores written to metric_anomalies', registers: [registry] });
    this.alerts = new Counter({ name: 'hush_metric_anomaly_alerts_total', help: 'Anomaly alerts raised onto the alerts queue', registers: [registry] });
    new Gauge({
      name: 'hush_metric_partitions_owned',
      help: 'Metrics stream partitions this process consumes',
      registers: [registry],
      collect() {
        this.set(ownedPartitions());
      },
    });
  }

  recordBatch(counts: { scored: number; skipped: number; recorded: number; raised: number }): void {
    this.samples.inc({ result: 'scored' }, counts.scored);
    this.samples.inc({ result: 'skipped' }, counts.skipped);
    this.recorded.inc(counts.recorded);
    this.alerts.inc(counts.raised);
  }
}
