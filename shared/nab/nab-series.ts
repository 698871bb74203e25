import { join } from 'node:path';
import { HushError } from '../errors/index.js';
import { field, numberField, readCsvTable, type CsvTable } from './csv-table.js';
import { parseNabTimestamp } from './nab-timestamp.js';

/** One NAB data file, in row order. */
export interface NabSeries {
  /** Path relative to the data directory, `/`-separated: `realKnownCause/nyc_taxi.csv`. */
  path: string;
  /** The timestamps as written, so result files can echo them byte for byte. */
  timestamps: string[];
  timestampsMs: number[];
  values: number[];
}

/** Reads `<dataDir>/<path>` (columns `timestamp,value`). */
export async function readNabSeries(dataDir: string, path: string): Promise<NabSeries> {
  const table = await readCsvTable(join(dataDir, path), ['timestamp', 'value']);
  const timestampsMs = readTimestamps(table);
  const values = table.rows.map((_, i) => numberField(table, i, 'value'));
  return { path, timestamps: table.rows.map((_, i) => field(table, i, 'timestamp')), timestampsMs, values };
}

/** The `timestamp` column as epoch milliseconds, or a validation error naming file and line. */
export function readTimestamps(table: CsvTable): number[] {
  return table.rows.map((_, i) => {
    const raw = field(table, i, 'timestamp');
    const ms = parseNabTimestamp(raw);
    if (ms === undefined) throw new HushError('HUSH_ERR_VALIDATION', `${table.file}:${i + 2}: timestamp "${raw}" is not YYYY-MM-DD HH:MM:SS`);
    return ms;
  });
}
