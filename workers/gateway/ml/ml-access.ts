import { HushError, coerceError } from '../../../shared/errors/index.js';
import type { MlDeps, MlDepsSource } from '../interfaces/ml-deps.js';

/** Network faults that mean "the backend is unreachable", not "the request or the code is wrong". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * How ML routes reach their backends: resolves the (possibly lazily opened) {@link MlDeps} and runs one
 * operation within a time limit. Missing deps, a failed open, a timeout or an unreachable backend
 * answer 503 `HUSH_ERR_UNAVAILABLE`; a {@link HushError} (404, 400) passes through unchanged.
 */
export class MlAccess {
  constructor(
    private readonly source: MlDepsSource | undefined,
    private readonly timeoutMs: number,
  ) {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`buildGatewayApp option mlTimeoutMs must be a positive integer, got ${timeoutMs}`);
  }

  /** Runs `operation` (described by `what`, e.g. "list the models") against the ML backends. */
  async run<T>(what: string, operation: (deps: MlDeps) => Promise<T>): Promise<T> {
    if (this.source === undefined) {
      throw new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: this gateway runs without the model registry (ClickHouse)`);
    }
    const source = this.source;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: ClickHouse or Redis did not answer within ${this.timeoutMs} ms; retry later`)), this.timeoutMs);
      timer.unref();
    });
    const work = (async () => {
      let deps: MlDeps;
      try {
        deps = typeof source === 'function' ? await source() : source;
      } catch (thrown) {
        throw new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: the model registry (ClickHouse) is unavailable; retry later`, { cause: coerceError(thrown) });
      }
      try {
        return await operation(deps);
      } catch (thrown) {
        if (thrown instanceof HushError || !isUnreachable(thrown)) throw thrown;
        throw new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: ClickHouse or Redis is unavailable; retry later`, { cause: coerceError(thrown) });
      }
    })();
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      // The losing operation may reject later; nobody awaits it any more.
      work.catch(() => undefined);
    }
  }
}

/** Whether `thrown` (or an error in its cause chain) is a network fault or a closed connection. */
function isUnreachable(thrown: unknown): boolean {
  let error: unknown = thrown;
  for (let depth = 0; depth < 5 && error instanceof Error; depth += 1) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (error.name === 'MaxRetriesPerRequestError' || /Connection is closed|socket hang up|fetch failed/i.test(error.message)) return true;
    error = error.cause;
  }
  return false;
}
