import { HushError } from '../../../shared/errors/index.js';
import type { Rejection } from '../../../schemas/ingest-response.js';

/**
 * Nothing in a request was valid: a 400 (or the parser's status) whose body carries, besides
 * `{ code, message }`, the per-item `rejected` list so a client can fix every item at once.
 */
export class BatchRejectedError extends HushError {
  readonly rejected: readonly Rejection[];

  constructor(message: string, rejected: readonly Rejection[]) {
    super('HUSH_ERR_VALIDATION', message);
    this.name = 'BatchRejectedError';
    this.rejected = rejected;
  }

  override toJSON(): { code: 'HUSH_ERR_VALIDATION'; message: string; rejected: Rejection[] } {
    return { code: 'HUSH_ERR_VALIDATION', message: this.message, rejected: [...this.rejected] };
  }
}
