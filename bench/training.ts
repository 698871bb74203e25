/**
 * Training benchmark: both model families on the same seeded 100k × 24 set, one thread each, as the
 * training worker runs them. Prints per family the training time, the ONNX-vs-predict agreement on a
 * 20k-row holdout and the holdout AUC; the last line is one JSON object.
 *
 *   npm run bench:training [-- --rows N] [--trees T] [--epochs E] [--label-noise R]
 *
 * `--label-noise` trains the trees with the loss corrected for that share of flipped labels, as a
 * retraining does with the tenant's estimate (default 0, plain log-loss).
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { OnnxModel } from '../shared/onnx/onnx-model.js';
import { rocAuc } from '../workers/training/holdout-metrics.js';
import type { ModelFamily, TrainingSet } from '../workers/training/trainer.js';
import { BENCH_FEATURES as N_FEATURES, benchTrainingSet, fullRunParams, timeTraining } from './training/training-speed.js';

const HOLDOUT_ROWS = 20_000;

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, trees: { type: 'string', default: '300' }, epochs: { type: 'string', default: '40' }, 'label-noise': { type: 'string', default: '0' } } });
const nRows = Number(values.rows);
const all = benchTrainingSet(nRows + HOLDOUT_ROWS);
const train: TrainingSet = { ...all, nRows, features: all.features.subarray(0, nRows * N_FEATURES), labels: all.labels.subarray(0, nRows) };
const holdout = all.features.subarray(nRows * N_FEATURES);
const holdoutLabels = all.labels.subarray(nRows);
const params: Record<ModelFamily, Record<string, number>> = {
  gbdt: fullRunParams('gbdt', { n_estimators: Number(values.trees), label_noise: Number(values['label-noise']) }),
  mlp: fullRunParams('mlp', { epochs: Number(values.epochs) }),
};

const results: Record<string, unknown> = {};
for (const family of ['gbdt', 'mlp'] as const) {
  process.stderr.write(`training ${family} on ${nRows} rows × ${N_FEATURES} features…\n`);
  const { model, seconds: trainSeconds } = await timeTraining(family, train, params[family]);
  const expected = model.predict(holdout, HOLDOUT_ROWS);
  const scorer = await OnnxModel.load(model.onnx, { id: 'bench', version: 1, featureSchemaVersion: 1, nFeatures: N_FEATURES });
  const scored = await scorer.score(Array.from({ length: HOLDOUT_ROWS }, (_, r) => holdout.subarray(r * N_FEATURES, (r + 1) * N_FEATURES)));
  await scorer.release();
  const maxError = scored.reduce((max, p, r) => Math.max(max, Math.abs(p - (expected[r] as number))), 0);
  const auc = rocAuc(expected, holdoutLabels);
  console.log(`${family.padEnd(5)} ${trainSeconds.toFixed(1).padStart(6)} s   artifact ${(model.onnx.length / 1024).toFixed(0).padStart(4)} KiB   max |onnx − predict| ${maxError.toExponential(2)}   holdout AUC ${auc.toFixed(3)}   params ${JSON.stringify(model.params)}`);
  results[family] = { train_seconds: Math.round(trainSeconds * 100) / 100, max_abs_error: maxError, holdout_auc: Math.round(auc * 1000) / 1000 };
}
console.log(JSON.stringify({ rows: nRows, features: N_FEATURES, ...results, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', load_avg_1m: os.loadavg()[0] } }));
