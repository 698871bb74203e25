import { TimeoutError } from './timeout-error.js';

/**
 * `promise`, or a rejection with a {@link TimeoutError}`(message)` once `ms` have passed, whichever comes
 * first. The timer does not keep the process alive, and a late rejection of the losing promise is
 * swallowed: nobody awaits it any more (the operation itself may still complete).
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message, ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => undefined);
  }
}
