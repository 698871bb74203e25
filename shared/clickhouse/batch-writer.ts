import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainStream, type ClickHouseClient } from '@clickhouse/client';
import { HushError, coerceError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { isRowDataError } from './clickhouse-error.js';
import { Fifo } from './fifo.js';

/** Counters for metrics (prom-client gauges/counters read them; this module does not import it). */
export interface BatchWriterStats {
  /** Rows durably inserted. */
  rowsWritten: number;
  /** Successful insert statements. */
  batches: number;
  /** Failed insert attempts that were retried. */
  retries: number;
  /** Rows ClickHouse refused for their content (their `write` rejected); a refused write of several rows is not counted. */
  rowsRejected: number;
  /** Rows accepted and not yet inserted (buffered plus in flight). */
  bufferedRows: number;
  /** Writers waiting for buffer space (backpressure). */
  waitingWrites: number;
  /** Size of the last successful batch. */
  lastBatchSize: number;
}

/**
 * Rows already encoded as JSONEachRow, one line or several joined by '\n' (no trailing newline), as a
 * {@link RowJournal} stores them: a writer with `encoded: true` inserts them as they are, without parsing
 * them again. A Buffer keeps the text off the V8 heap while it waits for its batch.
 */
export interface EncodedRow {
  readonly json: string | Buffer;
  /**
   * How many lines `json` holds; batch size, buffer bound and counters are in rows. A write of several
   * rows that ClickHouse refuses rejects as a whole: the caller finds the refused ones by writing the
   * lines one by one. @defaultValue `1`
   */
  readonly rows?: number;
}

/** Reported after each successful insert. */
export interface BatchFlushEvent {
  table: string;
  rows: number;
  /** From the first attempt to success, retries included. */
  durationMs: number;
  attempts: number;
}

/** Reported before each retry. */
export interface BatchRetryEvent {
  table: string;
  rows: number;
  attempt: number;
  delayMs: number;
  error: Error;
}

/** Metrics hooks; keep them cheap, they run on the write path. */
export interface BatchWriterHooks {
  onFlush?: (event: BatchFlushEvent) => void;
  onRetry?: (event: BatchRetryEvent) => void;
}

export interface BatchWriterOptions extends BatchWriterHooks {
  /** Table to insert into (in the client's database). */
  table: string;
  /** Most rows per insert statement. @defaultValue `5000` */
  maxBatchSize?: number;
  /**
   * Longest a row waits in the buffer before its batch is sent, in ms. ClickHouse wants few, large
   * inserts (each one writes a part that is merged later): at 20 ms the inserts of ≈ 1,000 alerts/s cost
   * it ≈ 1 ms of CPU per alert, at 200 ms 0.2–0.4 ms, at 1 s (the scoring role's `HUSH_SCORING_FLUSH_MS`)
   * about 0.06 ms (bench:pipeline). @defaultValue `200`
   */
  flushDelayMs?: number;
  /**
   * Rows accepted but not yet inserted; beyond this, `write` waits (backpressure). A write of several
   * encoded rows is let in while there is any room, so it can go past this by its own size. @defaultValue `100000`
   */
  maxBufferedRows?: number;
  /** One insert attempt is aborted (and retried) after this many ms. @defaultValue `10000` */
  exportTimeoutMs?: number;
  /** First retry delay, doubled per attempt (with jitter). @defaultValue `100` */
  retryInitialDelayMs?: number;
  /** Cap on the retry delay. @defaultValue `5000` */
  retryMaxDelayMs?: number;
  /** Logs retries (at most one warning per `retryMaxDelayMs`) and rejected rows. @defaultValue none */
  logger?: Logger;
  /** Rows are {@link EncodedRow}s, sent as they are. @defaultValue `false` */
  encoded?: boolean;
}

type ResolvedOptions = Required<Omit<BatchWriterOptions, 'logger' | 'onFlush' | 'onRetry' | 'encoded'>> & BatchWriterOptions;

const NEWLINE = Buffer.from('\n');

const DEFAULTS = {
  maxBatchSize: 5000,
  flushDelayMs: 200,
  maxBufferedRows: 100_000,
  exportTimeoutMs: 10_000,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 5000,
} as const;

interface Entry<Row> {
  row: Row;
  rows: number;
  seq: number;
  enqueuedAt: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

function checkOptions(o: ResolvedOptions): void {
  const fail = (option: string, rule: string, value: unknown): never => {
    throw new HushError('HUSH_ERR_CONFIG', `BatchWriter option ${option} must be ${rule}, got ${String(value)}`);
  };
  const positiveInt = (name: keyof typeof DEFAULTS): void => {
    const v = o[name];
    if (!Number.isInteger(v) || v < 1) fail(name, 'a positive integer', v);
  };
  if (typeof o.table !== 'string' || o.table.trim() === '') fail('table', 'a table name', o.table);
  positiveInt('maxBatchSize');
  positiveInt('maxBufferedRows');
  positiveInt('exportTimeoutMs');
  positiveInt('retryInitialDelayMs');
  positiveInt('retryMaxDelayMs');
  if (!Number.isFinite(o.flushDelayMs) || o.flushDelayMs < 0) fail('flushDelayMs', 'a number >= 0', o.flushDelayMs);
  if (o.maxBufferedRows < o.maxBatchSize) fail('maxBufferedRows', `>= maxBatchSize (${o.maxBatchSize})`, o.maxBufferedRows);
  if (o.retryMaxDelayMs < o.retryInitialDelayMs) fail('retryMaxDelayMs', `>= retryInitialDelayMs (${o.retryInitialDelayMs})`, o.retryMaxDelayMs);
}

/**
 * Batches rows into JSONEachRow inserts, after OpenTelemetry's BatchSpanProcessor, but never drops:
 * `write` resolves once its row is inserted (at-least-once; ReplacingMergeTree makes repeats
 * harmless), a full buffer makes `write` wait, and failed inserts are retried with capped backoff
 * for as long as the process lives. Rows ClickHouse refuses for their content are isolated by
 * splitting the batch, and only their `write` rejects (a write of several encoded rows as a whole).
 */
export class BatchWriter<Row extends object> {
  readonly options: Readonly<ResolvedOptions>;
  private readonly client: ClickHouseClient;
  private readonly buffer = new Fifo<Entry<Row>>();
  private readonly waiting = new Fifo<Entry<Row>>();
  /** Rows in `buffer` (an entry may hold several encoded rows). */
  private rowsInBuffer = 0;
  private inFlight = 0;
  private exporting = false;
  private timer: NodeJS.Timeout | undefined;
  private nextSeq = 0;
  private settledSeq = -1;
  private flushTargets: { seq: number; resolve: () => void }[] = [];
  private shutdownPromise: Promise<void> | undefined;
  private draining: Promise<void> = Promise.resolve();
  private abandoned: HushError | undefined;
  private readonly giveUp = new AbortController();
  private delaying = true;
  private lastRetryLog = 0;
  private readonly counters = { rowsWritten: 0, batches: 0, retries: 0, rowsRejected: 0, lastBatchSize: 0 };

  constructor(client: ClickHouseClient, options: BatchWriterOptions) {
    const resolved: ResolvedOptions = { ...DEFAULTS, ...options };
    checkOptions(resolved);
    this.client = client;
    this.options = resolved;
  }

  /** Resolves when the row (or every encoded row of it) is durably inserted; waits while the buffer is full. */
  write(row: Row): Promise<void> {
    if (this.abandoned) return Promise.reject(this.abandoned);
    if (this.shutdownPromise) {
      return Promise.reject(new HushError('HUSH_ERR_INTERNAL', `BatchWriter for ${this.options.table} is shut down`));
    }
    const rows = this.options.encoded ? ((row as EncodedRow).rows ?? 1) : 1;
    if (!Number.isInteger(rows) || rows < 1) {
      return Promise.reject(new HushError('HUSH_ERR_INTERNAL', `a write to BatchWriter for ${this.options.table} must hold a positive whole number of rows, got ${rows}`));
    }
    return new Promise<void>((resolve, reject) => {
      const entry: Entry<Row> = { row, rows, seq: this.nextSeq++, enqueuedAt: performance.now(), resolve, reject };
      if (this.waiting.length === 0 && this.bufferedRows < this.options.maxBufferedRows) this.pushBuffer(entry);
      else this.waiting.push(entry);
      this.schedule();
    });
  }

  /** Rows accepted and not yet inserted. */
  get bufferedRows(): number {
    return this.rowsInBuffer + this.inFlight;
  }

  /** True while new writes would wait for space; a worker may pause intake on it. */
  get full(): boolean {
    return this.waiting.length > 0 || this.bufferedRows >= this.options.maxBufferedRows;
  }

  /** A snapshot of the counters. */
  stats(): BatchWriterStats {
    return { ...this.counters, bufferedRows: this.bufferedRows, waitingWrites: this.waiting.length };
  }

  /** Sends everything written so far without waiting for the flush delay; resolves once it settled. */
  forceFlush(): Promise<void> {
    const target = this.nextSeq - 1;
    if (target <= this.settledSeq) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.flushTargets.push({ seq: target, resolve });
      this.schedule(true);
    });
  }

  /**
   * From now on sends each row as it comes, without the flush delay, and sends what is buffered now:
   * for a stopping worker whose jobs wait for their rows while it finishes them. Still takes writes.
   */
  stopDelaying(): Promise<void> {
    this.delaying = false;
    return this.forceFlush();
  }

  /** Refuses new writes, flushes everything (retrying as long as it takes, or until {@link abandon}) and waits. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.forceFlush()
      .then(() => this.draining)
      .then(() => this.clearTimer());
    return this.shutdownPromise;
  }

  /**
   * Gives up on every row not yet inserted, for a stop that cannot wait for ClickHouse any longer while
   * the rows are kept elsewhere (the row journal): their writes reject with `HUSH_ERR_UNAVAILABLE`, the
   * insert under way is aborted and not retried, and later writes are refused. Idempotent.
   */
  abandon(reason: string): void {
    if (this.abandoned) return;
    this.abandoned = new HushError('HUSH_ERR_UNAVAILABLE', `BatchWriter for ${this.options.table} gave up before ClickHouse took the row: ${reason}`);
    this.giveUp.abort(this.abandoned);
    this.clearTimer();
    for (const queue of [this.buffer, this.waiting]) {
      for (let entry = queue.shift(); entry; entry = queue.shift()) entry.reject(this.abandoned);
    }
    this.rowsInBuffer = 0;
    this.settle(this.nextSeq - 1);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(now = false): void {
    if (this.exporting || this.buffer.length === 0 || this.abandoned) return;
    const oldest = this.buffer.peek();
    const due = oldest ? oldest.enqueuedAt + this.options.flushDelayMs - performance.now() : 0;
    if (now || !this.delaying || this.flushTargets.length > 0 || this.rowsInBuffer >= this.options.maxBatchSize || due <= 0) {
      this.clearTimer();
      this.draining = this.drain();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule(true);
    }, due);
    // Like OpenTelemetry's processor, the delay alone never keeps the process alive; call shutdown().
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    this.exporting = true;
    try {
      while (this.buffer.length > 0) {
        const batch = this.takeBatch();
        this.inFlight = rowCount(batch);
        await this.exportBatch(batch);
        this.inFlight = 0;
        this.settle(batch[batch.length - 1]?.seq ?? this.settledSeq);
        this.admitWaiting();
        const oldest = this.buffer.peek();
        const due = oldest ? oldest.enqueuedAt + this.options.flushDelayMs - performance.now() : 0;
        if (this.rowsInBuffer < this.options.maxBatchSize && this.flushTargets.length === 0 && due > 0) break;
      }
    } finally {
      this.exporting = false;
    }
    this.schedule();
  }

  private pushBuffer(entry: Entry<Row>): void {
    this.buffer.push(entry);
    this.rowsInBuffer += entry.rows;
  }

  /** The oldest entries up to `maxBatchSize` rows (at least one entry, whatever its size). */
  private takeBatch(): Entry<Row>[] {
    const batch: Entry<Row>[] = [];
    let rows = 0;
    for (let next = this.buffer.peek(); next && (batch.length === 0 || rows + next.rows <= this.options.maxBatchSize); next = this.buffer.peek()) {
      this.buffer.shift();
      batch.push(next);
      rows += next.rows;
    }
    this.rowsInBuffer -= rows;
    return batch;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.bufferedRows < this.options.maxBufferedRows) {
      const entry = this.waiting.shift();
      if (entry) this.pushBuffer(entry);
    }
  }

  private settle(seq: number): void {
    this.settledSeq = Math.max(this.settledSeq, seq);
    if (this.flushTargets.length === 0) return;
    const done = this.flushTargets.filter((t) => t.seq <= this.settledSeq);
    this.flushTargets = this.flushTargets.filter((t) => t.seq > this.settledSeq);
    for (const target of done) target.resolve();
  }

  /** Inserts `batch`, retrying transient failures forever; splits it to isolate refused rows. */
  private async exportBatch(batch: Entry<Row>[]): Promise<void> {
    const started = performance.now();
    let delay = this.options.retryInitialDelayMs;
    for (let attempt = 1; ; attempt++) {
      if (this.abandoned) {
        for (const entry of batch) entry.reject(this.abandoned);
        return;
      }
      try {
        await this.insert(batch);
        const rows = rowCount(batch);
        this.counters.rowsWritten += rows;
        this.counters.batches += 1;
        this.counters.lastBatchSize = rows;
        for (const entry of batch) entry.resolve();
        this.options.onFlush?.({ table: this.options.table, rows, durationMs: performance.now() - started, attempts: attempt });
        return;
      } catch (thrown) {
        if (this.abandoned) continue;
        const error = coerceError(thrown);
        if (isRowDataError(error)) return this.isolateRefused(batch, error);
        // Full jitter keeps a fleet of writers from hammering a recovering server in lockstep.
        const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
        this.counters.retries += 1;
        const rows = rowCount(batch);
        this.options.onRetry?.({ table: this.options.table, rows, attempt, delayMs: wait, error });
        this.logRetry(rows, attempt, wait, error);
        await sleep(wait, undefined, { signal: this.giveUp.signal }).catch(() => undefined);
        delay = Math.min(delay * 2, this.options.retryMaxDelayMs);
      }
    }
  }

  private async insert(batch: readonly Entry<Row>[]): Promise<void> {
    const { table, exportTimeoutMs, encoded } = this.options;
    const abort_signal = AbortSignal.any([AbortSignal.timeout(exportTimeoutMs), this.giveUp.signal]);
    if (!encoded) {
      await this.client.insert({ table, values: batch.map((e) => e.row), format: 'JSONEachRow', abort_signal });
      return;
    }
    const lines = joinLines(batch.map((e) => (e.row as unknown as EncodedRow).json));
    // The query goes in the URL and the lines are the body, as `insert` sends its own encoding.
    const { stream } = await this.client.exec({ query: `INSERT INTO ${table} FORMAT JSONEachRow`, values: Readable.from([lines]), abort_signal });
    // Read to the end (it is empty), as `insert` does, so the connection is kept for the next insert.
    await drainStream(stream);
  }

  private async isolateRefused(batch: Entry<Row>[], error: Error): Promise<void> {
    if (batch.length === 1) {
      const entry = batch[0] as Entry<Row>;
      const reason = error.message.slice(0, 300);
      if (entry.rows > 1) {
        // Which of them is bad is for the caller to find, writing them one by one: counted and logged then.
        entry.reject(new HushError('HUSH_ERR_CLICKHOUSE', `ClickHouse refused ${entry.rows} rows written together for ${this.options.table}: ${reason}`, { cause: error }));
        return;
      }
      this.counters.rowsRejected += 1;
      this.options.logger?.error({ table: this.options.table, err: error }, 'ClickHouse refused a row');
      entry.reject(new HushError('HUSH_ERR_CLICKHOUSE', `ClickHouse refused a row for ${this.options.table}: ${reason}`, { cause: error }));
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await this.exportBatch(batch.slice(0, half));
    await this.exportBatch(batch.slice(half));
  }

  private logRetry(rows: number, attempt: number, delayMs: number, error: Error): void {
    const now = Date.now();
    if (!this.options.logger || now - this.lastRetryLog < this.options.retryMaxDelayMs) return;
    this.lastRetryLog = now;
    this.options.logger.warn({ table: this.options.table, rows, attempt, delayMs, err: error.message }, 'ClickHouse insert failed; retrying');
  }
}

function rowCount(batch: readonly Entry<object>[]): number {
  let rows = 0;
  for (const entry of batch) rows += entry.rows;
  return rows;
}

/** One JSONEachRow body; Buffers are copied off the V8 heap, strings alone are joined as before. */
function joinLines(lines: readonly (string | Buffer)[]): string | Buffer {
  if (lines.every((line) => typeof line === 'string')) return lines.join('\n');
  const parts: Buffer[] = [];
  for (const line of lines) {
    if (parts.length > 0) parts.push(NEWLINE);
    parts.push(typeof line === 'string' ? Buffer.from(line) : line);
  }
  return Buffer.concat(parts);
}
