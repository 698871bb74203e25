import { HushError, coerceError } from '../../shared/errors/index.js';

/**
 * Awaits a Redis-backed operation for at most `ms`; a timeout or failure becomes 503
 * `HUSH_ERR_UNAVAILABLE`. A timed-out operation may still complete later; retried requests are
 * safe because alert job ids are idempotency keys.
 */
export async function withRedisTimeout<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([operation, timeout]);
  } catch (thrown) {
    const cause = coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: Redis is unavailable; retry later`, { cause });
  } finally {
    clearTimeout(timer);
    // The losing operation may reject later; nobody awaits it any more.
    operation.catch(() => undefined);
  }
}
