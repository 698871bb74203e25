import { HushError } from '../errors/index.js';
import { listNabDataFiles } from './nab-corpus-files.js';
import { readNabLabels } from './nab-labels.js';
import { readNabSeries, type NabSeries } from './nab-series.js';
import { resolveNabWindows, type NabWindow } from './nab-windows.js';

/** A data file of a NAB corpus with its windows placed on its rows. */
export interface NabCorpusFile {
  series: NabSeries;
  windows: NabWindow[];
}

/** Reads every data file under `dataDir` and its windows from `labelsFile`; a data file without labels is an error. */
export async function loadNabCorpus(dataDir: string, labelsFile: string): Promise<NabCorpusFile[]> {
  // One after the other, so that with both missing the error always names the data directory first.
  const paths = await listNabDataFiles(dataDir);
  const labels = await readNabLabels(labelsFile);
  return Promise.all(paths.map(async (path) => {
    const limits = labels.get(path);
    if (!limits) throw new HushError('HUSH_ERR_VALIDATION', `${labelsFile} has no entry for data file "${path}" (use [] for a file without anomalies)`);
    const series = await readNabSeries(dataDir, path);
    return { series, windows: resolveNabWindows(path, series.timestampsMs, limits) };
  }));
}
