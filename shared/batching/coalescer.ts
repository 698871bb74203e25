import { HushError } from '../errors/index.js';

/** Options of {@link Coalescer}. */
export interface CoalescerOptions {
  /**
   * Most items one batched call takes; a larger backlog is split into several calls.
   * @defaultValue `1000`
   */
  maxBatchSize?: number;
}

/** One batched call: must return one result per item, in item order. */
export type BatchFunction<In, Out> = (items: readonly In[]) => Promise<readonly Out[]>;

interface Pending<In, Out> {
  items: readonly In[];
  resolve: (results: Out[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Merges the calls made during one event-loop turn into one batched call, so that hundreds of
 * concurrent single-alert jobs cost one Redis round trip instead of hundreds (a DataLoader for
 * writes). When a merged call fails, each caller's items are run again on their own, so one bad
 * caller fails alone; the batch function must therefore be safe to repeat (idempotent).
 */
export class Coalescer<In, Out> {
  private readonly maxBatchSize: number;
  private queue: Pending<In, Out>[] = [];
  private scheduled = false;

  constructor(
    private readonly run: BatchFunction<In, Out>,
    options: CoalescerOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new HushError('HUSH_ERR_CONFIG', `Coalescer option maxBatchSize must be a positive integer, got ${String(options.maxBatchSize)}`);
    }
  }

  /** Resolves with one result per item once the batch holding them has run. */
  submit(items: readonly In[]): Promise<Out[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<Out[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    let batch: Pending<In, Out>[] = [];
    let size = 0;
    for (const pending of queued) {
      if (size > 0 && size + pending.items.length > this.maxBatchSize) {
        void this.runBatch(batch);
        batch = [];
        size = 0;
      }
      batch.push(pending);
      size += pending.items.length;
    }
    if (batch.length > 0) void this.runBatch(batch);
  }

  private async runBatch(batch: readonly Pending<In, Out>[]): Promise<void> {
    if (batch.length === 1) {
      await this.runAlone(batch[0] as Pending<In, Out>);
      return;
    }
    const items = batch.flatMap((pending) => pending.items);
    let results: readonly Out[];
    try {
      results = await this.run(items);
      if (results.length !== items.length) throw new HushError('HUSH_ERR_INTERNAL', `batch function returned ${results.length} results for ${items.length} items`);
    } catch {
      await Promise.all(batch.map((pending) => this.runAlone(pending)));
      return;
    }
    let offset = 0;
    for (const pending of batch) {
      pending.resolve(results.slice(offset, offset + pending.items.length));
      offset += pending.items.length;
    }
  }

  private async runAlone(pending: Pending<In, Out>): Promise<void> {
    try {
      const results = await this.run(pending.items);
      if (results.length !== pending.items.length) throw new HushError('HUSH_ERR_INTERNAL', `batch function returned ${results.length} results for ${pending.items.length} items`);
      pending.resolve([...results]);
    } catch (error) {
      pending.reject(error);
    }
  }
}
