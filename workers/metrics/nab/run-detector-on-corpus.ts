import { HushError } from '../../../shared/errors/index.js';
import { listNabDataFiles, nabResultPath, readNabSeries, writeNabResultFile, type NabSeries } from '../../../shared/nab/index.js';
import type { StreamingDetectorFactory } from '../detectors/detector.js';

/** What `runDetectorOnNabCorpus` runs, over which corpus, and where it writes. */
export interface NabRunOptions {
  /** The NAB `data/` directory: `<category>/<file>.csv` with columns `timestamp,value`. */
  dataDir: string;
  /** Results root; files go to `<outDir>/<detector>/<category>/<detector>_<file>.csv`. */
  outDir: string;
  /** Names the results (NAB splits result names on `_`, so none in it). */
  detector: string;
  create: StreamingDetectorFactory;
  onFile?: (progress: { path: string; done: number; total: number }) => void;
}

/** Runs a fresh detector over every file of a NAB corpus, row by row in file order, and writes its result files. */
export async function runDetectorOnNabCorpus(options: NabRunOptions): Promise<{ files: number; rows: number }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(options.detector)) {
    throw new HushError('HUSH_ERR_VALIDATION', `detector name "${options.detector}" must be letters, digits, '.' and '-' only`);
  }
  const paths = await listNabDataFiles(options.dataDir);
  let rows = 0;
  for (const [index, path] of paths.entries()) {
    const series = await readNabSeries(options.dataDir, path);
    const scores = runSeries(series, options);
    await writeNabResultFile(nabResultPath(options.outDir, options.detector, path), series, scores);
    rows += scores.length;
    options.onFile?.({ path, done: index + 1, total: paths.length });
  }
  return { files: paths.length, rows };
}

function runSeries(series: NabSeries, options: NabRunOptions): Float64Array {
  const detector = options.create();
  const scores = new Float64Array(series.values.length);
  for (let i = 0; i < scores.length; i++) {
    const score = detector.update(series.timestampsMs[i] as number, series.values[i] as number);
    if (!(score >= 0 && score <= 1)) {
      throw new HushError('HUSH_ERR_INTERNAL', `detector "${options.detector}" scored row ${i + 2} of ${series.path} as ${score}, outside [0, 1]`);
    }
    scores[i] = score;
  }
  return scores;
}
