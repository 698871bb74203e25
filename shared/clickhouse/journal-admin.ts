import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { fieldPairs, journalConsumers, refusedKey, type JournalConsumer } from './journal-drain.js';
import { journalBytes } from './row-journal.js';

/** What a row journal holds, for `hush journal`. */
export interface JournalStatus {
  key: string;
  /** Entries in the stream: staged, read or not. */
  entries: number;
  /** Redis memory of the stream (sampled estimate). */
  bytes: number;
  /** Age of the oldest entry in ms (null: empty). */
  oldestAgeMs: number | null;
  consumers: JournalConsumer[];
  /** Rows ClickHouse refused (or no table takes), kept in the refused stream. */
  refused: number;
}

/** A row set aside by a drain, with why. */
export interface RefusedRow {
  /** Its id in the refused stream. */
  id: string;
  /** When it was set aside (epoch ms). */
  at: number;
  table: string;
  /** The JSONEachRow line. */
  row: string;
  reason: string;
  /** The journal entry it came from. */
  entry: string;
}

/** The epoch ms of a stream id (`<ms>-<seq>`). */
function idTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/** The journal's backlog, its drains' unacknowledged entries and its refused rows. */
export async function journalStatus(redis: Redis, key: string, now: number = Date.now()): Promise<JournalStatus> {
  const [entries, bytes, oldest, refused] = await Promise.all([redis.xlen(key), journalBytes(redis, key), redis.xrange(key, '-', '+', 'COUNT', 1), redis.xlen(refusedKey(key))]);
  const first = oldest[0];
  return { key, entries, bytes, oldestAgeMs: first ? Math.max(0, now - idTime(first[0])) : null, consumers: await journalConsumers(redis, key), refused };
}

/** The oldest `limit` refused rows. */
export async function listRefused(redis: Redis, key: string, limit: number): Promise<RefusedRow[]> {
  const entries = await redis.xrange(refusedKey(key), '-', '+', 'COUNT', limit);
  return entries.map(([id, fields]) => {
    const f = fieldPairs(fields);
    return { id, at: idTime(id), table: f.get('table') ?? '', row: f.get('row') ?? '', reason: f.get('reason') ?? '', entry: f.get('entry') ?? '' };
  });
}

/**
 * Puts the oldest `limit` refused rows back into the journal, where the drains insert them again (after
 * the cause was fixed: a migration, a writer for the table). Each row moves in one MULTI (staged, then
 * removed from the refused stream), so none is lost or doubled; a row refused again comes back to the
 * refused stream. Resolves with the number of rows moved.
 */
export async function retryRefused(redis: Redis, key: string, limit: number): Promise<number> {
  const rows = await listRefused(redis, key, limit);
  for (const row of rows) {
    const results = await redis.multi().xadd(key, '*', row.table, row.row).xdel(refusedKey(key), row.id).exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw new HushError('HUSH_ERR_UNAVAILABLE', `moving refused row ${row.id} back into ${key} failed${failed ? `: ${failed.message}` : ''}`);
  }
  return rows.length;
}

/** Deletes the oldest `limit` refused rows for good. Resolves with the number deleted. */
export async function dropRefused(redis: Redis, key: string, limit: number): Promise<number> {
  const rows = await listRefused(redis, key, limit);
  if (rows.length === 0) return 0;
  return redis.xdel(refusedKey(key), ...rows.map((row) => row.id));
}
