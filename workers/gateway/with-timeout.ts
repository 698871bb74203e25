import { withTimeout } from '../../shared/async/with-timeout.js';
import { HushError, coerceError } from '../../shared/errors/index.js';

/**
 * Awaits a Redis-backed operation for at most `ms`; a timeout or failure becomes 503
 * `HUSH_ERR_UNAVAILABLE`. A timed-out operation may still complete later; retried requests are
 * safe because alert job ids are idempotency keys.
 */
export async function withRedisTimeout<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  try {
    return await withTimeout(operation, ms, `Redis did not answer within ${ms} ms`);
  } catch (thrown) {
    const cause = coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `could not ${what}: Redis is unavailable; retry later`, { cause });
  }
}
