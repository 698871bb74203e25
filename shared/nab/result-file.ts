import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { HushError } from '../errors/index.js';
import { numberField, readCsvTable } from './csv-table.js';
import type { NabSeries } from './nab-series.js';
import { readTimestamps } from './nab-series.js';

/** Where NAB keeps a detector's scores for a data file: `<resultsDir>/<detector>/<category>/<detector>_<file>.csv`. */
export function nabResultPath(resultsDir: string, detector: string, dataPath: string): string {
  return join(resultsDir, detector, posix.dirname(dataPath), `${detector}_${posix.basename(dataPath)}`);
}

/**
 * Reads the `anomaly_score` column of a result file (other columns, such as NAB's `value` and `label`,
 * are ignored). It must have one row per row of the data file, with the same timestamps.
 */
export async function readNabResultScores(file: string, series: NabSeries): Promise<Float64Array> {
  const table = await readCsvTable(file, ['timestamp', 'anomaly_score']);
  if (table.rows.length !== series.values.length) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file} has ${table.rows.length} rows but data file ${series.path} has ${series.values.length}`);
  }
  const timestamps = readTimestamps(table);
  const scores = new Float64Array(table.rows.length);
  for (let i = 0; i < scores.length; i++) {
    if (timestamps[i] !== series.timestampsMs[i]) {
      throw new HushError('HUSH_ERR_VALIDATION', `${file}:${i + 2}: timestamp differs from row ${i + 2} of data file ${series.path} ("${series.timestamps[i]}")`);
    }
    const score = numberField(table, i, 'anomaly_score');
    if (score < 0 || score > 1) throw new HushError('HUSH_ERR_VALIDATION', `${file}:${i + 2}: anomaly_score ${score} is outside [0, 1]`);
    scores[i] = score;
  }
  return scores;
}

/** Writes a result file in the layout of NAB's published results: `timestamp,anomaly_score`, the data file's timestamps verbatim. */
export async function writeNabResultFile(file: string, series: NabSeries, scores: ArrayLike<number>): Promise<void> {
  const lines = ['timestamp,anomaly_score'];
  for (let i = 0; i < series.timestamps.length; i++) lines.push(`${series.timestamps[i]},${scores[i]}`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${lines.join('\n')}\n`);
}
