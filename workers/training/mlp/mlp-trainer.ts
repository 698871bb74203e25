import * as tf from '@tensorflow/tfjs';
import { HushError } from '../../../shared/errors/index.js';
import { checkTrainingSet } from '../check-training-set.js';
import { seededRandom, shuffleInPlace } from '../seeded-random.js';
import { stratifiedSplit } from '../stratified-split.js';
import type { Trainer, TrainingProgress, TrainingSet } from '../trainer.js';
import { checkFiniteFeatures, fitStandardisation, gatherRows, positiveClassWeight, type MlpRows } from './mlp-dataset.js';
import { MlpModel } from './mlp-model.js';
import { MlpVariables, type DenseWeights } from './mlp-network.js';
import { resolveMlpParams, type MlpParams } from './mlp-params.js';
import { selectTfBackend, type TfBackendPreference } from './tf-backend.js';

/** Options of {@link MlpTrainer}. */
export interface MlpTrainerOptions {
  /** tfjs backend to train on; `auto` prefers native TensorFlow, then wasm, then cpu. @defaultValue 'auto' */
  readonly backend?: TfBackendPreference;
}

const DEFAULT_OPTIONS: Required<MlpTrainerOptions> = { backend: 'auto' };
const BACKENDS: readonly TfBackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

// Rows per validation-loss pass: bounds the tensors alive at once.
const EVAL_CHUNK_ROWS = 16_384;
// Training yields this often so a training worker keeps renewing its job lock and writing progress.
const YIELD_EVERY_MS = 25;
// A validation loss must beat the best by this much to count as better (float32 noise otherwise resets patience).
const MIN_IMPROVEMENT = 1e-6;

/**
 * The neural-network family (DESIGN §6): standardisation → Dense(hidden1, ReLU) → Dense(hidden2, ReLU) →
 * Dense(1, sigmoid), trained with Adam on class-weighted binary cross-entropy, with early stopping on a
 * stratified held-out split. One seed gives one model on a given backend.
 */
export class MlpTrainer implements Trainer {
  readonly family = 'mlp' as const;
  private readonly options: Required<MlpTrainerOptions>;

  constructor(options: MlpTrainerOptions = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    if (!BACKENDS.includes(this.options.backend)) {
      throw new HushError('HUSH_ERR_VALIDATION', `backend: must be one of ${BACKENDS.join(', ')}, got ${String(this.options.backend)}`);
    }
  }

  async train(
    set: TrainingSet,
    params: Readonly<Record<string, number>>,
    onProgress?: (progress: TrainingProgress) => void,
  ): Promise<MlpModel> {
    const p = resolveMlpParams(params);
    checkTrainingSet(set);
    checkFiniteFeatures(set);
    const backend = await selectTfBackend(this.options.backend);

    const random = seededRandom(p.seed);
    const split = stratifiedSplit(set.labels, p.validation_fraction, random);
    const standardisation = fitStandardisation(set, split.train);
    const positiveWeight = positiveClassWeight(set, split.train, p.pos_weight);
    const train = gatherRows(set, split.train, standardisation, positiveWeight);
    const validation = split.validation.length > 0 ? gatherRows(set, split.validation, standardisation, positiveWeight) : null;

    const network = MlpVariables.create([set.nFeatures, p.hidden1, p.hidden2, 1], p.seed);
    const optimizer = tf.train.adam(p.learning_rate);
    try {
      const run = await runEpochs(network, optimizer, train, validation, p, random, onProgress);
      return new MlpModel({ standardisation, layers: run.layers }, { ...p }, { backend, ...run.summary });
    } finally {
      optimizer.dispose();
      network.dispose();
    }
  }
}

interface EpochsResult {
  readonly layers: DenseWeights[];
  readonly summary: { epochsRun: number; bestEpoch: number; validationLoss: number | null };
}

async function runEpochs(
  network: MlpVariables,
  optimizer: tf.Optimizer,
  train: MlpRows,
  validation: MlpRows | null,
  p: MlpParams,
  random: () => number,
  onProgress: ((progress: TrainingProgress) => void) | undefined,
): Promise<EpochsResult> {
  const order = Uint32Array.from({ length: train.nRows }, (_, i) => i);
  let best: { epoch: number; loss: number; layers: DenseWeights[] } | null = null;
  let epoch = 0;
  while (epoch < p.epochs) {
    epoch += 1;
    shuffleInPlace(order, random);
    let lastYield = performance.now();
    for (let start = 0; start < train.nRows; start += p.batch_size) {
      const batch = order.subarray(start, Math.min(start + p.batch_size, train.nRows));
      trainStep(network, optimizer, train, batch, p.l2);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    let stage = `epoch ${epoch}/${p.epochs}`;
    let stop = false;
    if (validation !== null) {
      const loss = weightedLoss(network, validation);
      stage += ` (validation loss ${loss.toFixed(4)})`;
      if (best === null || loss < best.loss - MIN_IMPROVEMENT) best = { epoch, loss, layers: network.read() };
      stop = p.patience > 0 && epoch - best.epoch >= p.patience;
      if (stop) stage += `, stopped: no better loss since epoch ${best.epoch}`;
    }
    onProgress?.({ fraction: stop ? 1 : epoch / p.epochs, stage });
    if (stop) break;
  }
  const kept = best ?? { epoch, loss: null, layers: network.read() };
  return { layers: kept.layers, summary: { epochsRun: epoch, bestEpoch: kept.epoch, validationLoss: kept.loss } };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function trainStep(network: MlpVariables, optimizer: tf.Optimizer, rows: MlpRows, batch: Uint32Array, l2: number): void {
  const nFeatures = rows.features.length / rows.nRows;
  const x = new Float32Array(batch.length * nFeatures);
  const y = new Float32Array(batch.length);
  const w = new Float32Array(batch.length);
  batch.forEach((row, i) => {
    x.set(rows.features.subarray(row * nFeatures, (row + 1) * nFeatures), i * nFeatures);
    y[i] = rows.targets[row] as number;
    w[i] = rows.weights[row] as number;
  });
  tf.tidy(() => {
    const xs = tf.tensor2d(x, [batch.length, nFeatures]);
    const ys = tf.tensor2d(y, [batch.length, 1]);
    const ws = tf.tensor2d(w, [batch.length, 1]);
    const totalWeight = Math.max(w.reduce((sum, v) => sum + v, 0), Number.MIN_VALUE);
    optimizer.minimize(
      () => {
        const data = tf.div(tf.sum(tf.mul(ws, crossEntropy(network.logits(xs), ys))), totalWeight);
        return (l2 > 0 ? tf.add(data, tf.mul(network.kernelSquares(), l2)) : data) as tf.Scalar;
      },
      false,
      network.trainable,
    );
  });
}

/** Binary cross-entropy from logits, stable for any z: softplus(z) − z·y = −y·log σ(z) − (1−y)·log(1−σ(z)). */
function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(tf.softplus(logits), tf.mul(logits, targets));
}

/** Σ weight·cross-entropy ÷ Σ weight over all rows, in chunks. */
function weightedLoss(network: MlpVariables, rows: MlpRows): number {
  const nFeatures = rows.features.length / rows.nRows;
  let sum = 0;
  let totalWeight = 0;
  for (let start = 0; start < rows.nRows; start += EVAL_CHUNK_ROWS) {
    const end = Math.min(start + EVAL_CHUNK_ROWS, rows.nRows);
    const n = end - start;
    const weights = rows.weights.subarray(start, end);
    const chunk = tf.tidy(() => {
      const xs = tf.tensor2d(rows.features.subarray(start * nFeatures, end * nFeatures), [n, nFeatures]);
      const ys = tf.tensor2d(rows.targets.subarray(start, end), [n, 1]);
      return tf.sum(tf.mul(tf.tensor2d(weights, [n, 1]), crossEntropy(network.logits(xs), ys)));
    });
    try {
      sum += (chunk.dataSync() as Float32Array)[0] as number;
    } finally {
      chunk.dispose();
    }
    totalWeight += weights.reduce((total, v) => total + v, 0);
  }
  return sum / Math.max(totalWeight, Number.MIN_VALUE);
}
