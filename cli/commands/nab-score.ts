import { readdir } from 'node:fs/promises';
import {
  loadNabCorpus, readNabDetectorResults, readNabProfiles, requireDirectory, scoreNabDetector, type NabProfileScore,
} from '../../shared/nab/index.js';
import { nabPaths, nabUsageError, parseNabArgs } from './nab-paths.js';

/** Usage of `hush nab score`. */
export const NAB_SCORE_USAGE = `hush nab score (--corpus DIR | --data DIR --labels FILE --profiles FILE) --results DIR [--detector NAME]

  --corpus DIR      a NAB checkout or copy: DIR/data, DIR/labels/combined_windows.json, DIR/config/profiles.json
  --data DIR        NAB data directory (overrides the corpus's)
  --labels FILE     combined_windows.json (overrides the corpus's)
  --profiles FILE   profiles.json (overrides the corpus's)
  --results DIR     results root holding <NAME>/<category>/<NAME>_<file>.csv
  --detector NAME   which detector's results to score (default: the only one under --results)

Prints a table, then one JSON line: {"detector", <profile>: normalised score…, "thresholds": {<profile>: θ…}}.`;

/** `hush nab score`: scores a detector's result files exactly as NAB does, threshold optimised per profile. */
export async function runNabScore(argv: string[]): Promise<number> {
  const values = parseNabArgs(argv, {
    corpus: { type: 'string' }, data: { type: 'string' }, labels: { type: 'string' }, profiles: { type: 'string' },
    results: { type: 'string' }, detector: { type: 'string' },
  }, NAB_SCORE_USAGE);
  const paths = nabPaths(values, NAB_SCORE_USAGE);
  if (typeof values.results !== 'string' || values.results === '') throw nabUsageError('--results DIR is required', NAB_SCORE_USAGE);
  const detector = typeof values.detector === 'string' && values.detector !== '' ? values.detector : await onlyDetector(values.results);

  const [corpus, profiles] = await Promise.all([loadNabCorpus(paths.dataDir, paths.labelsFile), readNabProfiles(paths.profilesFile)]);
  const scores = scoreNabDetector(await readNabDetectorResults(corpus, values.results, detector), profiles);

  const windows = corpus.reduce((sum, file) => sum + file.windows.length, 0);
  const rows = corpus.reduce((sum, file) => sum + file.series.values.length, 0);
  console.log(`NAB scores of "${detector}": ${corpus.length} files, ${windows} windows, ${rows} rows`);
  for (const line of table(scores)) console.log(line);
  console.log(JSON.stringify({
    detector,
    ...Object.fromEntries(scores.map((s) => [s.profile, s.normalised])),
    thresholds: Object.fromEntries(scores.map((s) => [s.profile, s.threshold])),
  }));
  return 0;
}

async function onlyDetector(resultsDir: string): Promise<string> {
  await requireDirectory(resultsDir, 'results directory');
  const detectors = (await readdir(resultsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (detectors.length !== 1) {
    throw nabUsageError(`--detector NAME is required: ${resultsDir} holds ${detectors.length === 0 ? 'no detector directories' : detectors.join(', ')}`, NAB_SCORE_USAGE);
  }
  return detectors[0] as string;
}

function table(scores: readonly NabProfileScore[]): string[] {
  const header = ['profile', 'threshold', 'raw', 'null', 'perfect', 'hit', 'missed', 'FP rows', 'NAB score'];
  const body = scores.map((s) => [
    s.profile, s.threshold.toFixed(6), s.score.toFixed(3), s.nullScore.toFixed(3), s.perfectScore.toFixed(3),
    String(s.windowsDetected), String(s.windowsMissed), String(s.falsePositives), s.normalised.toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => (row[column] as string).length)));
  const format = (row: string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [format(header), ...body.map(format)];
}
