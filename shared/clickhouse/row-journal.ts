import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { Coalescer } from '../batching/coalescer.js';

/** Options of {@link RowJournal}. */
export interface RowJournalOptions {
  /** The Redis stream that holds the rows (`journalKey`). */
  key: string;
  /**
   * Bytes of Redis memory the stream may take before appends wait for a {@link JournalDrain} to insert
   * and remove entries (backpressure while ClickHouse is down). @defaultValue `1073741824` (1 GiB)
   */
  maxBytes?: number;
  /** How often the stream's size is measured (`MEMORY USAGE`), in ms, while appending or waiting. @defaultValue `100` */
  checkEveryMs?: number;
}

interface StagedRow {
  table: string;
  line: string;
}

/** `MEMORY USAGE` samples this many stream nodes: an estimate in O(1) instead of a walk of the stream. */
const SIZE_SAMPLES = 5;

/** The Redis memory a journal's stream takes, estimated (0 when it does not exist). */
export async function journalBytes(redis: Redis, key: string): Promise<number> {
  return Number((await redis.memory('USAGE', key, 'SAMPLES', SIZE_SAMPLES)) ?? 0);
}

/** The Redis stream of a deployment's journal (its queue prefix keeps tests and benchmarks apart). */
export function journalKey(prefix: string, name: string): string {
  return `${prefix}:journal:${name}`;
}

/**
 * Stages ClickHouse rows durably in a Redis stream, where a {@link JournalDrain} batches them into
 * inserts. A write resolves once its row is in Redis, under a millisecond instead of a ClickHouse batch
 * interval: the scoring role completes a job as soon as its decision is durable, without holding
 * thousands of jobs while ClickHouse batches. The writes of one event-loop turn are one `XADD`, its
 * fields a table name and that table's JSONEachRow lines.
 */
export class RowJournal {
  private readonly maxBytes: number;
  private readonly checkEveryMs: number;
  private readonly append: Coalescer<StagedRow, void>;
  private overLimit = false;
  private lastCheck = -Infinity;
  private room: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly options: RowJournalOptions,
  ) {
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
    this.checkEveryMs = options.checkEveryMs ?? 100;
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < 1) {
      throw new HushError('HUSH_ERR_CONFIG', `RowJournal option maxBytes must be a positive integer, got ${String(options.maxBytes)}`);
    }
    // A failed merged append is repeated per caller: a repeated row is harmless (ReplacingMergeTree).
    this.append = new Coalescer((rows: readonly StagedRow[]) => this.appendEntry(rows), { maxBatchSize: 5000 });
  }

  /** True while the stream holds `maxBytes` or more (as last measured): appends wait for the drain. */
  get full(): boolean {
    return this.overLimit;
  }

  /** A sink for one table: `write` resolves once its row is staged in Redis, `writeAll` once all of its rows are. */
  sink<Row extends object>(table: string): { write(row: Row): Promise<void>; writeAll(rows: readonly Row[]): Promise<void> } {
    return {
      write: (row: Row): Promise<void> => this.stage(table, [row]),
      writeAll: (rows: readonly Row[]): Promise<void> => this.stage(table, rows),
    };
  }

  // One submission per call, not per row: the coalescer's promise, callbacks and result slice are per caller.
  private async stage(table: string, rows: readonly object[]): Promise<void> {
    if (this.overLimit) await (this.room ??= this.waitForRoom().finally(() => (this.room = null)));
    const staged = new Array<StagedRow>(rows.length);
    for (let i = 0; i < rows.length; i++) staged[i] = { table, line: JSON.stringify(rows[i]) };
    await this.append.submit(staged);
  }

  private async appendEntry(rows: readonly StagedRow[]): Promise<void[]> {
    const byTable = new Map<string, string[]>();
    for (const { table, line } of rows) {
      const lines = byTable.get(table);
      if (lines) lines.push(line);
      else byTable.set(table, [line]);
    }
    const fields: (string | Buffer)[] = [];
    for (const [table, lines] of byTable) fields.push(table, joinLines(lines));
    const check = performance.now() - this.lastCheck >= this.checkEveryMs;
    if (check) this.lastCheck = performance.now();
    const pipeline = this.redis.pipeline().xadd(this.options.key, '*', ...fields);
    if (check) pipeline.memory('USAGE', this.options.key, 'SAMPLES', SIZE_SAMPLES);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new HushError('HUSH_ERR_INTERNAL', `the append to ${this.options.key} was discarded`);
    if (check) this.overLimit = Number(results[1]?.[1]) >= this.maxBytes;
    return rows.map(() => undefined);
  }

  private async waitForRoom(): Promise<void> {
    while (this.overLimit) {
      await new Promise((resolve) => setTimeout(resolve, this.checkEveryMs));
      this.overLimit = (await journalBytes(this.redis, this.options.key)) >= this.maxBytes;
    }
  }
}

/**
 * The lines joined by '\n', encoded straight into a Buffer: ioredis copies a Buffer argument into the
 * command as bytes, where a joined string and the command text built from it are two more copies on the V8 heap.
 */
function joinLines(lines: readonly string[]): Buffer {
  let size = lines.length - 1;
  for (const line of lines) size += Buffer.byteLength(line);
  const joined = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) joined[at++] = 0x0a;
    at += joined.write(lines[i] as string, at);
  }
  return joined;
}
