import type { ClickHouseClient } from '@clickhouse/client';
import { pino } from 'pino';
import type { TrainingQueue } from '../../queues/training-queue.js';
import { sqlNumber, sqlString } from '../../shared/clickhouse/sql-escape.js';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { Prng } from '../../synth/prng.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { runDriftCheck } from '../../workers/drift/drift-processor.js';
import { resolveRetrainingPolicy } from '../../workers/drift/retraining-policy.js';
import { trainingInFlight } from '../../workers/drift/training-in-flight.js';
import { referenceProfile } from '../../workers/training/reference-profile.js';

/** The 1M-row window: 50 features, the first 35 numeric (standard normal; the first 10 shifted by 0.5 SD), the rest categorical 0 … 4. */
export const FEATURES = 50;
const NUMERIC = 35;
const SHIFTED = 10;
const SCHEMA_VERSION = 1;
const REFERENCE_ROWS = 20_000;
const HOUR = 3_600_000;

/** What {@link prepareOneMillion} and {@link timeDriftCheck} need: the bench's database, the real registry and training queue. */
export interface OneMillionSetup {
  clickhouse: ClickHouseClient;
  registry: ModelRegistry;
  training: TrainingQueue;
  tenant: string;
  rows: number;
  seed: number;
}

/** Inserts `rows` feature vectors of the window inside ClickHouse (generated in SQL, spread over one hour). */
async function insertWindow(client: ClickHouseClient, tenant: string, rows: number, windowStart: number): Promise<void> {
  const normal = (k: string): string => `sqrt(-2 * log((rand(${k}) + 1) / 4294967297)) * cos(2 * pi() * rand(${k} + 1000) / 4294967296)`;
  const value = `if(i < ${NUMERIC}, ${normal('i')} + if(i < ${SHIFTED}, 0.5, 0), toFloat64(intDiv(rand(i + 2000) % 100, 20)))`;
  await client.command({
    query: `INSERT INTO features SELECT ${sqlString(tenant)}, concat('a-', toString(number)), toDateTime(${sqlNumber(windowStart / 1000)} + intDiv(number * 3600, ${sqlNumber(rows)}), 'UTC'), 0,
      ${SCHEMA_VERSION}, arrayMap(i -> toFloat32(${value}), range(${FEATURES})), now() FROM numbers(${sqlNumber(rows)})`,
  });
}

/** The champion's training data: the same distributions without the shift, drawn in Node. */
function trainingProfile(seed: number): ReturnType<typeof referenceProfile> {
  const random = new Prng(seed, 'one-million-reference');
  const features = new Float32Array(REFERENCE_ROWS * FEATURES);
  for (let r = 0; r < REFERENCE_ROWS; r += 1) {
    for (let f = 0; f < FEATURES; f += 1) features[r * FEATURES + f] = f < NUMERIC ? random.normal() : Math.floor((random.uint32() % 100) / 20);
  }
  const labels = Uint8Array.from({ length: REFERENCE_ROWS }, (_, r) => (r % 4 === 0 ? 1 : 0));
  return referenceProfile({ features, labels, nRows: REFERENCE_ROWS, nFeatures: FEATURES }, Array.from({ length: FEATURES }, (_, f) => `f${f}`), SCHEMA_VERSION);
}

/** Loads the window and registers its champion; returns the window's end (exclusive). */
export async function prepareOneMillion(setup: OneMillionSetup): Promise<number> {
  const windowStart = Date.UTC(2026, 0, 10, 12);
  await insertWindow(setup.clickhouse, setup.tenant, setup.rows, windowStart);
  const { modelId } = await setup.registry.register({
    tenant: setup.tenant, kind: 'noise', family: 'gbdt', onnx: new Uint8Array([1]), featureSchemaVersion: SCHEMA_VERSION, nFeatures: FEATURES,
    metrics: { holdout: { noiseReduction: 0.6, fnr: 0.01 } }, trainingWindow: { start: windowStart - 30 * 24 * HOUR, end: windowStart - 24 * HOUR }, datasetHash: 'bench',
    referenceProfile: trainingProfile(setup.seed),
  });
  await setup.registry.promote(setup.tenant, 'noise', modelId, 'bench:drift');
  return windowStart + HOUR;
}

/** Seconds of one drift check (`runDriftCheck`, the drift worker's job) over the loaded window, and what it found. */
export async function timeDriftCheck(setup: OneMillionSetup, windowEnd: number): Promise<{ seconds: number; summary: string }> {
  const t0 = performance.now();
  const result = await runDriftCheck({ tenant: setup.tenant, kind: 'noise', windowKind: 'tumbling', windowMs: HOUR, windowEnd }, {
    clickhouse: setup.clickhouse,
    champions: setup.registry,
    training: { request: (job) => setup.training.request(job), inFlight: (t, k) => trainingInFlight(setup.training, t, k) },
    options: resolveDriftOptions(),
    policy: resolveRetrainingPolicy(),
    now: () => Date.now(),
    logger: pino({ level: 'silent' }),
  });
  return { seconds: (performance.now() - t0) / 1000, summary: result.summary };
}
