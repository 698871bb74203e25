import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BatchWriter, BatchWriterHooks } from './batch-writer.js';

const byRegistry = new WeakMap<Registry, WriterMetrics>();

/** Prometheus metrics of the ClickHouse batch writers of one process, labelled by table. */
export class WriterMetrics {
  /** The one instance of a registry (roles sharing a process share its metrics). */
  static of(registry: Registry): WriterMetrics {
    let metrics = byRegistry.get(registry);
    if (!metrics) {
      metrics = new WriterMetrics(registry);
      byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private readonly writers = new Map<string, BatchWriter<object>>();
  private readonly batchRows: Histogram<'table'>;
  private readonly batchSeconds: Histogram<'table'>;
  private readonly retries: Counter<'table'>;

  private constructor(registry: Registry) {
    this.batchRows = new Histogram({
      name: 'hush_clickhouse_batch_rows',
      help: 'Rows per ClickHouse insert batch',
      labelNames: ['table'],
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 20000],
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'hush_clickhouse_batch_duration_seconds',
      help: 'Time from first insert attempt to success, retries included',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      registers: [registry],
    });
    this.retries = new Counter({ name: 'hush_clickhouse_insert_retries_total', help: 'Failed ClickHouse inserts that were retried', labelNames: ['table'], registers: [registry] });
    const writers = this.writers;
    new Gauge({
      name: 'hush_clickhouse_buffered_rows',
      help: 'Rows accepted by a writer and not yet inserted (writer lag)',
      labelNames: ['table'],
      registers: [registry],
      collect() {
        for (const [table, writer] of writers) this.set({ table }, writer.bufferedRows);
      },
    });
  }

  /** Hooks to pass to a writer's options. */
  hooks(): BatchWriterHooks {
    return {
      onFlush: (event) => {
        this.batchRows.observe({ table: event.table }, event.rows);
        this.batchSeconds.observe({ table: event.table }, event.durationMs / 1000);
      },
      onRetry: (event) => this.retries.inc({ table: event.table }),
    };
  }

  /** Reports a writer's buffered rows under its table name. */
  track(table: string, writer: BatchWriter<object>): void {
    this.writers.set(table, writer);
  }
}
