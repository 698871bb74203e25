import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { coerceError, HushError } from '../../../shared/errors/index.js';

/** Which tfjs backend trains: `auto` takes the fastest one that loads (native TensorFlow, then wasm, then cpu). */
export type TfBackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The native bindings cannot be installed everywhere, so they are never a dependency; used when an operator adds them. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let wasmPathsSet = false;
let autoChoice: string | null = null;

/** Makes `preference` (or the best available backend) tfjs's global backend and returns its name. */
export async function selectTfBackend(preference: TfBackendPreference = 'auto'): Promise<string> {
  const wanted = preference === 'auto' ? autoChoice : preference;
  if (wanted !== null && currentBackend() === wanted) return wanted;
  const order: readonly TfBackendPreference[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await activate(name)) {
        if (preference === 'auto') autoChoice = name;
        return name;
      }
      failures.push(`${name}: not available`);
    } catch (thrown) {
      failures.push(`${name}: ${coerceError(thrown).message}`);
    }
  }
  throw new HushError('HUSH_ERR_INTERNAL', `no tfjs backend could start (${failures.join('; ')})`);
}

/** The active backend, or null before one is initialised (tfjs throws then, as wasm starts asynchronously). */
function currentBackend(): string | null {
  try {
    return tf.getBackend();
  } catch {
    return null;
  }
}

async function activate(name: TfBackendPreference): Promise<boolean> {
  if (name === 'tensorflow' && !(await loadNative())) return false;
  if (name === 'wasm' && !wasmPathsSet) {
    // In Node the wasm binaries are read from disk; point tfjs at the copies shipped in the package.
    setWasmPaths(`${wasmDirectory()}${path.sep}`);
    wasmPathsSet = true;
  }
  const uncaught = process.listeners('uncaughtException');
  const rejections = process.listeners('unhandledRejection');
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && currentBackend() === name;
  } finally {
    // The wasm runtime (emscripten) adds process handlers that rethrow every uncaught error, which turns a
    // crash's exit code 1 into 7 and overrides whatever the worker does; keep Node's own behaviour instead.
    for (const listener of process.listeners('uncaughtException')) {
      if (!uncaught.includes(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejections.includes(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}

async function loadNative(): Promise<boolean> {
  for (const specifier of NATIVE_PACKAGES) {
    try {
      // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
      await import(specifier);
      return true;
    } catch {
      // Not installed (the usual case): try the next one.
    }
  }
  return false;
}

/** Folder holding `tfjs-backend-wasm*.wasm`. */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}
