import { join } from 'node:path';
import { requireDirectory } from './nab-corpus-files.js';
import type { NabCorpusFile } from './nab-corpus.js';
import { nabResultPath, readNabResultScores } from './result-file.js';
import type { NabFileResult } from './score-detector.js';

/** Reads a detector's result file for every file of the corpus, ready for `scoreNabDetector`. */
export async function readNabDetectorResults(corpus: readonly NabCorpusFile[], resultsDir: string, detector: string): Promise<NabFileResult[]> {
  await requireDirectory(join(resultsDir, detector), `results directory of detector "${detector}"`);
  return Promise.all(corpus.map(async ({ series, windows }) => ({
    path: series.path,
    windows,
    scores: await readNabResultScores(nabResultPath(resultsDir, detector, series.path), series),
  })));
}
