import { DETECTORS, detectorFactory } from '../../workers/metrics/detectors/registry.js';
import { runDetectorOnNabCorpus } from '../../workers/metrics/nab/run-detector-on-corpus.js';
import { requireOutputDirectory } from '../command-args.js';
import { nabPath, nabUsageError, parseNabArgs } from './nab-paths.js';

/** Usage of `hush nab run`. */
export const NAB_RUN_USAGE = `hush nab run (--data DIR | --corpus DIR) --out DIR --detector NAME [--quiet]

  --data DIR      NAB data directory: <category>/<file>.csv with columns timestamp,value
  --corpus DIR    a NAB checkout or copy; its data/ is used
  --out DIR       results root; writes <out>/<NAME>/<category>/<NAME>_<file>.csv (timestamp,anomaly_score)
  --detector NAME one of: ${Object.entries(DETECTORS).map(([name, { summary }]) => `${name} (${summary})`).join('; ')}
  --quiet         no progress on stderr`;

/** `hush nab run`: scores every row of every file of a NAB corpus online and writes NAB result files. */
export async function runNabRun(argv: string[]): Promise<number> {
  const values = parseNabArgs(argv, {
    data: { type: 'string' }, corpus: { type: 'string' }, out: { type: 'string' }, detector: { type: 'string' }, quiet: { type: 'boolean' },
  }, NAB_RUN_USAGE);
  const dataDir = nabPath(values, 'data', 'data', NAB_RUN_USAGE);
  if (typeof values.out !== 'string' || values.out === '') throw nabUsageError('--out DIR is required', NAB_RUN_USAGE);
  if (typeof values.detector !== 'string' || values.detector === '') throw nabUsageError('--detector NAME is required', NAB_RUN_USAGE);
  await requireOutputDirectory(values.out, '--out', NAB_RUN_USAGE);
  const started = performance.now();
  const { files, rows } = await runDetectorOnNabCorpus({
    dataDir,
    outDir: values.out,
    detector: values.detector,
    create: detectorFactory(values.detector),
    onFile: values.quiet ? undefined : ({ path, done, total }) => process.stderr.write(`nab run: ${done}/${total} ${path}\n`),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`wrote ${values.detector} scores for ${files} files (${rows} rows) under ${values.out} in ${seconds}s`);
  return 0;
}
