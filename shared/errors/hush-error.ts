import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** An error with a stable code, an HTTP status and a message a user can act on. */
export class HushError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HushError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }

  /** The body the HTTP API returns for this error. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
