import { HushError } from '../errors/index.js';
import type { NabWindowLimits } from './nab-labels.js';
import { parseNabTimestamp } from './nab-timestamp.js';

/** An anomaly window as row indices of its file, both inclusive. */
export interface NabWindow {
  start: number;
  end: number;
}

/**
 * Places each window on the rows of a file. Like NAB, both limits must be timestamps of the file: a
 * window opens at the first row carrying its start (after the previous window) and closes at the first
 * row after that carrying its end, which also settles duplicated timestamps the way NAB does.
 */
export function resolveNabWindows(path: string, timestampsMs: readonly number[], limits: readonly NabWindowLimits[]): NabWindow[] {
  const parsed = limits.map(([start, end]) => {
    const startMs = parseNabTimestamp(start);
    const endMs = parseNabTimestamp(end);
    if (startMs === undefined || endMs === undefined || endMs < startMs) {
      throw new HushError('HUSH_ERR_VALIDATION', `${path}: window ["${start}", "${end}"] is not a pair of ordered timestamps`);
    }
    return { start, end, startMs, endMs };
  }).sort((a, b) => a.startMs - b.startMs);

  const windows: NabWindow[] = [];
  let from = 0;
  for (const limit of parsed) {
    const start = timestampsMs.indexOf(limit.startMs, from);
    const end = start < 0 ? -1 : timestampsMs.indexOf(limit.endMs, start);
    if (start < 0 || end < 0) {
      throw new HushError('HUSH_ERR_VALIDATION', `${path}: window ["${limit.start}", "${limit.end}"] must start and end on timestamps of the file, after any earlier window`);
    }
    windows.push({ start, end });
    from = end + 1;
  }
  return windows;
}
