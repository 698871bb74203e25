import { HushError } from '../../shared/errors/index.js';

/** The HushError code `run` throws, or `'no error'`; any other throw fails the test as it is. */
export function errorCodeOf(run: () => unknown): string {
  try {
    run();
  } catch (thrown) {
    if (thrown instanceof HushError) return thrown.code;
    throw thrown;
  }
  return 'no error';
}
