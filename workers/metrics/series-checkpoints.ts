import type { Redis } from 'ioredis';
import { HushError } from '../../shared/errors/index.js';
import type { PartitionLease } from './partition-leases.js';

/** What survives a worker restart for one series: the detector's snapshot and the last timestamp it was fed. */
export interface SeriesCheckpoint {
  /** Registry name of the detector the snapshot belongs to. */
  detector: string;
  /** Epoch ms of the last sample fed; a sample at or before it is a replay (or late) and is skipped. */
  lastTimestamp: number;
  snapshot: unknown;
}

/** A series, by tenant (every Redis key is tenant-scoped) and series key. */
export interface SeriesRef {
  tenant: string;
  seriesKey: string;
}

// Fenced write: the checkpoints land only while the partition lease still holds this token, so a
// replica that lost its partition (paused, partitioned away) can never overwrite its successor's state.
const COMMIT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[i]) end
return 1`;

/** Per-series detector checkpoints in Redis, `<prefix>:metrics:<tenant>:series:<series key>`. */
export class SeriesCheckpoints {
  constructor(private readonly options: { redis: Redis; prefix: string }) {}

  keyOf(series: SeriesRef): string {
    return `${this.options.prefix}:metrics:${series.tenant}:series:${series.seriesKey}`;
  }

  /** The stored checkpoints, null where a series has none yet. */
  async load(series: readonly SeriesRef[]): Promise<(SeriesCheckpoint | null)[]> {
    if (series.length === 0) return [];
    const values = await this.options.redis.mget(series.map((s) => this.keyOf(s)));
    return values.map((value, index) => (value === null ? null : parseCheckpoint(value, this.keyOf(series[index] as SeriesRef))));
  }

  /**
   * Writes every checkpoint of a batch in one atomic step, if `lease` is still held.
   * @returns false when the lease was lost (nothing written)
   */
  async commit(lease: PartitionLease, entries: readonly { series: SeriesRef; checkpoint: SeriesCheckpoint }[]): Promise<boolean> {
    if (entries.length === 0) return true;
    const keys = [lease.key, ...entries.map((e) => this.keyOf(e.series))];
    const values = [lease.token, ...entries.map((e) => JSON.stringify(e.checkpoint))];
    return (await this.options.redis.eval(COMMIT, keys.length, ...keys, ...values)) === 1;
  }
}

function parseCheckpoint(text: string, key: string): SeriesCheckpoint {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null && 'detector' in value && 'lastTimestamp' in value && 'snapshot' in value) {
    const { detector, lastTimestamp, snapshot } = value;
    if (typeof detector === 'string' && typeof lastTimestamp === 'number') return { detector, lastTimestamp, snapshot };
  }
  throw new HushError('HUSH_ERR_INTERNAL', `the checkpoint at Redis key ${key} is not a metrics series checkpoint; delete the key to restart that series' detector`);
}
