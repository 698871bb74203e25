import * as ort from 'onnxruntime-node';
import { HushError } from '../errors/index.js';

/** Identity of a model artifact, as the registry records it. */
export interface OnnxModelMeta {
  id: string;
  version: number | string;
  /** Feature schema the model was trained on (DESIGN §6). */
  featureSchemaVersion: number;
  /** Width of a feature row. */
  nFeatures: number;
}

/** What the loading process serves; a model built for anything else is refused. */
export interface OnnxModelExpectations {
  featureSchemaVersion: number;
  nFeatures: number;
}

// Scoring is one short row at a time on small machines: one thread per op and no inter-op pool avoid
// thread hand-off, which costs more than the arithmetic (measured p99 ≈ 0.1 ms with these settings).
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  enableCpuMemArena: true,
  enableMemPattern: true,
  logSeverityLevel: 3,
};

type Extract = (outputs: ort.InferenceSession.OnnxValueMapType, rows: number) => Float32Array;

/**
 * A loaded ONNX classifier returning P(actionable) per feature row. Works with a single float output
 * (logistic / sigmoid graphs) and with ONNX-ML classifiers that emit `label` + `probabilities` (the last
 * column is the actionable class; a ZipMap output is read by class key 1).
 */
export class OnnxModel {
  private released = false;

  private constructor(
    readonly meta: Readonly<OnnxModelMeta>,
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    private readonly extract: Extract,
  ) {}

  /**
   * Loads and checks an artifact: the metadata must match `expected` (when given) and the graph must
   * take `meta.nFeatures` inputs and yield one probability per row. Throws `HUSH_ERR_MODEL_LOAD`.
   */
  static async load(bytes: Uint8Array, meta: OnnxModelMeta, expected?: OnnxModelExpectations): Promise<OnnxModel> {
    const label = `model ${meta.id} (version ${String(meta.version)})`;
    if (!Number.isInteger(meta.nFeatures) || meta.nFeatures <= 0) {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: nFeatures must be a positive integer, got ${String(meta.nFeatures)}`);
    }
    if (expected !== undefined) {
      if (meta.featureSchemaVersion !== expected.featureSchemaVersion) {
        throw new HushError(
          'HUSH_ERR_MODEL_LOAD',
          `${label} was trained on feature schema version ${meta.featureSchemaVersion}, but this worker computes version ${expected.featureSchemaVersion}`,
        );
      }
      if (meta.nFeatures !== expected.nFeatures) {
        throw new HushError(
          'HUSH_ERR_MODEL_LOAD',
          `${label} takes ${meta.nFeatures} features, but feature schema version ${expected.featureSchemaVersion} has ${expected.nFeatures}`,
        );
      }
    }

    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
    } catch (error) {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: onnxruntime rejected the artifact: ${describe(error)}`, { cause: error });
    }
    try {
      const inputName = checkInput(session, meta, label);
      // A probe row proves the graph runs with this width and tells which output holds the probability.
      const probe = await session.run({ [inputName]: new ort.Tensor('float32', new Float32Array(meta.nFeatures), [1, meta.nFeatures]) });
      const extract = chooseExtractor(session, probe, label);
      extract(probe, 1);
      return new OnnxModel(Object.freeze({ ...meta }), session, inputName, extract);
    } catch (error) {
      await session.release().catch(() => undefined);
      if (error instanceof HushError) throw error;
      throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: probe run with ${meta.nFeatures} features failed: ${describe(error)}`, { cause: error });
    }
  }

  /** P(actionable) for each row, in one batched run. Every row must have `meta.nFeatures` values. */
  async score(rows: readonly Float32Array[]): Promise<Float32Array> {
    if (this.released) throw new HushError('HUSH_ERR_INTERNAL', `model ${this.meta.id} was released and cannot score`);
    if (rows.length === 0) return new Float32Array(0);
    const width = this.meta.nFeatures;
    const data = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      if (row.length !== width) {
        throw new HushError('HUSH_ERR_INTERNAL', `model ${this.meta.id} takes ${width} features, row ${i} has ${row.length}`);
      }
      data.set(row, i * width);
    });
    let outputs: ort.InferenceSession.OnnxValueMapType;
    try {
      outputs = await this.session.run({ [this.inputName]: new ort.Tensor('float32', data, [rows.length, width]) });
    } catch (error) {
      throw new HushError('HUSH_ERR_INTERNAL', `model ${this.meta.id} failed to score: ${describe(error)}`, { cause: error });
    }
    return this.extract(outputs, rows.length);
  }

  /** Frees the native session. Safe to call twice; the model cannot score afterwards. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

function checkInput(session: ort.InferenceSession, meta: OnnxModelMeta, label: string): string {
  if (session.inputNames.length !== 1) {
    throw new HushError('HUSH_ERR_MODEL_LOAD', `${label} must have exactly one input, has ${session.inputNames.length}`);
  }
  const input = session.inputMetadata[0];
  if (input !== undefined && input.isTensor) {
    if (input.type !== 'float32') {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: input ${input.name} must be float32, is ${input.type}`);
    }
    const width = input.shape[input.shape.length - 1];
    if (typeof width === 'number' && width > 0 && width !== meta.nFeatures) {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: the graph takes ${width} features, its metadata says ${meta.nFeatures}`);
    }
  }
  return session.inputNames[0] as string;
}

function chooseExtractor(session: ort.InferenceSession, probe: ort.InferenceSession.OnnxValueMapType, label: string): Extract {
  const names = session.outputNames;
  const preferred = names.find((name) => /^prob/i.test(name));
  const candidates = preferred !== undefined ? [preferred] : names;
  for (const name of candidates) {
    const value = probe[name] as unknown;
    if (value instanceof ort.Tensor && value.type === 'float32') {
      const width = value.dims.length <= 1 ? 1 : Number(value.dims[value.dims.length - 1]);
      if (width !== 1 && width !== 2) continue;
      return (outputs, rows) => {
        const tensor = outputs[name] as ort.Tensor;
        const flat = tensor.data as Float32Array;
        if (width === 1) return flat.length === rows ? flat : flat.slice(0, rows);
        const out = new Float32Array(rows);
        for (let i = 0; i < rows; i += 1) out[i] = flat[i * 2 + 1] as number;
        return out;
      };
    }
    if (Array.isArray(value)) {
      // ZipMap: one { classLabel: probability } map per row.
      return (outputs, rows) => {
        const maps = outputs[name] as unknown as Record<string, number>[];
        const out = new Float32Array(rows);
        for (let i = 0; i < rows; i += 1) out[i] = maps[i]?.['1'] ?? Number.NaN;
        return out;
      };
    }
  }
  throw new HushError('HUSH_ERR_MODEL_LOAD', `${label}: no float32 probability output among [${names.join(', ')}]`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
