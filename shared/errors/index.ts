export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export { HushError } from './hush-error.js';
export { coerceError } from './coerce-error.js';
