import { HushError } from '../../shared/errors/index.js';

/**
 * A bad command line (unknown flag, missing or malformed value, value out of range): `hush` prints it and
 * exits 2, where a failure while running exits 1 (docs/cli.md).
 */
export class UsageError extends HushError {
  constructor(message: string) {
    super('HUSH_ERR_VALIDATION', message);
    this.name = 'UsageError';
  }
}
