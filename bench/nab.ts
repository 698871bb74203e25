/**
 * NAB benchmark: runs the `hush-ensemble` detector online over a NAB corpus, one fresh instance per
 * series on one thread, scores it with Hush's exact NAB scorer on all three profiles, and measures
 * throughput (samples/s) and per-sample latency (p99). The `gaussian-tail` baseline is run beside it
 * in the same process as the reference. Prints a table; the last line is one JSON object.
 *
 *   npm run bench:nab [-- --corpus DIR] [--detector NAME]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { HushError } from '../shared/errors/index.js';
import { loadNabCorpus, readNabProfiles, scoreNabDetector, type NabCorpusFile, type NabProfileScore } from '../shared/nab/index.js';
import { detectorFactory } from '../workers/metrics/detectors/registry.js';

const DEFAULT_CORPUS = '/work/shared/data/nab';
const BASELINE = 'gaussian-tail';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, detector: { type: 'string', default: 'hush-ensemble' } } });
const corpusDir = values.corpus ?? (existsSync(DEFAULT_CORPUS) ? DEFAULT_CORPUS : undefined);
const WHERE = `bench:nab needs a NAB corpus: pass --corpus DIR, a checkout of https://github.com/numenta/NAB (or a copy in its
layout: DIR/data/<category>/<file>.csv, DIR/labels/combined_windows.json, DIR/config/profiles.json).`;
if (corpusDir === undefined) {
  console.error(`${WHERE}\nThe default, ${DEFAULT_CORPUS}, does not exist on this machine.`);
  process.exit(2);
}

const [corpus, profiles] = await Promise.all([
  loadNabCorpus(join(corpusDir, 'data'), join(corpusDir, 'labels', 'combined_windows.json')),
  readNabProfiles(join(corpusDir, 'config', 'profiles.json')),
]).catch((error: unknown) => {
  if (!(error instanceof HushError)) throw error;
  console.error(`${WHERE}\n${corpusDir}: ${error.message}`);
  process.exit(2);
});
const totalRows = corpus.reduce((sum, file) => sum + file.series.values.length, 0);

interface DetectorFigures {
  profiles: NabProfileScore[];
  samplesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Scores every row of every file with fresh detectors, untimed per sample, and returns the scores and the wall time. */
function scoreCorpus(name: string, files: readonly NabCorpusFile[]): { scores: Float64Array[]; seconds: number } {
  const create = detectorFactory(name);
  const started = performance.now();
  const scores = files.map(({ series }) => {
    const detector = create();
    const out = new Float64Array(series.values.length);
    for (let i = 0; i < out.length; i++) out[i] = detector.update(series.timestampsMs[i] as number, series.values[i] as number);
    return out;
  });
  return { scores, seconds: (performance.now() - started) / 1000 };
}

/** Per-sample latency over the whole corpus, each `update` timed on its own. */
function sampleLatencies(name: string, files: readonly NabCorpusFile[]): Float64Array {
  const create = detectorFactory(name);
  const latencies = new Float64Array(totalRows);
  let next = 0;
  for (const { series } of files) {
    const detector = create();
    for (let i = 0; i < series.values.length; i++) {
      const started = performance.now();
      detector.update(series.timestampsMs[i] as number, series.values[i] as number);
      latencies[next++] = performance.now() - started;
    }
  }
  return latencies.sort();
}

function measure(name: string): DetectorFigures {
  scoreCorpus(name, corpus); // warm-up: JIT and caches, as a long-running worker would have them
  const runs = [1, 2, 3].map(() => scoreCorpus(name, corpus));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const latencies = sampleLatencies(name, corpus);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  const results = corpus.map((file, i) => ({ path: file.series.path, windows: file.windows, scores: best.scores[i] as Float64Array }));
  return { profiles: scoreNabDetector(results, profiles), samplesPerSecond: totalRows / best.seconds, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies[latencies.length - 1] as number };
}

const detector = values.detector;
const figures = new Map<string, DetectorFigures>();
for (const name of detector === BASELINE ? [BASELINE] : [detector, BASELINE]) {
  process.stderr.write(`bench:nab: ${name} over ${corpus.length} files, ${totalRows} rows…\n`);
  figures.set(name, measure(name));
}

const normalised = (f: DetectorFigures, profile: string): number => f.profiles.find((p) => p.profile === profile)?.normalised ?? Number.NaN;
console.log(`NAB corpus ${corpusDir}: ${corpus.length} files, ${totalRows} rows, ${corpus.reduce((s, f) => s + f.windows.length, 0)} windows`);
console.log('detector        standard  low_FP  low_FN   samples/s  p50 µs  p99 µs  max ms');
for (const [name, f] of figures) {
  console.log(`${name.padEnd(14)} ${normalised(f, 'standard').toFixed(2).padStart(9)} ${normalised(f, 'reward_low_FP_rate').toFixed(2).padStart(7)} ${normalised(f, 'reward_low_FN_rate').toFixed(2).padStart(7)} ${Math.round(f.samplesPerSecond).toString().padStart(11)} ${(f.p50Ms * 1000).toFixed(1).padStart(7)} ${(f.p99Ms * 1000).toFixed(1).padStart(7)} ${f.maxMs.toFixed(2).padStart(7)}`);
}
const main = figures.get(detector) as DetectorFigures;
for (const p of main.profiles) {
  console.log(`  ${detector} ${p.profile}: threshold ${p.threshold.toFixed(4)}, windows hit ${p.windowsDetected}, missed ${p.windowsMissed}, false-positive rows ${p.falsePositives}`);
}
const baseline = figures.get(BASELINE) as DetectorFigures;
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
console.log(JSON.stringify({
  detector,
  nab_standard: round(normalised(main, 'standard'), 2),
  nab_low_fp: round(normalised(main, 'reward_low_FP_rate'), 2),
  nab_low_fn: round(normalised(main, 'reward_low_FN_rate'), 2),
  samples_per_s: Math.round(main.samplesPerSecond),
  sample_p99_ms: round(main.p99Ms, 4),
  sample_max_ms: round(main.maxMs, 3),
  thresholds: Object.fromEntries(main.profiles.map((p) => [p.profile, p.threshold])),
  files: corpus.length,
  rows: totalRows,
  baseline: { detector: BASELINE, nab_standard: round(normalised(baseline, 'standard'), 2), samples_per_s: Math.round(baseline.samplesPerSecond) },
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', load_avg_1m: round(os.loadavg()[0] ?? 0, 2) },
}));
