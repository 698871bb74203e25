import type { Redis } from 'ioredis';
import { HushError, coerceError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { watchRedis } from '../redis/outage-log.js';
import type { EncodedRow } from './batch-writer.js';

/** Where the drain inserts a table's rows: a BatchWriter with `encoded: true` (`write` resolves once the rows are inserted). */
export interface JournalTableWriter {
  write(row: EncodedRow): Promise<void>;
  /** True while new writes would wait for buffer space. */
  readonly full: boolean;
  /** Rejects every write not yet inserted and stops retrying (BatchWriter.abandon). */
  abandon(reason: string): void;
}

/** Options of {@link JournalDrain}. */
export interface JournalDrainOptions {
  /** Acknowledges and deletes entries; the drain reads on a duplicate of it (reads block). */
  redis: Redis;
  /** The journal's stream (`journalKey`). */
  key: string;
  /** This replica's name in the stream's consumer group (unique per process). */
  consumer: string;
  /** The writer of each table the journal holds rows for. */
  writers: ReadonlyMap<string, JournalTableWriter>;
  /**
   * Entries read by a consumer that has not acknowledged them for this long are taken over by another:
   * a killed replica's rows are inserted by the survivors or by its restart. A live consumer keeps its
   * own entries fresh while ClickHouse is down.
   */
  claimIdleMs: number;
  /** Entries per read. @defaultValue `500` */
  readCount?: number;
  /** Longest a read waits for new entries, in ms (also how long `stop` can take to notice). @defaultValue `1000` */
  blockMs?: number;
  /**
   * After a read that returned fewer than `readCount` entries, how long the drain lets the stream fill
   * before it reads again, in ms: a trickling stream is then read, inserted and acknowledged many entries
   * at a time, not one by one. Rows reach their BatchWriter up to this much later. @defaultValue `50`
   */
  gatherMs?: number;
  /** Also logs the outages of the drain's own reading connection, as connection `journal-reader`. */
  logger?: Logger;
}

/** Fields alternate a table name and that table's JSONEachRow lines, read as Buffers: the text stays off the V8 heap. */
type StreamEntry = [id: string, fields: Buffer[]];
type StreamReply = [id: Buffer, fields: Buffer[] | null][];

const NEWLINE = 0x0a;

/** The consumer group every drain of a journal joins. */
export const JOURNAL_GROUP = 'clickhouse';

/**
 * Deletes a consumer from the group only if it holds no unacknowledged entry, atomically: deleting one
 * that holds entries would drop them from the group's bookkeeping, and no one would insert them.
 * KEYS[1] stream; ARGV group, consumer. Returns 1 when deleted.
 */
const FORGET_IDLE_CONSUMER_LUA = `
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** The stream where rows ClickHouse refused (or that no table takes) are kept with the reason. */
export function refusedKey(key: string): string {
  return `${key}:refused`;
}

/** A Redis reply of alternating names and values (stream entry fields, `XINFO` records) as a map. */
export function fieldPairs(flat: readonly (string | number)[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), String(flat[i + 1]));
  return map;
}

/** A drain that has read entries of a journal (a member of its consumer group). */
export interface JournalConsumer {
  name: string;
  /** Entries it read and has not acknowledged. */
  pending: number;
  /** Since its last read or claim, in ms. */
  idleMs: number;
}

/** The members of a journal's consumer group (none before a drain created it). */
export async function journalConsumers(redis: Redis, key: string): Promise<JournalConsumer[]> {
  let reply: unknown;
  try {
    reply = await redis.xinfo('CONSUMERS', key, JOURNAL_GROUP);
  } catch (error) {
    if (/NOGROUP|no such key/i.test(coerceError(error).message)) return [];
    throw error;
  }
  return (reply as (string | number)[][]).map((flat) => {
    const info = fieldPairs(flat);
    return { name: info.get('name') ?? '', pending: Number(info.get('pending') ?? 0), idleMs: Number(info.get('idle') ?? 0) };
  });
}

/**
 * Moves a {@link RowJournal}'s rows into ClickHouse: reads the stream as a member of its consumer group,
 * hands each row to its table's BatchWriter, and acknowledges and deletes an entry once all its rows are
 * inserted. At-least-once: a replica killed between the insert and the acknowledgement leaves the entry
 * to be inserted again, which ReplacingMergeTree makes harmless. A row ClickHouse refuses is logged and
 * moved to the `refused` stream before its entry is deleted, never dropped silently.
 */
export class JournalDrain {
  private readonly reader: Redis;
  private readonly readCount: number;
  private readonly blockMs: number;
  private readonly gatherMs: number;
  /** Ends the current gathering pause early (stop, abandon). */
  private wake: (() => void) | undefined;
  private readonly inFlight = new Set<string>();
  private readonly batches = new Set<Promise<void>>();
  private stopping = false;
  private abandoned = false;
  /** Entries read and left unacknowledged once abandoned. */
  private readonly left: string[] = [];
  private loop: Promise<void> | null = null;
  private freshness: NodeJS.Timeout | undefined;

  constructor(private readonly options: JournalDrainOptions) {
    this.gatherMs = options.gatherMs ?? 50;
    if (!Number.isFinite(this.gatherMs) || this.gatherMs < 0) throw new HushError('HUSH_ERR_CONFIG', `JournalDrain option gatherMs must be a number >= 0, got ${this.gatherMs}`);
    this.readCount = options.readCount ?? 500;
    // Redis would refuse a COUNT below 1 or a fractional or negative BLOCK on every read, and the loop would retry forever.
    if (!Number.isInteger(this.readCount) || this.readCount < 1) throw new HushError('HUSH_ERR_CONFIG', `JournalDrain option readCount must be an integer >= 1, got ${this.readCount}`);
    this.blockMs = options.blockMs ?? 1000;
    if (!Number.isInteger(this.blockMs) || this.blockMs < 0) throw new HushError('HUSH_ERR_CONFIG', `JournalDrain option blockMs must be an integer >= 0, got ${this.blockMs}`);
    this.reader = options.redis.duplicate();
    if (options.logger !== undefined) watchRedis(this.reader, 'journal-reader', options.logger);
  }

  /** Starts draining; call once. */
  start(): void {
    // On a timer of its own: the reading loop waits while the writers are full (ClickHouse down).
    this.freshness ??= setInterval(() => void this.keepOwnFresh(), Math.max(1, Math.floor(this.options.claimIdleMs / 3)));
    this.loop ??= this.run();
  }

  /**
   * Stops reading once the stream has no entry left for this consumer, waits until everything read is
   * inserted and acknowledged, and closes the reading connection. After `graceMs` it gives up instead:
   * it abandons the writers' rows and reads no more, and the entries it holds stay unacknowledged for
   * another consumer (or this one's restart) to take over, marked idle for `claimIdleMs` so that the next
   * claim takes them at once. Resolves with the number of entries left so.
   * The writers stay open (abandoned ones refuse writes).
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<number> {
    this.stopping = true;
    this.wake?.();
    const timer = Number.isFinite(graceMs) ? setTimeout(() => this.abandon(graceMs), graceMs) : undefined;
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
    clearInterval(this.freshness);
    this.reader.disconnect();
    if (this.abandoned) await this.handOver();
    // A replica's consumer name dies with it (host and PID): leave no empty member behind.
    else await this.forgetConsumer(this.options.consumer).catch(() => undefined);
    return this.left.length;
  }

  /** Makes the entries left look idle for `claimIdleMs` already: a surviving drain's next claim takes them. */
  private async handOver(): Promise<void> {
    const { redis, key, consumer, claimIdleMs, logger } = this.options;
    if (this.left.length === 0) return;
    try {
      await redis.call('XCLAIM', key, JOURNAL_GROUP, consumer, 0, ...this.left, 'IDLE', claimIdleMs, 'JUSTID');
    } catch (error) {
      logger?.warn({ key, entries: this.left.length, err: coerceError(error) }, 'marking the journal entries left for takeover failed; they are taken over once idle for claimIdleMs');
    }
  }

  private abandon(graceMs: number): void {
    this.abandoned = true;
    this.wake?.();
    for (const writer of this.options.writers.values()) writer.abandon(`the journal drain stopped after ${graceMs} ms; its entries stay in ${this.options.key} for another consumer`);
  }

  private async run(): Promise<void> {
    let after: string | null = '0';
    let lastClaim = -Infinity;
    let groupReady = false;
    while (!this.abandoned) {
      try {
        if (!groupReady) groupReady = await this.createGroup();
        // What this consumer read before a restart under the same name comes first.
        if (after !== null) {
          const own = await this.read(after, false);
          const live = liveEntries(own);
          if (live.length > 0) this.insert(live);
          after = own.length > 0 ? (own[own.length - 1] as StreamReply[number])[0].toString() : null;
          continue;
        }
        await this.waitForWriters();
        if (performance.now() - lastClaim >= this.options.claimIdleMs / 2) {
          lastClaim = performance.now();
          await this.claimAbandoned();
        }
        const fresh = liveEntries(await this.read('>', !this.stopping));
        if (this.abandoned) this.left.push(...fresh.map(([id]) => id));
        else if (fresh.length > 0) this.insert(fresh);
        else if (this.stopping) break;
        if (fresh.length > 0 && fresh.length < this.readCount && !this.stopping) await this.gather();
      } catch (error) {
        // A deleted stream loses its group (NOGROUP): make both again and go on.
        groupReady = false;
        this.options.logger?.error({ key: this.options.key, err: coerceError(error) }, 'reading the ClickHouse journal failed; retrying in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (this.stopping && this.batches.size === 0) break;
      }
    }
    while (this.batches.size > 0) await Promise.all(this.batches);
  }

  private async createGroup(): Promise<true> {
    try {
      await this.options.redis.xgroup('CREATE', this.options.key, JOURNAL_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!coerceError(error).message.startsWith('BUSYGROUP')) throw error;
    }
    return true;
  }

  /** Entries after `after`; an own pending entry deleted meanwhile comes back with null fields. */
  private async read(after: string, block: boolean): Promise<StreamReply> {
    const { key, consumer } = this.options;
    const reply = block
      ? await this.reader.xreadgroupBuffer('GROUP', JOURNAL_GROUP, consumer, 'COUNT', this.readCount, 'BLOCK', this.blockMs, 'STREAMS', key, after)
      : await this.reader.xreadgroupBuffer('GROUP', JOURNAL_GROUP, consumer, 'COUNT', this.readCount, 'STREAMS', key, after);
    return (reply as [Buffer, StreamReply][] | null)?.[0]?.[1] ?? [];
  }

  /** Waits `gatherMs` for the stream to fill, or until `stop` or the grace's end. */
  private async gather(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.gatherMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async waitForWriters(): Promise<void> {
    while ([...this.options.writers.values()].some((writer) => writer.full)) {
      if (this.batches.size === 0) return;
      await Promise.race(this.batches);
    }
  }

  /** Resets the idle time of the entries this consumer is inserting, so no one takes them over. */
  private async keepOwnFresh(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const { redis, key, consumer, logger } = this.options;
    try {
      await redis.call('XCLAIM', key, JOURNAL_GROUP, consumer, 0, ...this.inFlight, 'JUSTID');
    } catch (error) {
      logger?.warn({ key, err: coerceError(error) }, 'refreshing journal entries in flight failed; another replica may insert them too');
    }
  }

  /** Takes over the entries other consumers read and left unacknowledged for `claimIdleMs`. */
  private async claimAbandoned(): Promise<void> {
    const { redis, key, consumer, claimIdleMs } = this.options;
    for (let cursor = '0-0'; ; ) {
      const [next, reply] = (await redis.callBuffer('XAUTOCLAIM', key, JOURNAL_GROUP, consumer, claimIdleMs, cursor, 'COUNT', this.readCount)) as [Buffer, (StreamReply[number] | null)[]];
      const claimed = liveEntries(reply).filter(([id]) => !this.inFlight.has(id));
      if (claimed.length > 0) {
        this.options.logger?.warn({ key, entries: claimed.length }, 'took over journal entries another scoring replica left unacknowledged');
        this.insert(claimed);
      }
      cursor = next.toString();
      if (cursor === '0-0') break;
    }
    await this.forgetGoneConsumers();
  }

  /**
   * Removes the members that hold nothing and have not read for twice `claimIdleMs`: replicas that are
   * gone (a live drain reads at least every `blockMs` + `gatherMs`, or holds entries it keeps fresh). A live one
   * removed by mistake comes back with its next read.
   */
  private async forgetGoneConsumers(): Promise<void> {
    for (const { name, pending, idleMs } of await journalConsumers(this.options.redis, this.options.key)) {
      if (name !== this.options.consumer && pending === 0 && idleMs >= 2 * this.options.claimIdleMs) await this.forgetConsumer(name);
    }
  }

  private async forgetConsumer(name: string): Promise<void> {
    await this.options.redis.eval(FORGET_IDLE_CONSUMER_LUA, 1, this.options.key, JOURNAL_GROUP, name);
  }

  private insert(entries: StreamEntry[]): void {
    const ids = entries.map(([id]) => id);
    for (const id of ids) this.inFlight.add(id);
    const batch = this.insertAndAcknowledge(entries, ids)
      .catch((error: unknown) => {
        // Left unacknowledged: taken over again (by this consumer too) once `claimIdleMs` idle.
        if (this.abandoned) {
          this.left.push(...ids);
          return;
        }
        this.options.logger?.error({ key: this.options.key, entries: ids.length, err: coerceError(error) }, 'inserting or acknowledging journal entries failed; they will be inserted again');
      })
      .finally(() => {
        this.batches.delete(batch);
        for (const id of ids) this.inFlight.delete(id);
      });
    this.batches.add(batch);
  }

  private async insertAndAcknowledge(entries: StreamEntry[], ids: string[]): Promise<void> {
    const { redis, key, writers } = this.options;
    const writes: Promise<void>[] = [];
    for (const [id, fields] of entries) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const table = (fields[i] as Buffer).toString();
        const lines = fields[i + 1] as Buffer;
        const writer = writers.get(table);
        if (writer) writes.push(this.insertLines(writer, id, table, lines));
        else for (const line of lines.toString().split('\n')) writes.push(this.refuse(id, table, line, `no ClickHouse table ${table} is written from this journal`));
      }
    }
    await Promise.all(writes);
    await redis
      .pipeline()
      .xack(key, JOURNAL_GROUP, ...ids)
      .xdel(key, ...ids)
      .exec();
  }

  /** One write for all of a field's lines; when ClickHouse refuses them, each line again on its own. */
  private async insertLines(writer: JournalTableWriter, id: string, table: string, lines: Buffer): Promise<void> {
    const rows = lineCount(lines);
    try {
      await writer.write({ json: lines, rows });
    } catch (thrown) {
      // Only a refused row is set aside; anything else leaves the entry to be inserted again.
      const error = coerceError(thrown);
      if (!(error instanceof HushError && error.code === 'HUSH_ERR_CLICKHOUSE')) throw error;
      if (rows === 1) return this.refuse(id, table, lines.toString(), error.message);
      await Promise.all(lines.toString().split('\n').map((line) => this.insertLine(writer, id, table, line)));
    }
  }

  private async insertLine(writer: JournalTableWriter, id: string, table: string, line: string): Promise<void> {
    try {
      await writer.write({ json: line });
    } catch (thrown) {
      const error = coerceError(thrown);
      if (error instanceof HushError && error.code === 'HUSH_ERR_CLICKHOUSE') return this.refuse(id, table, line, error.message);
      throw error;
    }
  }

  private async refuse(id: string, table: string, line: string, reason: string): Promise<void> {
    const { redis, key, logger } = this.options;
    logger?.error({ key, entry: id, table, reason }, 'a journal row was not inserted; kept in the refused stream');
    await redis.xadd(refusedKey(key), '*', 'table', table, 'row', line, 'reason', reason, 'entry', id);
  }
}

/** The live entries of a reply, ids as strings; an own pending entry deleted meanwhile (null fields) is left out. */
function liveEntries(reply: readonly (StreamReply[number] | null)[]): StreamEntry[] {
  const live: StreamEntry[] = [];
  for (const entry of reply) if (entry?.[1]) live.push([entry[0].toString(), entry[1]]);
  return live;
}

function lineCount(lines: Buffer): number {
  let count = 1;
  for (let at = lines.indexOf(NEWLINE); at !== -1; at = lines.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
