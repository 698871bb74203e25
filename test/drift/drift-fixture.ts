import type { ClickHouseClient } from '@clickhouse/client';
import { pino } from 'pino';
import type { TrainingQueue } from '../../queues/training-queue.js';
import { featureRow } from '../../shared/clickhouse/rows.js';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import type { DriftDependencies } from '../../workers/drift/drift-processor.js';
import { resolveRetrainingPolicy } from '../../workers/drift/retraining-policy.js';
import { trainingInFlight } from '../../workers/drift/training-in-flight.js';
import type { TrainingSet } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';

/** The synthetic feature vector of the drift tests: five numeric features and three categorical ones. */
export const NAMES = ['latency', 'load', 'rate', 'gap', 'flag', 'sev', 'count', 'noise'] as const;
export const SCHEMA_VERSION = 7;
export const HOUR = 3_600_000;

/** Which features a shifted window moves: latency and load by +1 SD, the flag rate and the sev mix. */
export const SHIFTED = ['latency', 'load', 'flag', 'sev'] as const;

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick(random: () => number, shares: readonly number[]): number {
  let u = random();
  for (let k = 0; k < shares.length; k += 1) {
    u -= shares[k] as number;
    if (u < 0) return k;
  }
  return shares.length - 1;
}

/** `n` vectors (Float32, as the table stores them) from the reference distribution, or the shifted one; `latencyShift` moves latency alone (in SD). */
export function vectors(n: number, seed: number, shifted = false, latencyShift = 0): Float32Array[] {
  const random = prng(seed);
  return Array.from({ length: n }, () => Float32Array.from([
    normal(random) + (shifted ? 1 : 0) + latencyShift,
    5 + 2 * normal(random) + (shifted ? 2 : 0),
    random(),
    -Math.log(1 - random()),
    random() < (shifted ? 0.6 : 0.3) ? 1 : 0,
    pick(random, shifted ? [0.4, 0.3, 0.2, 0.1] : [0.1, 0.2, 0.3, 0.4]),
    pick(random, [0.3, 0.3, 0.2, 0.1, 0.05, 0.05]),
    normal(random),
  ]));
}

/** A training set of `rows` with labels 1 for a quarter of them. */
export function trainingSet(rows: readonly Float32Array[]): TrainingSet {
  const nFeatures = NAMES.length;
  const features = new Float32Array(rows.length * nFeatures);
  rows.forEach((row, r) => features.set(row, r * nFeatures));
  return { features, labels: Uint8Array.from(rows, (_, r) => (r % 4 === 0 ? 1 : 0)), nRows: rows.length, nFeatures };
}

/** Stores `rows` as features of `tenant`, spread over `[from, from + span)`. */
export async function storeFeatures(client: ClickHouseClient, tenant: string, rows: readonly Float32Array[], from: number, span = HOUR, prefix = 'a'): Promise<void> {
  const step = span / rows.length;
  await client.insert({
    table: 'features',
    values: rows.map((values, i) => featureRow({ tenant, alertId: `${prefix}-${from}-${i}`, eventTime: from + Math.floor(i * step), featureSchemaVersion: SCHEMA_VERSION, values })),
    format: 'JSONEachRow',
  });
}

/** Column `f` of `rows`. */
export function column(rows: readonly Float32Array[], f: number): Float64Array {
  return Float64Array.from(rows, (row) => row[f] as number);
}

/**
 * A drift check's dependencies on the real ClickHouse, registry and training queue; no quiet hours, no minimum
 * interval, and no minimum of actionable alerts for the evaluation (its test sets one).
 */
export function driftDependencies(clickhouse: ClickHouseClient, champions: ModelRegistry, training: TrainingQueue): DriftDependencies {
  return {
    clickhouse,
    champions,
    training: { request: (job) => training.request(job), inFlight: (t, k) => trainingInFlight(training, t, k) },
    options: resolveDriftOptions(),
    policy: resolveRetrainingPolicy({ minIntervalMs: 0, quietHours: null, minEvaluationActionable: 0 }),
    now: () => Date.now(),
    logger: pino({ level: 'silent' }),
  };
}
